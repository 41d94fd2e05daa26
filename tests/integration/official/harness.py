"""Official SDK apps against the real ``inngest-lab`` CLI: processes, and what a test sees of them.

A ``Stack`` is one server mode with the two scenario apps synced to it: the Python app (``py_app.py``, PyPI
``inngest`` 0.5.19 on Tornado) and the TypeScript app (``ts_app/app.mjs``, npm ``inngest`` 4 on
``inngest/node``). ``dev`` is ``inngest-lab dev`` with apps in dev mode (``INNGEST_DEV``); ``start`` is
``inngest-lab start`` with an event key and a signing key plus fallback, apps in cloud mode
(``INNGEST_BASE_URL``, ``INNGEST_SIGNING_KEY``, ``INNGEST_EVENT_KEY``). A ``shared`` stack is production mode:
two ``inngest-lab start`` processes on one Postgres + one Redis (its own, started by the stack), the apps
synced by both and registering with the first; a ``Target`` sends its events to the two processes in turn
and reads the REST API from them in turn, and reads the run timeline from Postgres. The stacks start once per
session, as soon as collection finds tests that use them, so they sync (and the cron tick comes) while other
tests run.

Time is real: the SDKs stamp sleeps and ``Retry-After`` with their own wall clocks, so a server clock skipped
ahead would see them in its past. Sleeps and timeouts in the apps are therefore about a second, and the servers
run with ``--retry-interval 1`` (Inngest's dev-server flag) instead of the 15 s+ backoff table. A ``Target`` is
one SDK on one stack: the user's view (Event API, REST API) plus the run timeline read from the server's
SQLite file (Postgres for a shared stack).
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import sqlite3
import subprocess
import sys
import time
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from enum import StrEnum
from pathlib import Path
from typing import Any

import aiohttp
import psycopg

from inngest_lab.cli import DB_FILE
from inngest_lab.engine.model import HistoryEntry, HistoryKind
from inngest_lab.protocol.consts import RunStatus
from inngest_lab.store import codec, sqlite_queries
from tests.integration.conftest import REPO_ROOT, Process, poll
from tests.services import PostgresServer, RedisServer, free_port

HERE = Path(__file__).parent
PY_APP = HERE / "py_app.py"
TS_APP_DIR = HERE / "ts_app"
TS_APP = TS_APP_DIR / "app.mjs"
SIGNING_KEY = "signkey-test-" + "5a" * 32
FALLBACK_KEY = "signkey-test-" + "c3" * 32
EVENT_KEY = "lab-event-key-1"
STARTUP_S = 30.0
SHARED_PROCESSES = 2


class Sdk(StrEnum):
    """Also the app id, the event-name prefix and the function-id prefix."""

    PY = "py"
    TS = "ts"


class Mode(StrEnum):
    DEV = "dev"
    START = "start"


def ensure_ts_app() -> None:
    """Install the TS app's locked dependencies (``npm ci``) when ``node_modules`` is missing."""
    if (TS_APP_DIR / "node_modules" / "inngest" / "package.json").exists():
        return
    npm = shutil.which("npm")
    if npm is None:
        raise RuntimeError("npm is needed for the TypeScript SDK tests (`make test` installs node and npm)")
    subprocess.run([npm, "ci", "--no-audit", "--no-fund", "--loglevel=error"], cwd=TS_APP_DIR, check=True, timeout=600)


