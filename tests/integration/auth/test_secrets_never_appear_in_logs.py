"""Nothing the server logs or prints, at any level, holds a secret: not the password (right or wrong), its hash,
the session or CSRF tokens, the session secret, the signing key (plain or hashed) or the event key."""

from __future__ import annotations

import logging

import pytest

from inngest_lab.cli import Config, banner
from inngest_lab.protocol.consts import ServerKind
from inngest_lab.protocol.signing import hashed_signing_key, strip_key_prefix
from inngest_lab.server.auth_cli import UiAuthConfig, exposure_warning
from inngest_lab.server.auth_session import CSRF_COOKIE, SESSION_COOKIE
from tests.integration.auth.conftest import (
    BEARER,
    EVENT_KEY,
    PASSWORD,
    PASSWORD_HASH,
    SIGNING_KEY,
    Serve,
    start_settings,
)

WRONG_GUESS = "my-other-password-guess"
SESSION_SECRET = "a-session-secret-of-forty-characters-xyz"


async def test_a_login_session_and_api_traffic_log_no_secret(serve: Serve, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    server = await serve(start_settings(session_secret=SESSION_SECRET))
    assert (await server.login(WRONG_GUESS)).status == 401
    assert (await server.login()).status == 303
    csrf = {"X-CSRF-Token": server.cookies[CSRF_COOKIE]}
    await server.call("GET", "/lab/runs")
    await server.call("POST", "/v1/functions/x/pause", headers={"X-CSRF-Token": "forged"})
    await server.call("POST", "/v1/functions/x/pause", headers=csrf)
    await server.call("POST", "/logout", headers=csrf)
    await server.call("GET", "/v1/events", headers=BEARER)
    await server.call("GET", "/v1/events", headers={"Authorization": f"Bearer {strip_key_prefix(SIGNING_KEY)}x"})
    await server.call("POST", f"/e/{EVENT_KEY}", body=b'{"name": "a/b"}')
    await server.call("POST", "/e/not-the-key", body=b'{"name": "a/b"}')
    logged = "\n".join(f"{r.getMessage()} {r.args!r} {r.exc_text or ''}" for r in caplog.records)
    assert "dashboard login" in logged and "failed dashboard login" in logged  # logins are logged, secrets not
    secrets = [
        PASSWORD,
        WRONG_GUESS,
        PASSWORD_HASH,
        *PASSWORD_HASH.split(":")[4:],
        server.cookies[SESSION_COOKIE],
        server.cookies[SESSION_COOKIE].split(".")[3],
        server.cookies[CSRF_COOKIE],
        SESSION_SECRET,
        strip_key_prefix(SIGNING_KEY),
        hashed_signing_key(SIGNING_KEY),
        EVENT_KEY,
    ]
    for secret in secrets:
        assert secret not in logged, secret


def test_the_banner_and_warnings_print_no_secret() -> None:
    ui = UiAuthConfig(password_hash=PASSWORD_HASH, session_secret=SESSION_SECRET)
    config = Config(
        kind=ServerKind.CLOUD,
        host="0.0.0.0",
        port=8288,
        sqlite_dir="/data",
        workers=4,
        sdk_urls=(),
        discovery=False,
        poll=True,
        poll_interval_s=0,
        event_keys=(EVENT_KEY,),
        signing_keys=(SIGNING_KEY,),
        ui=ui,
    )
    printed = banner(config, "http://0.0.0.0:8288", "/data/main.db") + repr(start_settings(session_secret="s" * 40))
    printed += exposure_warning(ServerKind.DEV, "0.0.0.0", UiAuthConfig(), False) or ""
    assert "Dashboard:    login required" in printed
    for secret in (PASSWORD_HASH, SESSION_SECRET, "s" * 40, EVENT_KEY, strip_key_prefix(SIGNING_KEY)):
        assert secret not in printed, secret
