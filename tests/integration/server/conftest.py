"""A real engine on a SQLite file, served by the real Tornado app on a free loopback port."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from tornado.httpserver import HTTPServer
from tornado.netutil import bind_sockets

from inngest_lab.executor.clock import SystemClock
from inngest_lab.executor.engine import Engine
from inngest_lab.executor.http_driver import HttpDriver
from inngest_lab.executor.ports import Clock
from inngest_lab.protocol.consts import ServerKind
from inngest_lab.server.app import ServerSettings, make_app, start_server
from inngest_lab.server.engine_port import EngineApi
from inngest_lab.store.sqlite import SqliteStore

SIGNING_KEY = "signkey-test-12345678abcdef00"
HASHED_KEY = "1425c614b3c1496f790eda4bea6c2256db84457b632ab328d8544fe290a611f2"  # protocol doc section 5.2
EVENT_KEY = "test-event-key"


@dataclass(frozen=True, slots=True)
class Reply:
    status: int
    headers: Mapping[str, str]
    text: str
    json: Any


@dataclass
class Api:
    """A running server and a tiny client for it."""

    base_url: str
    engine: EngineApi
    session: aiohttp.ClientSession

    async def call(
        self,
        method: str,
        path: str,
        *,
        body: bytes | None = None,
        json_body: Any = None,
        headers: Mapping[str, str] | None = None,
    ) -> Reply:
        data = body
        hdrs = dict(headers or {})
        if json_body is not None:
            data = json.dumps(json_body).encode()
            hdrs.setdefault("Content-Type", "application/json")
        async with self.session.request(method, self.base_url + path, data=data, headers=hdrs) as resp:
            text = await resp.text()
            try:
                parsed = json.loads(text) if text else None
            except ValueError:
                parsed = None
            return Reply(resp.status, {k.lower(): v for k, v in resp.headers.items()}, text, parsed)


Serve = Callable[..., Awaitable[Api]]


@asynccontextmanager
async def sqlite_engine(tmp_path: Path, clock: Clock, workers: int) -> AsyncIterator[Engine]:
    """A started engine on a SQLite file under ``tmp_path`` that calls SDKs over HTTP; stopped on exit."""
    driver = HttpDriver()
    eng = Engine(SqliteStore(str(tmp_path / "db" / "inngest.sqlite3")), clock, {"http": driver}, workers=workers)
    await eng.start()
    try:
        yield eng
    finally:
        await eng.stop()
        await driver.close()


@pytest.fixture
async def engine(tmp_path: Path) -> AsyncIterator[Engine]:
    async with sqlite_engine(tmp_path, SystemClock(), workers=4) as eng:
        yield eng


@pytest.fixture
async def serve() -> AsyncIterator[Serve]:
    """``await serve(engine, settings=ServerSettings(...))`` starts a server and returns an ``Api``."""
    servers: list[HTTPServer] = []
    sessions: list[aiohttp.ClientSession] = []

    async def start(engine: EngineApi, settings: ServerSettings | None = None, **kwargs: Any) -> Api:
        settings = settings or ServerSettings()
        sockets = bind_sockets(0, "127.0.0.1")
        server = start_server(make_app(engine, settings, **kwargs), settings, sockets=sockets)
        servers.append(server)
        session = aiohttp.ClientSession()
        sessions.append(session)
        return Api(f"http://127.0.0.1:{sockets[0].getsockname()[1]}", engine, session)

    yield start
    for s in sessions:
        await s.close()
    for srv in servers:
        srv.stop()
        await srv.close_all_connections()


@pytest.fixture
async def dev_api(serve: Serve, engine: Engine) -> Api:
    return await serve(engine)


@pytest.fixture
async def cloud_api(serve: Serve, engine: Engine) -> Api:
    settings = ServerSettings(event_keys=[EVENT_KEY], signing_keys=[SIGNING_KEY], server_kind=ServerKind.CLOUD)
    return await serve(engine, settings)


def register_body(url: str, app: str = "my-app") -> dict[str, Any]:
    """A Python-SDK-shaped register body (protocol doc section 3.2) with one function."""
    return {
        "appname": app,
        "deploy_type": "ping",
        "framework": "tornado",
        "sdk": "py:v0.5.19",
        "url": url,
        "v": "0.1",
        "capabilities": {"in_band_sync": "v1", "trust_probe": "v1", "connect": "v1"},
        "functions": [
            {
                "id": f"{app}-child",
                "name": "child",
                "triggers": [{"event": "app/child"}],
                "steps": {
                    "step": {
                        "id": "step",
                        "name": "step",
                        "runtime": {"type": "http", "url": f"{url}?fnId={app}-child&stepId=step"},
                    }
                },
            }
        ],
    }


@dataclass
class FakeSdk:
    """A tiny SDK endpoint on loopback: answers every call with ``reply`` and records what it received."""

    url: str
    calls: list[tuple[dict[str, str], bytes]]
    reply_status: int = 200
    reply_body: bytes = b'"done"'


@pytest.fixture
async def fake_sdk() -> AsyncIterator[FakeSdk]:
    import tornado.web

    sdk = FakeSdk(url="", calls=[])

    class Handler(tornado.web.RequestHandler):
        def get(self) -> None:
            self.set_header("X-Inngest-SDK", "inngest-py:v0.5.19")
            self.write({"mode": "dev"})

        def post(self) -> None:
            sdk.calls.append(({k.lower(): v for k, v in self.request.headers.items()}, self.request.body))
            self.set_status(sdk.reply_status)
            self.set_header("X-Inngest-SDK", "inngest-py:v0.5.19")
            self.set_header("Content-Type", "application/json")
            self.write(sdk.reply_body)

    sockets = bind_sockets(0, "127.0.0.1")
    server = HTTPServer(tornado.web.Application([(r"/api/inngest", Handler)]))
    server.add_sockets(sockets)
    sdk.url = f"http://127.0.0.1:{sockets[0].getsockname()[1]}/api/inngest"
    yield sdk
    server.stop()
    await server.close_all_connections()