@dataclass
class Stack:
    """One ``inngest-lab`` server (dev or start) and both scenario apps, synced with ``-u``."""

    mode: Mode
    tmp: Path
    shared: bool = False  # production mode: SHARED_PROCESSES ``start`` processes on Postgres + Redis
    port: int = 0
    app_ports: dict[Sdk, int] = field(default_factory=dict)
    processes: list[Process] = field(default_factory=list)
    servers: list[Process] = field(default_factory=list)
    ports: list[int] = field(default_factory=list)
    postgres: PostgresServer | None = None
    redis: RedisServer | None = None
    postgres_uri: str = ""
    _turn: int = 0

    @property
    def name(self) -> str:
        return f"{self.mode}-pg" if self.shared else self.mode.value

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def next_url(self) -> str:
        """The servers' URLs in turn (the only one's, unless shared): where the next request goes."""
        self._turn += 1
        return f"http://127.0.0.1:{self.ports[self._turn % len(self.ports)]}"

    def check_alive(self) -> None:
        for server in self.servers:
            server.check_alive()

    @property
    def db_path(self) -> Path:
        return self.tmp / "db" / DB_FILE

    @property
    def server(self) -> Process:
        return self.servers[0]

    def app_url(self, sdk: Sdk) -> str:
        return f"http://127.0.0.1:{self.app_ports[sdk]}/api/inngest"

    def app_env(self, *, signing_key: str = SIGNING_KEY, fallback: str | None = FALLBACK_KEY) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith("INNGEST_")}
        env["PYTHONUNBUFFERED"] = "1"
        if self.mode is Mode.DEV:
            env["INNGEST_DEV"] = self.url
            return env
        env.update(INNGEST_BASE_URL=self.url, INNGEST_SIGNING_KEY=signing_key, INNGEST_EVENT_KEY=EVENT_KEY)
        if fallback:
            env["INNGEST_SIGNING_KEY_FALLBACK"] = fallback
        return env

    def start_app(self, sdk: Sdk, name: str, port: int, env: Mapping[str, str], *, app_id: str = "") -> Process:
        """Start one scenario app (not waiting for it), with app id ``app_id`` (default: the SDK's name)."""
        argv = [sys.executable, str(PY_APP)] if sdk is Sdk.PY else ["node", str(TS_APP)]
        proc = Process(name, [*argv, app_id or sdk.value, str(port)], dict(env), self.tmp / f"{name}.log")
        self.processes.insert(0, proc)
        proc.start()
        return proc

    def launch(self) -> None:
        """Start both apps and the server without waiting: the server syncs each app with ``-u`` and, with
        ``--no-poll --poll-interval 1``, retries every second until the app listens (then never again)."""
        (self.tmp / "db").mkdir(parents=True, exist_ok=True)
        self.port = free_port()
        for sdk in Sdk:
            self.app_ports[sdk] = free_port()
            self.start_app(sdk, f"{sdk}-app-{self.name}", self.app_ports[sdk], self.app_env())
        stores: list[str] = []
        if self.shared:
            self.postgres = PostgresServer(self.tmp).start()
            self.redis = RedisServer(self.tmp).start()
            self.postgres_uri = self.postgres.create_database("lab")
            stores = ["--postgres-uri", self.postgres_uri, "--redis-uri", self.redis.uri(), "--queue-lease", "2"]
        self.ports = [self.port] + [free_port() for _ in range(SHARED_PROCESSES - 1 if self.shared else 0)]
        for i, port in enumerate(self.ports):
            argv = [sys.executable, "-m", "inngest_lab.cli", self.mode.value, "--port", str(port), *stores]
            argv += ["--sqlite-dir", str(self.tmp / "db"), "--workers", "32", "-v", "--retry-interval", "1"]
            argv += ["--no-poll", "--poll-interval", "1", *[a for sdk in Sdk for a in ("-u", self.app_url(sdk))]]
            if self.mode is Mode.DEV:
                argv.append("--no-discovery")
            else:
                argv += ["--event-key", EVENT_KEY, "--signing-key", SIGNING_KEY]
                argv += ["--signing-key-fallback", FALLBACK_KEY]
                argv += ["--in-band-sync"]  # both SDKs answer it in cloud mode (dev asks by default)
            env = {k: v for k, v in os.environ.items() if not k.startswith("INNGEST_")}
            env["PYTHONUNBUFFERED"] = "1"
            name = f"inngest-lab-{self.name}" + (f"-{i}" if self.shared else "")
            server = Process(name, argv, env, self.tmp / f"server-{self.name}{i or ''}.log")
            self.processes.append(server)
            self.servers.append(server)
            server.start()

    def wait_synced(self) -> None:
        """Block until both apps are registered (an app registers all its functions in one sync) and every
        server listens (the first process's sync can land before a second process is up)."""
        deadline = time.monotonic() + STARTUP_S
        while not (
            all(any(f.startswith(f"{sdk}-") for f in self.functions()) for sdk in Sdk)
            and all(_listening(port) for port in self.ports)
        ):
            for p in self.processes:
                p.check_alive()
            if time.monotonic() > deadline:
                raise AssertionError(f"the apps did not sync: {self.functions()}\n{self.logs()}")
            time.sleep(0.05)

    def functions(self) -> list[str]:
        if self.shared:
            try:
                return [str(row[0]) for row in self.pg("SELECT fn_id FROM functions")]
            except psycopg.errors.UndefinedTable:
                return []  # not migrated yet
        if not self.db_path.exists():
            return []
        with self.read() as conn:
            try:
                return [f.fn_id for f in sqlite_queries.list_functions(conn)]
            except sqlite3.OperationalError:
                return []  # tables not created yet

    def pg(self, sql: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
        """Query the shared stack's Postgres (what the REST API reads, straight from its tables)."""
        with psycopg.connect(self.postgres_uri, autocommit=True) as conn:
            return list(conn.execute(sql.encode(), params).fetchall())

    def history(self, run_id: str) -> list[HistoryEntry]:
        if self.shared:
            rows = self.pg(
                "SELECT run_id, at_ms, kind, step_id, name, attempt, data_json FROM history"
                " WHERE run_id = %s ORDER BY seq",
                (run_id,),
            )
            return [codec.history_from_row(*row) for row in rows]
        with self.read() as conn:
            return sqlite_queries.history(conn, run_id)

    def read(self) -> sqlite3.Connection:
        return sqlite3.connect(f"file:{self.db_path}?mode=ro", uri=True, timeout=5)

    def logs(self, lines: int = 30) -> str:
        out = []
        for p in self.processes:
            text = p.log.read_text(errors="replace").splitlines() if p.log.exists() else []
            out.append(f"--- {p.name} ---\n" + "\n".join(text[-lines:]))
        return "\n".join(out)

    def close(self) -> None:
        for p in self.processes:
            p.kill()
        for service in (self.postgres, self.redis):
            if service is not None:
                service.close()


def _listening(port: int) -> bool:
    try:
        socket.create_connection(("127.0.0.1", port), timeout=1).close()
    except OSError:
        return False
    return True


@dataclass
class Target:
    """One SDK's app on one stack, seen through the server's public API."""

    sdk: Sdk
    stack: Stack
    session: aiohttp.ClientSession
    app_id: str = ""  # default: the SDK's name

    @property
    def mode(self) -> Mode:
        return self.stack.mode

    @property
    def cloud(self) -> bool:
        return self.stack.mode is Mode.START

    def with_sdk(self, sdk: Sdk, app_id: str = "") -> Target:
        return replace(self, sdk=sdk, app_id=app_id)

    def event(self, name: str) -> str:
        return f"{self.app_id or self.sdk}/{name}"

    def fn(self, name: str) -> str:
        return f"{self.app_id or self.sdk}-{name}"

    @property
    def auth(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {SIGNING_KEY}"} if self.cloud else {}

    @property
    def event_key(self) -> str:
        return EVENT_KEY if self.cloud else "any-key"

    def logs(self) -> str:
        return self.stack.logs()

    async def get(self, path: str) -> tuple[int, Any]:
        async with self.session.get(self.stack.next_url() + path, headers=self.auth) as resp:
            return resp.status, await resp.json(content_type=None)

    async def data(self, path: str) -> Any:
        status, body = await self.get(path)
        assert status == 200, f"GET {path} -> {status}: {body}"
        return body["data"]

    async def send(self, name: str, data: Mapping[str, Any] | None = None) -> str:
        """``POST /e/{key}`` the event ``<sdk>/<name>``; return its internal id."""
        payload = [{"name": self.event(name), "data": dict(data or {})}]
        async with self.session.post(f"{self.stack.next_url()}/e/{self.event_key}", json=payload) as resp:
            body = await resp.json(content_type=None)
            assert resp.status == 200, body
        [event_id] = body["ids"]
        return str(event_id)

    async def run_of(self, event_id: str, fn: str | None = None) -> dict[str, Any]:
        """The run ``event_id`` started (of function ``fn`` when given), once it exists."""

        async def first() -> dict[str, Any] | None:
            status, body = await self.get(f"/v1/events/{event_id}/runs")
            if status == 404:
                return None  # not stored yet
            assert status == 200, body
            runs = [r for r in body["data"] if fn is None or r["function_id"] == fn]
            return runs[0] if runs else None

        return await poll(first, f"a run for event {event_id}")

    async def finished(self, run_id: str) -> dict[str, Any]:
        async def ended() -> dict[str, Any] | None:
            self.stack.check_alive()
            run: dict[str, Any] = await self.data(f"/v1/runs/{run_id}")
            if not RunStatus(run["status"]).is_terminal:
                return None
            if self.stack.shared and not self.stack.pg("SELECT 1 FROM runs WHERE run_id = %s AND ended", (run_id,)):
                return None  # the end is not in Postgres yet, nor (in the same flush) the run's last history
            return run

        return await poll(ended, f"run {run_id} to end\n{self.logs()}")

    async def run(self, name: str, data: Mapping[str, Any] | None = None) -> dict[str, Any]:
        """Send ``<sdk>/<name>`` and return its run once it has ended."""
        return await self.finished((await self.run_of(await self.send(name, data)))["run_id"])

    def history(self, run_id: str) -> list[HistoryEntry]:
        return self.stack.history(run_id)

    async def reached(self, run_id: str, kind: HistoryKind) -> HistoryEntry:
        """The first ``kind`` entry of the run's timeline, once committed."""

        async def seen() -> HistoryEntry | None:
            self.stack.check_alive()
            return next((e for e in self.history(run_id) if e.kind is kind), None)

        return await poll(seen, f"{kind.value} in run {run_id}\n{self.logs()}")

    async def events(self, name: str, *, at_least: int = 1) -> list[dict[str, Any]]:
        """Stored events named ``name`` (full name), newest first, once there are ``at_least``."""

        async def listed() -> list[dict[str, Any]] | None:
            found: list[dict[str, Any]] = await self.data(f"/v1/events?name={name}&limit=100")
            return found if len(found) >= at_least else None

        return await poll(listed, f"{at_least} {name} events")

    async def lifecycle_event(self, name: str, run_id: str) -> dict[str, Any]:
        """The server's ``inngest/function.*`` event about ``run_id``, once published (after the run's commit)."""

        async def published() -> dict[str, Any] | None:
            found: list[dict[str, Any]] = await self.data(f"/v1/events?name={name}&limit=100")
            return next((e for e in found if e["data"].get("run_id") == run_id), None)

        return await poll(published, f"{name} for run {run_id}")


def error_text(run: Mapping[str, Any]) -> str:
    """A failed run's output (its error) as text, for ``in`` checks."""
    return json.dumps(run.get("output"))


__all__ = ["REPO_ROOT", "Mode", "Sdk", "Stack", "Target", "ensure_ts_app", "error_text"]
