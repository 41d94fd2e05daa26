"""REST v2 over real HTTP: a real engine on SQLite, the real Tornado API on a loopback port, and an app of our SDK
served over HTTP on another, registered with the engine (``shop``: ``shop-order``, two steps; ``shop-wait``,
waits a minute for ``shop/go``)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import timedelta
from typing import Any

import pytest
import tornado.web
from tornado.httpserver import HTTPServer
from tornado.netutil import bind_sockets

import inngest_lab as inngest
from inngest_lab.engine.model import Run
from inngest_lab.executor.engine import Engine
from tests.integration.server import conftest as server_fixtures
from tests.integration.server.conftest import Api

# The server tests' fixtures: a real engine on SQLite and the real API on loopback, dev and cloud mode.
engine = server_fixtures.engine
serve = server_fixtures.serve
dev_api = server_fixtures.dev_api
cloud_api = server_fixtures.cloud_api


def shop() -> tuple[inngest.Inngest, list[inngest.Function[Any]]]:
    client = inngest.Inngest(app_id="shop", is_production=False, checkpointing=False)

    @client.create_function(fn_id="order", trigger=inngest.TriggerEvent(event="shop/order"), retries=0)
    async def order(ctx: inngest.Context) -> dict[str, Any]:
        item = await ctx.step.run("reserve", lambda: ctx.event.data.get("item", "book"))
        paid = await ctx.step.run("charge", lambda: 10)
        return {"item": item, "paid": paid}

    @client.create_function(fn_id="wait", trigger=inngest.TriggerEvent(event="shop/wait"), retries=0)
    async def wait(ctx: inngest.Context) -> bool:
        go = await ctx.step.wait_for_event("go", event="shop/go", timeout=timedelta(minutes=1))
        return go is not None

    return client, [order, wait]


@pytest.fixture
async def shop_app(engine: Engine) -> AsyncIterator[str]:
    """Serve ``shop`` on loopback and register it with ``engine``; yields its URL."""
    client, functions = shop()
    app = tornado.web.Application()
    comm = inngest.tornado.serve(app, client, functions)
    sockets = bind_sockets(0, "127.0.0.1")
    server = HTTPServer(app)
    server.add_sockets(sockets)
    url = f"http://127.0.0.1:{sockets[0].getsockname()[1]}/api/inngest"
    await engine.register(comm.registration(url))
    yield url
    server.stop()
    await server.close_all_connections()


async def finished(engine: Engine, event_id: str) -> Run:
    """The run ``event_id`` started, once it has ended."""
    for _ in range(500):
        runs = await engine.store.list_runs(event_id=event_id)
        if runs and runs[0].status.is_terminal:
            return runs[0]
        await asyncio.sleep(0.01)
    raise AssertionError(f"the run of event {event_id} did not end")


async def send(api: Api, name: str, data: dict[str, Any] | None = None) -> str:
    reply = await api.call("POST", "/v2/events", json_body={"name": name, "data": data or {}})
    assert reply.status == 201, reply.text
    return str(reply.json["data"]["eventId"])
