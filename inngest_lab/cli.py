"""``inngest-lab``: run the dev server or a self-hosted server.

    inngest-lab dev                                   # dev server on http://127.0.0.1:8288, autodiscovery on
    inngest-lab dev -u http://localhost:8000/api/inngest --no-discovery
    inngest-lab start --event-key "$KEY" --signing-key signkey-prod-<hex> --sqlite-dir /var/lib/inngest-lab

``main(argv) -> int`` is the whole program: 0 after a clean shutdown, 2 for a configuration error
(bad or missing keys, the example keys of ``server/.env.example``), the message on stderr.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import os
import signal
import sys
import tempfile
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar, cast
from urllib.parse import urlsplit, urlunsplit

from tornado.netutil import bind_sockets

from inngest_lab import __version__
from inngest_lab.executor.app_sync import AppSyncer, discovery_ports
from inngest_lab.executor.clock import SystemClock
from inngest_lab.executor.engine import Engine
from inngest_lab.executor.http_driver import HttpDriver
from inngest_lab.observability import logs
from inngest_lab.observability.logs import LogFormat, parse_level
from inngest_lab.observability.retention import parse_window
from inngest_lab.observability.setup import ProcessObservability, build_telemetry
from inngest_lab.observability.telemetry import Telemetry
from inngest_lab.observability.tracing import TracingConfigError
from inngest_lab.protocol.consts import ServerKind
from inngest_lab.protocol.signing import is_valid_signing_key, strip_key_prefix
from inngest_lab.server.app import ServerSettings, make_app, start_server
from inngest_lab.server.auth_cli import (
    UiAuthConfig,
    add_auth_flags,
    add_hash_password_command,
    dashboard_status,
    exposure_warning,
    hash_password_command,
    ui_auth_from_args,
)
from inngest_lab.server.settings import DEFAULT_PORT
from inngest_lab.server.ui_app import ui_routes
from inngest_lab.store.ports import Store
from inngest_lab.store.redis_pg import RedisPgConfig, StoreUnavailable
from inngest_lab.store.sqlite import SqliteStore

EXAMPLE_SIGNING_KEY = "signkey-prod-" + "0" * 64
"""The signing key written in ``server/.env.example``; ``start`` refuses it unless ``--allow-default-keys``."""
EXAMPLE_EVENT_KEY = "example-event-key"
"""The event key written in ``server/.env.example``."""
DB_FILE = "main.db"
DEFAULT_WORKERS = 100
"""Concurrent function calls per process: Inngest's ``--queue-workers`` default."""
DEFAULT_START_DIR = ".inngest"

log = logging.getLogger("inngest_lab.cli")
T = TypeVar("T")


class ConfigError(Exception):
    """The command line cannot be run as given; ``main`` prints the message and returns 2."""


@dataclass(frozen=True, slots=True)
class Config:
    """A validated command line."""

    kind: ServerKind
    host: str
    port: int
    sqlite_dir: str | None  # None: a temporary database, deleted at exit (dev only)
    workers: int
    sdk_urls: tuple[str, ...]
    discovery: bool
    poll: bool
    poll_interval_s: float
    event_keys: tuple[str, ...]
    signing_keys: tuple[str, ...]
    retry_interval_s: int | None = None  # None: Inngest's exponential backoff table
    shared: RedisPgConfig | None = None  # Postgres + Redis (production mode); None: SQLite
    lease_ms: int = 30_000
    in_band_sync: bool = False  # ask SDKs to answer syncs in-band (dev: on unless --no-in-band-sync; start: a flag)
    connect_gateway_port: int = 8289
    log_format: LogFormat = LogFormat.TEXT
    log_level: int = logging.INFO
    metrics_port: int | None = None  # /metrics without credentials on this port (observability/http.py)
    retention_ms: int = 0  # 0: keep every run (observability/retention.py)
    ui: UiAuthConfig = field(default_factory=UiAuthConfig)  # dashboard login (auth_cli)
    serve_ui: bool = True  # serve the dashboard at / (--no-ui turns it off)


