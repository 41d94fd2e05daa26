"""The command line's share of dashboard auth: the ``--ui-password-hash``/``--session-secret`` flags, the
``inngest-lab hash-password`` command, and what ``dev``/``start`` print about who can reach the dashboard.

    inngest-lab hash-password                  # asks twice (no echo), prints scrypt:...
    printf '%s' "$PW" | inngest-lab hash-password
    inngest-lab start ... --ui-password-hash 'scrypt:...'     # or INNGEST_UI_PASSWORD_HASH
"""

from __future__ import annotations

import argparse
import getpass
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TextIO

from inngest_lab.protocol.consts import ServerKind
from inngest_lab.server.auth_guard import is_loopback
from inngest_lab.server.auth_password import hash_password, is_password_hash

PASSWORD_HASH_ENV = "INNGEST_UI_PASSWORD_HASH"  # noqa: S105 - a variable's name, not a secret
SESSION_SECRET_ENV = "INNGEST_SESSION_SECRET"  # noqa: S105 - a variable's name, not a secret
MIN_SESSION_SECRET_CHARS = 32
HOW_TO_SET = f"run `inngest-lab hash-password`, then pass --ui-password-hash 'scrypt:...' or set {PASSWORD_HASH_ENV}"


ALLOWED_HOSTS_ENV = "INNGEST_ALLOWED_HOSTS"


@dataclass(frozen=True, slots=True)
class UiAuthConfig:
    password_hash: str = ""
    session_secret: str = ""
    allowed_hosts: tuple[str, ...] = ()


def add_auth_flags(p: argparse.ArgumentParser) -> None:
    group = p.add_argument_group(
        "dashboard login",
        f"Flags may also be set as {PASSWORD_HASH_ENV} and {SESSION_SECRET_ENV}. Without a password hash `start` "
        "keeps the dashboard closed (the REST API still takes Authorization: Bearer <signing key>).",
    )
    group.add_argument(
        "--ui-password-hash", metavar="HASH", help="the dashboard password's hash, from `inngest-lab hash-password`"
    )
    group.add_argument(
        "--session-secret",
        metavar="S",
        help="signs login sessions; give every process the same one (default: derived from the signing key)",
    )
    group.add_argument(
        "--allowed-host",
        action="append",
        default=[],
        metavar="NAME",
        help="also answer to this host name and accept pages from it (a port-forwarding or reverse proxy's "
        f"public name; repeatable; {ALLOWED_HOSTS_ENV} takes a comma-separated list)",
    )


def add_hash_password_command(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    sub.add_parser(
        "hash-password",
        help="print the hash of a dashboard password (for --ui-password-hash)",
        description="Reads the password from the terminal (twice, without echo) or from stdin, prints its hash.",
    )


def ui_auth_from_args(
    args: argparse.Namespace, env: Mapping[str, str], error: Callable[[str], Exception]
) -> UiAuthConfig:
    """The validated flags (flag first, then environment); ``error`` builds the exception to raise."""
    password_hash = (getattr(args, "ui_password_hash", None) or env.get(PASSWORD_HASH_ENV) or "").strip()
    secret = getattr(args, "session_secret", None) or env.get(SESSION_SECRET_ENV) or ""
    if password_hash and not is_password_hash(password_hash):
        raise error(f"--ui-password-hash/{PASSWORD_HASH_ENV} is not a hash made by `inngest-lab hash-password`")
    if secret and len(secret) < MIN_SESSION_SECRET_CHARS:
        raise error(f"--session-secret/{SESSION_SECRET_ENV} must be at least {MIN_SESSION_SECRET_CHARS} characters")
    hosts = [*getattr(args, "allowed_host", []), *env.get(ALLOWED_HOSTS_ENV, "").split(",")]
    allowed = tuple(h.strip().lower() for h in hosts if h.strip())
    for name in allowed:
        if any(c in name for c in "/:@ ") and not name.startswith("["):
            raise error(f"--allowed-host takes a host name without scheme, port or path, not {name!r}")
    return UiAuthConfig(password_hash, secret, allowed)


def hash_password_command(stdin: TextIO, out: Callable[[str], None], err: Callable[[str], None]) -> int:
    """``inngest-lab hash-password``: 0 and the hash on ``out``; 2 when the password is empty or mistyped."""
    if stdin.isatty():
        password = getpass.getpass("Dashboard password: ")
        if getpass.getpass("Again: ") != password:
            err("inngest-lab hash-password: the passwords differ")
            return 2
    else:
        password = stdin.readline().rstrip("\r\n")
    if not password:
        err("inngest-lab hash-password: the password is empty")
        return 2
    out(hash_password(password))
    return 0


def dashboard_status(kind: ServerKind, host: str, ui: UiAuthConfig, url: str) -> str:
    """The banner's ``Dashboard:`` line: who may use the dashboard, and where it is unless nobody can."""
    if ui.password_hash:
        return f"login required (password set) at {url}"
    if kind is ServerKind.CLOUD:
        return f"OFF: no UI password; to turn it on, {HOW_TO_SET}"
    exposed = "" if is_loopback(host) else " ON A NON-LOOPBACK INTERFACE"
    return f"open (dev server, no login){exposed} at {url}"


def exposure_warning(kind: ServerKind, host: str, ui: UiAuthConfig, has_signing_key: bool) -> str | None:
    """A loud warning when a dev server without a login listens beyond loopback; None otherwise."""
    if kind is not ServerKind.DEV or ui.password_hash or is_loopback(host):
        return None
    api = "" if has_signing_key else ", its REST API (cancel runs, pause functions, register apps)"
    bar = "!" * 78
    return (
        f"{bar}\n"
        f"WARNING: the dev server listens on {host}, not loopback, and has no login.\n"
        f"Anyone who can reach this port can use the dashboard{api} and send events.\n"
        f"Use --host 127.0.0.1, or {HOW_TO_SET}.\n"
        f"{bar}"
    )
