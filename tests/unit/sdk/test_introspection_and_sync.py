from __future__ import annotations

import json
import socket
from collections.abc import AsyncIterator
from typing import Any

import pytest
import tornado.httpserver
import tornado.web

from inngest_lab.sdk import CommHandler, CommRequest, ContextSync, Inngest, TriggerEvent
from tests.unit.sdk.helpers import dev_client

KEY = "signkey-test-12345678abcdef00"
FALLBACK = "signkey-test-00fedcba87654321"


class FakeRegister(tornado.web.RequestHandler):
    """A stand-in for the server's POST /fn/register: records calls, rejects the primary key with 401."""

    calls: list[dict[str, Any]]

    def initialize(self, calls: list[dict[str, Any]], reject_bearer: str | None) -> None:
        self.calls, self.reject = calls, reject_bearer

    def post(self) -> None:
        auth = self.request.headers.get("Authorization")
        self.calls.append({"headers": dict(self.request.headers), "body": json.loads(self.request.body)})
        if self.reject is not None and auth == f"Bearer {self.reject}":
            self.set_status(401)
            self.finish({"error": "Authentication failed"})
            return
        self.finish({"ok": True, "modified": True, "app_id": "A", "sync_id": "S"})


@pytest.fixture
async def register_server() -> AsyncIterator[tuple[str, list[dict[str, Any]]]]:
    from inngest_lab.protocol.signing import hashed_signing_key

    calls: list[dict[str, Any]] = []
    app = tornado.web.Application(
        [(r"/fn/register", FakeRegister, {"calls": calls, "reject_bearer": hashed_signing_key(KEY)})]
    )
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(16)
    sock.setblocking(False)
    server = tornado.httpserver.HTTPServer(app)
    server.add_sockets([sock])
    yield f"http://127.0.0.1:{sock.getsockname()[1]}", calls
    server.stop()


def _fn(client: Inngest) -> Any:
    @client.create_function(fn_id="main", trigger=TriggerEvent(event="app/go"))
    def main(ctx: ContextSync) -> None:
        return None

    return main


async def test_dev_mode_introspection_is_unauthenticated() -> None:
    client = dev_client()
    res = await CommHandler(client, [_fn(client)]).get(CommRequest("GET", "http://app/api/inngest"))

    assert res.status == 200
    assert res.body == {
        "schema_version": "2024-05-24",
        "function_count": 1,
        "has_event_key": False,
        "has_signing_key": False,
        "has_signing_key_fallback": False,
        "mode": "dev",
    }
    assert res.headers["X-Inngest-SDK"] == "inngest-lab:v0.1.0"


async def test_put_registers_out_of_band_and_returns_the_server_reply(
    register_server: tuple[str, list[dict[str, Any]]],
) -> None:
    origin, calls = register_server
    client = Inngest("my-app", is_production=False, api_base_url=origin, environ={})
    handler = CommHandler(client, [_fn(client)])

    res = await handler.put(
        CommRequest("PUT", "http://127.0.0.1:8000/api/inngest?x=1", {}, {"X-Inngest-Server-Kind": "dev"})
    )

    assert (res.status, res.body) == (200, {"ok": True, "modified": True, "app_id": "A", "sync_id": "S"})
    assert res.headers["X-Inngest-Sync-Kind"] == "out_of_band"
    (call,) = calls
    assert call["body"] == handler.registration("http://127.0.0.1:8000/api/inngest")
    assert call["headers"]["X-Inngest-Expected-Server-Kind"] == "dev"
    assert "Authorization" not in call["headers"]


async def test_put_retries_registration_with_the_fallback_key_after_a_401(
    register_server: tuple[str, list[dict[str, Any]]],
) -> None:
    from inngest_lab.protocol.signing import hashed_signing_key

    origin, calls = register_server
    client = Inngest(
        "my-app", is_production=True, signing_key=KEY, signing_key_fallback=FALLBACK, api_base_url=origin, environ={}
    )

    res = await CommHandler(client, [_fn(client)]).put(CommRequest("PUT", "http://app/api/inngest"))

    assert res.status == 200
    assert [c["headers"]["Authorization"] for c in calls] == [
        f"Bearer {hashed_signing_key(KEY)}",
        f"Bearer {hashed_signing_key(FALLBACK)}",
    ]


async def test_put_from_a_server_of_the_other_kind_is_rejected() -> None:
    client = dev_client()

    res = await CommHandler(client, [_fn(client)]).put(
        CommRequest("PUT", "http://app/api/inngest", {}, {"x-inngest-server-kind": "cloud"})
    )

    assert res.status == 400
    assert res.body == {
        "code": "server_kind_mismatch",
        "message": "Sync rejected since it's from Cloud but expected Dev Server",
    }