# ---------------------------------------------------------------- parsing


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="inngest-lab",
        description="A durable event and workflow engine that speaks Inngest's protocol.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog="examples:\n"
        "  inngest-lab dev\n"
        "  inngest-lab dev -u http://localhost:8000/api/inngest --no-discovery\n"
        "  inngest-lab start --event-key KEY --signing-key signkey-prod-<hex> --sqlite-dir ./data\n",
    )
    parser.add_argument("--version", action="version", version=f"inngest-lab {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="{dev,start,hash-password}")

    dev = sub.add_parser(
        "dev",
        help="run the local dev server (no keys needed, autodiscovery on)",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog="examples:\n  inngest-lab dev\n  inngest-lab dev -u http://localhost:3000/api/inngest --port 9000\n"
        "  inngest-lab dev --sqlite-dir .inngest   # keep state across restarts\n",
    )
    _common(dev, default_poll=5.0)
    dev.add_argument("--no-discovery", action="store_true", help="do not scan localhost for SDKs")
    dev.add_argument(
        "--event-key",
        action="append",
        default=[],
        metavar="K",
        help="require this event key on POST /e/{key} (repeatable; default: accept any)",
    )
    dev.add_argument("--signing-key", metavar="K", help="sign requests to SDKs and require Bearer auth")
    dev.add_argument("--no-in-band-sync", action="store_true", help="only out-of-band syncs (SDKs call /fn/register)")

    start = sub.add_parser(
        "start",
        help="run a self-hosted server (keys required)",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog="keys may also come from INNGEST_EVENT_KEY (comma-separated), INNGEST_SIGNING_KEY and\n"
        "INNGEST_SIGNING_KEY_FALLBACK.\n\nexample:\n"
        "  inngest-lab start --event-key KEY --signing-key signkey-prod-$(openssl rand -hex 32)\n",
    )
    _common(start, default_poll=0.0)
    start.add_argument(
        "--event-key", action="append", default=[], metavar="K", help="an accepted event key (repeatable; at least one)"
    )
    start.add_argument("--signing-key", metavar="K", help="signing key: even-length hex, optionally signkey-<env>-")
    start.add_argument("--signing-key-fallback", metavar="K", help="also accepted, for key rotation")
    start.add_argument("--in-band-sync", action="store_true", help="ask SDKs for in-band syncs (answered in the PUT)")
    start.add_argument(
        "--allow-default-keys",
        action="store_true",
        help="accept the example keys from server/.env.example (never in production)",
    )
    add_hash_password_command(sub)
    return parser


def _common(p: argparse.ArgumentParser, *, default_poll: float) -> None:
    p.add_argument("--host", default="127.0.0.1", help="interface to listen on (default: %(default)s)")
    p.add_argument("-p", "--port", type=int, default=DEFAULT_PORT, help="port (default: %(default)s; 0 = any free)")
    p.add_argument(
        "-u",
        "--sdk-url",
        action="append",
        default=[],
        metavar="URL",
        help="an app's serve URL to sync, e.g. http://localhost:8000/api/inngest (repeatable)",
    )
    p.add_argument(
        "--poll-interval",
        type=float,
        default=default_poll,
        metavar="S",
        help="seconds between app re-syncs, 0 = only at startup (default: %(default)s)",
    )
    p.add_argument("--no-poll", action="store_true", help="sync apps once; re-sync only apps that failed")
    p.add_argument(
        "--sqlite-dir",
        metavar="DIR",
        help=f"directory of the SQLite database {DB_FILE}"
        f" (default: a temporary one for dev, {DEFAULT_START_DIR} for start)",
    )
    shared = p.add_argument_group(
        "production mode (any number of processes with the same URIs form one deployment)",
        "Given both URIs, the process runs on Postgres + Redis instead of SQLite. Each flag can also be set as "
        "INNGEST_<FLAG> (upper case, dashes as underscores), e.g. INNGEST_POSTGRES_URI.",
    )
    shared.add_argument("--postgres-uri", metavar="URI", help="postgresql://user:password@host:5432/db")
    shared.add_argument("--redis-uri", metavar="URI", help="redis://host:6379/0")
    shared.add_argument("--postgres-max-open-conns", type=int, metavar="N", help="pool size (default: 100)")
    shared.add_argument("--postgres-max-idle-conns", type=int, metavar="N", help="connections kept open (default: 10)")
    shared.add_argument(
        "--postgres-conn-max-idle-time", type=float, metavar="MIN", help="close idle connections after (default: 5)"
    )
    shared.add_argument(
        "--postgres-conn-max-lifetime", type=float, metavar="MIN", help="replace connections after (default: 30)"
    )
    shared.add_argument(
        "--queue-lease",
        type=float,
        metavar="S",
        help="seconds a worker's lease lasts before another may take it over"
        " (renewed while the call runs; default: 30 on SQLite, 10 on Postgres + Redis)",
    )
    p.add_argument(
        "--connect-gateway-port",
        type=int,
        metavar="PORT",
        help="reserved for the Connect WebSocket gateway (default: 8289; not served yet)",
    )
    p.add_argument(
        "--queue-workers",
        "--workers",
        dest="workers",
        type=int,
        metavar="N",
        help="concurrent function calls (default: 100, as Inngest's --queue-workers)",
    )
    p.add_argument(
        "--retry-interval",
        type=int,
        metavar="S",
        help="retry failed steps every S seconds (linear, at least 1) instead of the exponential backoff",
    )
    p.add_argument("-v", "--verbose", action="store_true", help="log every request")
    obs = p.add_argument_group("observability (see server/README.md)")
    obs.add_argument(
        "--log-format", choices=[f.value for f in LogFormat], help="log lines as JSON or text (default: json for start)"
    )
    obs.add_argument("--log-level", metavar="L", help="trace, debug, info, warn or error (default: info)")
    obs.add_argument(
        "--metrics-port", type=int, metavar="PORT", help="also serve GET /metrics here, without credentials"
    )
    obs.add_argument(
        "--retention",
        metavar="D",
        help="delete finished runs older than this (30d, 12h; 0 keeps all; default: 0 for dev, 30d for start)",
    )
    add_auth_flags(p)
    p.add_argument("--no-ui", action="store_true", help="do not serve the dashboard at / (the API stays)")


def config_from_args(args: argparse.Namespace, env: Mapping[str, str]) -> Config:
    """Validate the parsed command line (and the key environment variables); raise ``ConfigError``."""
    kind = ServerKind.DEV if args.command == "dev" else ServerKind.CLOUD
    event_keys = [k for k in args.event_key if k]
    primary = args.signing_key
    fallback = getattr(args, "signing_key_fallback", None)
    if kind is ServerKind.CLOUD:
        event_keys = event_keys or [k.strip() for k in env.get("INNGEST_EVENT_KEY", "").split(",") if k.strip()]
        primary = primary or env.get("INNGEST_SIGNING_KEY") or None
        fallback = fallback or env.get("INNGEST_SIGNING_KEY_FALLBACK") or None
        if not primary:
            raise ConfigError("start needs a signing key: --signing-key or INNGEST_SIGNING_KEY")
        if not event_keys:
            raise ConfigError("start needs at least one event key: --event-key or INNGEST_EVENT_KEY")
        if not args.allow_default_keys and (
            strip_key_prefix(primary) == strip_key_prefix(EXAMPLE_SIGNING_KEY) or EXAMPLE_EVENT_KEY in event_keys
        ):
            raise ConfigError(
                "refusing the example keys from server/.env.example; generate your own "
                "(or pass --allow-default-keys for a throwaway test)"
            )
    signing_keys = [k for k in (primary, fallback) if k]
    for key in signing_keys:
        if not is_valid_signing_key(key):
            raise ConfigError(
                "signing keys must be even-length hex, optionally prefixed signkey-<env>- "
                "(e.g. signkey-prod-$(openssl rand -hex 32))"
            )
    workers = _flag(args, env, "workers", int)
    if workers is None:
        workers = _flag(args, env, "queue_workers", int)
    args.workers = DEFAULT_WORKERS if workers is None else workers
    if args.workers < 1:
        raise ConfigError("--queue-workers must be at least 1")
    if not 0 <= args.port < 65536:
        raise ConfigError("--port must be between 0 and 65535")
    if args.poll_interval < 0:
        raise ConfigError("--poll-interval must not be negative")
    if args.retry_interval is not None and args.retry_interval < 1:
        raise ConfigError("--retry-interval must be at least 1 second")
    db_dir = args.sqlite_dir or (None if kind is ServerKind.DEV else DEFAULT_START_DIR)
    shared = _shared_config(args, env)
    lease_s = _flag(args, env, "queue_lease", float) or (10.0 if shared else 30.0)
    if lease_s < 1:
        raise ConfigError("--queue-lease must be at least 1 second")
    observability = _observability_config(args, env, kind)
    return Config(
        kind=kind,
        host=args.host,
        port=args.port,
        sqlite_dir=db_dir,
        workers=args.workers,
        sdk_urls=tuple(args.sdk_url),
        discovery=kind is ServerKind.DEV and not getattr(args, "no_discovery", False),
        in_band_sync=not getattr(args, "no_in_band_sync", False)
        if kind is ServerKind.DEV
        else bool(getattr(args, "in_band_sync", False)),
        poll=not getattr(args, "no_poll", False),
        poll_interval_s=args.poll_interval,
        event_keys=tuple(event_keys),
        signing_keys=tuple(signing_keys),
        retry_interval_s=args.retry_interval,
        shared=shared,
        lease_ms=int(lease_s * 1000),
        connect_gateway_port=_flag(args, env, "connect_gateway_port", int) or 8289,
        **observability,
        ui=ui_auth_from_args(args, env, ConfigError),
        serve_ui=not getattr(args, "no_ui", False),
    )


def _observability_config(args: argparse.Namespace, env: Mapping[str, str], kind: ServerKind) -> dict[str, Any]:
    """``--log-format``, ``--log-level``, ``--metrics-port`` and ``--retention`` (each also ``INNGEST_<FLAG>``)."""
    fmt = _flag(args, env, "log_format", str) or ("json" if kind is ServerKind.CLOUD else "text")
    if fmt not in {f.value for f in LogFormat}:
        raise ConfigError(f"--log-format must be json or text, not {fmt!r}")
    try:
        level = parse_level(_flag(args, env, "log_level", str) or "info")
        retention = parse_window(_flag(args, env, "retention", str) or ("30d" if kind is ServerKind.CLOUD else "0"))
    except ValueError as exc:
        raise ConfigError(str(exc)) from None
    metrics_port = _flag(args, env, "metrics_port", int)
    if metrics_port is not None and not 0 <= metrics_port < 65536:
        raise ConfigError("--metrics-port must be between 0 and 65535")
    return {"log_format": LogFormat(fmt), "log_level": level, "metrics_port": metrics_port, "retention_ms": retention}


def _flag(args: argparse.Namespace, env: Mapping[str, str], name: str, kind: Callable[[str], T]) -> T | None:
    """The flag's value, else ``INNGEST_<NAME>`` from the environment (as Inngest reads its flags)."""
    value = getattr(args, name, None)
    if value is not None:
        return cast(T, value)
    raw = env.get("INNGEST_" + name.upper())
    if not raw:
        return None
    try:
        return kind(raw)
    except ValueError as exc:
        raise ConfigError(f"INNGEST_{name.upper()}={raw!r} is not valid: {exc}") from exc


def _shared_config(args: argparse.Namespace, env: Mapping[str, str]) -> RedisPgConfig | None:
    postgres, redis = _flag(args, env, "postgres_uri", str), _flag(args, env, "redis_uri", str)
    if not postgres and not redis:
        return None
    if not postgres or not redis:
        given, missing = ("--postgres-uri", "--redis-uri") if postgres else ("--redis-uri", "--postgres-uri")
        raise ConfigError(f"{given} needs {missing} too: production mode runs on Postgres and Redis together")
    if not postgres.startswith(("postgres://", "postgresql://")):
        raise ConfigError("--postgres-uri must start with postgres:// or postgresql://")
    if not redis.startswith(("redis://", "rediss://", "unix://")):
        raise ConfigError("--redis-uri must start with redis://, rediss:// or unix://")
    max_open = _flag(args, env, "postgres_max_open_conns", int) or 100
    max_idle = _flag(args, env, "postgres_max_idle_conns", int)
    if max_open < 1 or (max_idle is not None and max_idle < 0):
        raise ConfigError("--postgres-max-open-conns must be at least 1 and --postgres-max-idle-conns not negative")
    return RedisPgConfig(
        postgres_uri=postgres,
        redis_uri=redis,
        postgres_max_open_conns=max_open,
        postgres_max_idle_conns=10 if max_idle is None else max_idle,
        postgres_conn_max_idle_time_s=60 * (_flag(args, env, "postgres_conn_max_idle_time", float) or 5.0),
        postgres_conn_max_lifetime_s=60 * (_flag(args, env, "postgres_conn_max_lifetime", float) or 30.0),
    )


# ---------------------------------------------------------------- running


def mask(secret: str) -> str:
    """Enough of a secret to recognise it, never enough to use it."""
    raw = strip_key_prefix(secret)
    prefix = secret[: len(secret) - len(raw)]
    return f"{prefix}{raw[:4]}…" if len(raw) > 8 else f"{prefix}****"


def banner(config: Config, url: str, sqlite_path: str) -> str:
    mode = "dev" if config.kind is ServerKind.DEV else "self-hosted"
    db = f"{sqlite_path} (temporary)" if config.sqlite_dir is None else sqlite_path
    if config.shared is not None:
        db = f"Postgres {_redact(config.shared.postgres_uri)} + Redis {_redact(config.shared.redis_uri)}"
    sync = "off" if config.poll_interval_s <= 0 else f"every {config.poll_interval_s:g}s"
    lines = [
        f"inngest-lab {mode} server",
        f"  URL:          {url}",
        f"  Mode:         {mode} (X-Inngest-Server-Kind: {config.kind.value})",
        f"  Database:     {db}",
        f"  Event keys:   {', '.join(mask(k) for k in config.event_keys) or 'any key accepted'}",
        f"  Signing key:  {', '.join(mask(k) for k in config.signing_keys) or 'none (requests are not signed)'}",
        f"  Apps:         {', '.join(config.sdk_urls) or 'none given'}",
        f"  Discovery:    {'on' if config.discovery else 'off'}; re-sync {sync}",
        f"  Dashboard:    {dashboard_line(url, config)}",
        "Press Ctrl+C to stop.",
    ]
    return "\n".join(lines)


def dashboard_line(url: str, config: Config) -> str:
    """The banner's ``Dashboard:`` line: where it is, and who may use it."""
    if not config.serve_ui:
        return "off (--no-ui)"
    return dashboard_status(config.kind, config.host, config.ui, f"{url}/")


def _redact(uri: str) -> str:
    """``uri`` without its password (secrets are never printed)."""
    parts = urlsplit(uri)
    if parts.password is None:
        return uri
    netloc = parts.netloc.replace(f":{parts.password}@", ":****@", 1)
    return urlunsplit(parts._replace(netloc=netloc))


async def _build_engine(
    config: Config, sqlite_path: str, http: HttpDriver, telemetry: Telemetry | None = None
) -> Engine:
    """The one place that constructs the engine."""
    store: Store
    if config.shared is not None:
        from inngest_lab.store.redis_pg.store import RedisPgStore

        store = RedisPgStore(config.shared)
    else:
        Path(sqlite_path).parent.mkdir(parents=True, exist_ok=True)
        store = SqliteStore(sqlite_path)
    engine = Engine(
        store,
        SystemClock(),
        {"http": http, "https": http},
        workers=config.workers,
        server_kind=config.kind,
        retry_interval_ms=None if config.retry_interval_s is None else config.retry_interval_s * 1000,
        lease_ms=config.lease_ms,
        telemetry=telemetry,
    )
    await engine.start()
    return engine


async def serve(config: Config, *, stop: asyncio.Event | None = None, out: Callable[[str], None] = print) -> None:
    """Run until ``stop`` is set (SIGINT/SIGTERM set it), then shut down in order."""
    with contextlib.ExitStack() as cleanup:
        db_dir = config.sqlite_dir or cleanup.enter_context(tempfile.TemporaryDirectory(prefix="inngest-lab-"))
        await _serve(config, str(Path(db_dir) / DB_FILE), stop or asyncio.Event(), out)


async def _serve(config: Config, sqlite_path: str, stop: asyncio.Event, out: Callable[[str], None]) -> None:
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError, RuntimeError):
            loop.add_signal_handler(sig, stop.set)
    sockets = bind_sockets(config.port, config.host)  # first, so a taken port fails before anything starts
    port = int(sockets[0].getsockname()[1])
    http = HttpDriver(config.signing_keys[0] if config.signing_keys else None)
    observability = ProcessObservability(build_telemetry(), config.retention_ms)
    engine = await _build_engine(config, sqlite_path, http, observability.telemetry)
    syncer = AppSyncer(
        engine,
        http,
        urls=config.sdk_urls,
        poll_interval_s=config.poll_interval_s,
        poll=config.poll,
        discovery=config.discovery,
        in_band=config.in_band_sync,
        ports=discovery_ports(os.environ.get("PORT"), exclude=[port]),
    )
    settings = ServerSettings(
        event_keys=config.event_keys,
        signing_keys=config.signing_keys,
        server_kind=config.kind,
        sdk_urls=config.sdk_urls,
        discovery=config.discovery,
        poll_interval_s=config.poll_interval_s,
        ui_password_hash=config.ui.password_hash,
        session_secret=config.ui.session_secret,
        listen_host=config.host,
        allowed_hosts=config.ui.allowed_hosts,
    )
    ui = ui_routes(syncer) if config.serve_ui else []
    app = make_app(engine, settings, sync_status=syncer.status, extra_handlers=ui)
    observability.mount(app)
    server = start_server(app, settings, sockets=sockets)
    metrics_port = observability.start(
        engine.store, engine.clock, engine, settings, host=config.host, metrics_port=config.metrics_port
    )
    host = f"[{config.host}]" if ":" in config.host else config.host
    head, _, last = banner(config, f"http://{host}:{port}", sqlite_path).rpartition("\n")  # last: "Press Ctrl+C"
    extra = observability.describe(_redact)
    if metrics_port is not None:
        extra += f"\n  Metrics:      http://{host}:{metrics_port}/metrics (no credentials)"
    out(f"{head}\n{extra}\n{last}")
    warning = exposure_warning(config.kind, config.host, config.ui, bool(config.signing_keys))
    if warning:
        out(warning)
    try:
        await syncer.start()
        await stop.wait()
    finally:
        out("shutting down…")
        server.stop()
        await syncer.stop()
        await engine.stop()
        await observability.stop()
        await http.close()
        await server.close_all_connections()
        for sig in (signal.SIGINT, signal.SIGTERM):
            with contextlib.suppress(NotImplementedError, RuntimeError):
                loop.remove_signal_handler(sig)


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # --help or a usage error: argparse already printed
        return exc.code if isinstance(exc.code, int) else 2
    if args.command == "hash-password":
        return hash_password_command(sys.stdin, print, lambda s: print(s, file=sys.stderr))
    try:
        config = config_from_args(args, os.environ)
    except ConfigError as exc:
        print(f"inngest-lab {args.command}: {exc}", file=sys.stderr)
        return 2
    logs.configure(config.log_format, config.log_level)
    logging.getLogger("inngest_lab.server.access").setLevel(logging.INFO if args.verbose else logging.WARNING)
    try:
        asyncio.run(serve(config, out=lambda s: print(s, flush=True)))
    except (
        OSError,
        StoreUnavailable,
        TracingConfigError,
    ) as exc:  # e.g. the port is taken, the database is in use or unreachable
        print(f"inngest-lab {args.command}: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
