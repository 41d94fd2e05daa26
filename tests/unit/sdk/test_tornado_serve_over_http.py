from __future__ import annotations

import json
import socket
from collections.abc import AsyncIterator
from typing import Any

import pytest
import tornado.httpserver
import tornado.web
from tornado.httpclient import AsyncHTTPClient, HTTPRequest

from inngest_lab.sdk import Context, ContextSync, TriggerEvent
from inngest_lab.sdk import tornado as inngest_tornado
from tests.unit.sdk.helpers import call_request, dev_client, h


@pytest.fixture
async def served_app() -> AsyncIterator[str]:
    client = dev_client()

    @client.create_function(fn_id="sync-fn", trigger=TriggerEvent(event="app/go"))
    def sync_fn(ctx: ContextSync) -> Any:
        return ctx.step.run("a", lambda: "A")

    @client.create_function(fn_id="async-fn", trigger=TriggerEvent(event="app/go"))
    async def async_fn(ctx: Context) -> Any:
        a = await ctx.step.run("a", lambda: "A")
        return {"a": a, "event": ctx.event.name}

    app = tornado.web.Application()
    inngest_tornado.serve(app, client, [sync_fn, async_fn])
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(16)
    sock.setblocking(False)
    server = tornado.httpserver.HTTPServer(app)
    server.add_sockets([sock])
    yield f"http://127.0.0.1:{sock.getsockname()[1]}/api/inngest"
    server.stop()


async def test_a_call_request_over_real_http_returns_206_with_sdk_headers(served_app: str) -> None:
    http = AsyncHTTPClient()
    req = HTTPRequest(f"{served_app}?fnId=my-app-sync-fn&stepId=step", method="POST", body=json.dumps(call_request()))

    res = await http.fetch(req, raise_error=False)

    assert res.code == 206
    assert res.headers["X-Inngest-Sdk"] == "inngest-lab:v0.1.0"
    assert res.headers["X-Inngest-Req-Version"] == "2"
    assert json.loads(res.body)[0]["data"] == "A"


async def test_an_async_function_over_real_http_completes_with_its_return_value(served_app: str) -> None:
    http = AsyncHTTPClient()
    body = json.dumps(call_request(steps={h("a"): {"data": "A"}}))

    res = await http.fetch(
        HTTPRequest(f"{served_app}?fnId=my-app-async-fn&stepId=step", method="POST", body=body), raise_error=False
    )

    assert (res.code, json.loads(res.body)) == (200, {"a": "A", "event": "app/go"})


async def test_get_over_http_is_the_autodiscovery_probe(served_app: str) -> None:
    res = await AsyncHTTPClient().fetch(served_app, raise_error=False)

    assert res.code == 200
    assert "X-Inngest-Sdk" in res.headers
    assert json.loads(res.body)["function_count"] == 2
