"""In-band sync against an app on loopback: a reply signed with the server's key is registered from; a refusal
(401) or a reply not signed with that key makes the syncer ask again out-of-band, without the in-band header."""

from __future__ import annotations

import json
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import tornado.web
from tornado.httpserver import HTTPServer
from tornado.netutil import bind_sockets

from inngest_lab.executor.app_sync import AppSyncer
from inngest_lab.executor.clock import SystemClock
from inngest_lab.executor.engine import Engine
from inngest_lab.executor.http_driver import HttpDriver
from inngest_lab.protocol.consts import ServerKind
from inngest_lab.protocol.signing import sign
from inngest_lab.store.sqlite import SqliteStore
from tests.integration.server.conftest import SIGNING_KEY, register_body


@dataclass
class App:
    """Answers the sync PUT: in-band (signed with ``key``) when asked, else ``{}`` as if it registered itself."""

    url: str = ""
    key: str | None = SIGNING_KEY
    refuse_in_band: bool = False
    kinds: list[str | None] = field(default_factory=list)


@pytest.fixture
async def app() -> AsyncIterator[App]:
    state = App()

    class Handler(tornado.web.RequestHandler):
        def put(self) -> None:
            kind = self.request.headers.get("X-Inngest-Sync-Kind")
            state.kinds.append(kind)
            self.set_header("X-Inngest-SDK", "inngest-js:v4.24.0")
            if kind != "in_band":
                self.finish(b"{}")
                return
            if state.refuse_in_band:
                self.set_status(401)
                self.finish(b'{"code":"sig_verification_failed"}')
                return
            reg = register_body(state.url, app="banded")
            reply = {"app_id": "banded", "functions": reg["functions"], "url": state.url, "framework": "node"}
            reply |= {"sdk_language": "js", "sdk_version": "4.24.0", "capabilities": {"trust_probe": "v1"}}
            body = json.dumps(reply).encode()
            self.set_header("X-Inngest-Sync-Kind", "in_band")
            if state.key:
                self.set_header("X-Inngest-Signature", sign(body, state.key, int(time.time())))
            self.finish(body)

    sockets = bind_sockets(0, "127.0.0.1")
    server = HTTPServer(tornado.web.Application([(r"/api/inngest", Handler)]))
    server.add_sockets(sockets)
    state.url = f"http://127.0.0.1:{sockets[0].getsockname()[1]}/api/inngest"
    yield state
    server.stop()
    await server.close_all_connections()


async def sync(app: App, tmp_path: Path) -> tuple[bool, list[str]]:
    http = HttpDriver(SIGNING_KEY)
    engine = Engine(
        SqliteStore(str(tmp_path / "db.sqlite3")), SystemClock(), {"http": http}, server_kind=ServerKind.CLOUD
    )
    await engine.start()
    try:
        state = await AppSyncer(engine, http, in_band=True).sync(app.url)
        return state.ok, [f.fn_id for f in engine.functions()]
    finally:
        await engine.stop()
        await http.close()


async def test_a_signed_in_band_reply_registers_the_app(app: App, tmp_path: Path) -> None:
    assert await sync(app, tmp_path) == (True, ["banded-child"])
    assert app.kinds == ["in_band"]


async def test_a_refusal_or_a_reply_signed_with_another_key_falls_back_to_out_of_band(app: App, tmp_path: Path) -> None:
    app.refuse_in_band = True
    assert await sync(app, tmp_path / "a") == (True, [])
    app.refuse_in_band, app.key = False, "signkey-test-" + "77" * 16
    assert await sync(app, tmp_path / "b") == (True, [])
    assert app.kinds == ["in_band", None, "in_band", None]
