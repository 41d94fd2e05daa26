"""A real engine (fake clock, SQLite file) behind the real headless app on a free loopback port, and a client
that shows the raw exchange: no redirects followed, cookies handled by the test, any ``Host`` or ``Origin``.

The password hash is made with a tiny scrypt cost so logins are fast; the production cost is the default.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from tornado.httpserver import HTTPServer
from tornado.netutil import bind_sockets

from inngest_lab.executor.clock import FakeClock
from inngest_lab.executor.engine import Engine
from inngest_lab.protocol.consts import ServerKind
from inngest_lab.protocol.signing import hashed_signing_key
from inngest_lab.server.app import ServerSettings, make_app, start_server
from inngest_lab.server.auth_password import hash_password
from inngest_lab.server.auth_session import CSRF_COOKIE, SESSION_COOKIE
from tests.integration.server.conftest import sqlite_engine

PASSWORD = "correct horse battery staple"
PASSWORD_HASH = hash_password(PASSWORD, log2_n=4, salt=b"a-fixed-test-salt")
SIGNING_KEY = "signkey-prod-" + "c0ffee" * 8
BEARER = {"Authorization": f"Bearer {hashed_signing_key(SIGNING_KEY)}"}
EVENT_KEY = "auth-test-event-key"
PAGE = {"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"}
"""What a browser sends when it loads a page."""


def start_settings(**overrides: Any) -> ServerSettings:
    """``inngest-lab start`` with a dashboard password."""
    values: dict[str, Any] = {
        "event_keys": [EVENT_KEY],
        "signing_keys": [SIGNING_KEY],
        "server_kind": ServerKind.CLOUD,
        "ui_password_hash": PASSWORD_HASH,
    }
    values.update(overrides)
    return ServerSettings(**values)


@dataclass(frozen=True, slots=True)
class Reply:
    status: int
    headers: Mapping[str, str]
    set_cookies: SimpleCookie
    text: str

    @property
    def json(self) -> Any:
        return json.loads(self.text)


@dataclass
class Server:
    """A running server and a raw client for it. ``cookies`` are sent with every request."""

    port: int
    http: aiohttp.ClientSession
    cookies: dict[str, str] = field(default_factory=dict)

    @property
    def origin(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    async def call(
        self,
        method: str,
        path: str,
        *,
        headers: Mapping[str, str] | None = None,
        body: bytes | None = None,
        form: Mapping[str, str] | None = None,
        json_body: Any = None,
    ) -> Reply:
        hdrs = dict(headers or {})
        if self.cookies:
            hdrs["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        data: Any = body
        if form is not None:
            data = aiohttp.FormData(dict(form))
        elif json_body is not None:
            data = json.dumps(json_body).encode()
            hdrs.setdefault("Content-Type", "application/json")
        async with self.http.request(
            method, self.origin + path, headers=hdrs, data=data, allow_redirects=False
        ) as resp:
            cookies: SimpleCookie = SimpleCookie()
            for raw in resp.headers.getall("Set-Cookie", []):
                cookies.load(raw)
            text = await resp.text()
            return Reply(resp.status, {k.lower(): v for k, v in resp.headers.items()}, cookies, text)

    async def login(self, password: str = PASSWORD, next_path: str = "/") -> Reply:
        """POST the login form; on success keep the session and CSRF cookies for later calls."""
        reply = await self.call("POST", "/login", form={"password": password, "next": next_path})
        for name in (SESSION_COOKIE, CSRF_COOKIE):
            if name in reply.set_cookies:
                self.cookies[name] = reply.set_cookies[name].value
        return reply


Serve = Callable[..., Awaitable[Server]]


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
async def lab_engine(tmp_path: Path, clock: FakeClock) -> AsyncIterator[Engine]:
    async with sqlite_engine(tmp_path, clock, workers=2) as eng:
        yield eng


@pytest.fixture
async def serve(lab_engine: Engine) -> AsyncIterator[Serve]:
    """``await serve(settings, bind="127.0.0.1")``: a server on a free port of ``bind``."""
    servers: list[HTTPServer] = []
    sessions: list[aiohttp.ClientSession] = []

    async def start(settings: ServerSettings | None = None, *, bind: str = "127.0.0.1", **kwargs: Any) -> Server:
        settings = settings or ServerSettings(listen_host=bind)
        sockets = bind_sockets(0, bind)
        servers.append(start_server(make_app(lab_engine, settings, **kwargs), settings, sockets=sockets))
        session = aiohttp.ClientSession(cookie_jar=aiohttp.DummyCookieJar())
        sessions.append(session)
        return Server(int(sockets[0].getsockname()[1]), session)

    yield start
    for s in sessions:
        await s.close()
    for srv in servers:
        srv.stop()
        await srv.close_all_connections()
