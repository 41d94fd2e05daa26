"""An app served by ``inngest_lab.sdk`` in cloud mode refuses a signed call request whose signature is more than
5 minutes old (or ahead), as the official TS SDK does: a captured request cannot be replayed later. Over real
HTTP to the SDK's Tornado adapter; ages are far from the edge so the system clock cannot make this flaky. The
exact edge is pinned with the handler's own clock."""

from __future__ import annotations

import json
import time
from collections.abc import AsyncIterator
from typing import Any

import aiohttp
import jcs
import pytest
import tornado.web
from tornado.httpserver import HTTPServer
from tornado.netutil import bind_sockets

from inngest_lab.protocol import signing
from inngest_lab.sdk import CommHandler, CommRequest, ContextSync, Inngest, TriggerEvent
from inngest_lab.sdk.tornado import serve as serve_sdk
from tests.unit.sdk.helpers import call_request

KEY = "signkey-prod-" + "5e" * 32


def _client() -> Inngest:
    return Inngest("replay-app", is_production=True, signing_key=KEY, environ={})


def _functions(client: Inngest) -> list[Any]:
    @client.create_function(fn_id="main", trigger=TriggerEvent(event="app/go"))
    def main(ctx: ContextSync) -> Any:
        return {"ran": True}

    return [main]


@pytest.fixture
async def sdk_url() -> AsyncIterator[str]:
    app = tornado.web.Application()
    client = _client()
    serve_sdk(app, client, _functions(client))
    sockets = bind_sockets(0, "127.0.0.1")
    server = HTTPServer(app)
    server.add_sockets(sockets)
    yield f"http://127.0.0.1:{sockets[0].getsockname()[1]}/api/inngest?fnId=replay-app-main&stepId=step"
    server.stop()
    await server.close_all_connections()


async def _post(url: str, body: bytes, signed_at_s: int) -> int:
    headers = {"Content-Type": "application/json", "X-Inngest-Signature": signing.sign(body, KEY, signed_at_s)}
    async with aiohttp.ClientSession() as http, http.post(url, data=body, headers=headers) as resp:
        return resp.status


async def test_a_fresh_signature_runs_and_a_replayed_old_one_is_refused(sdk_url: str) -> None:
    body = jcs.canonicalize(call_request())
    now = int(time.time())
    assert await _post(sdk_url, body, now) == 200
    assert await _post(sdk_url, body, now - 30 * 60) == 401
    assert await _post(sdk_url, body, now + 30 * 60) == 401


@pytest.mark.parametrize(("age_s", "status"), [(0, 200), (300, 200), (301, 401), (-300, 200), (-301, 401)])
async def test_the_window_is_five_minutes_each_way(age_s: int, status: int) -> None:
    signed_at_s = 1_700_000_000
    client = _client()
    handler = CommHandler(client, _functions(client), now_ms=lambda: (signed_at_s + age_s) * 1000)
    body = jcs.canonicalize(call_request())
    headers = {"x-inngest-signature": signing.sign(body, KEY, signed_at_s)}
    query = {"fnId": "replay-app-main", "stepId": "step"}
    res = await handler.post(CommRequest("POST", "http://app/api/inngest", query, headers, body))
    assert res.status == status, json.dumps(res.body)


async def test_a_non_ascii_signature_is_refused_not_an_error() -> None:
    client = _client()
    handler = CommHandler(client, _functions(client))
    body = jcs.canonicalize(call_request())
    headers = {"x-inngest-signature": f"t={int(time.time())}&s=é"}
    res = await handler.post(CommRequest("POST", "http://app/api/inngest", {"fnId": "replay-app-main"}, headers, body))
    assert res.status == 401
