from __future__ import annotations

import asyncio
import json
import socket
from collections.abc import AsyncIterator
from typing import Any

import pytest
import tornado.httpserver
import tornado.web

from inngest_lab.sdk import ContextSync, Event, Inngest, SendEventsError, TriggerEvent
from inngest_lab.sdk.errors import EventKeyUnspecifiedError
from tests.unit.sdk.helpers import post


class FakeEventApi(tornado.web.RequestHandler):
    def initialize(self, seen: list[dict[str, Any]]) -> None:
        self.seen = seen

    def post(self, key: str) -> None:
        events = json.loads(self.request.body)
        self.seen.append({"key": key, "headers": dict(self.request.headers), "events": events})
        if any(e["name"] == "bad" for e in events):
            self.set_status(400)
            self.finish({"ids": [], "status": 400, "error": "event name is bad"})
            return
        self.finish({"ids": [f"id-{i}" for i in range(len(events))], "status": 200})


@pytest.fixture
async def event_api() -> AsyncIterator[tuple[str, list[dict[str, Any]]]]:
    seen: list[dict[str, Any]] = []
    app = tornado.web.Application([(r"/e/(.*)", FakeEventApi, {"seen": seen})])
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(16)
    sock.setblocking(False)
    server = tornado.httpserver.HTTPServer(app)
    server.add_sockets([sock])
    yield f"http://127.0.0.1:{sock.getsockname()[1]}", seen
    server.stop()


async def test_send_posts_a_json_array_to_the_no_key_path_in_dev_mode(
    event_api: tuple[str, list[dict[str, Any]]],
) -> None:
    origin, seen = event_api
    client = Inngest("a", is_production=False, event_api_base_url=origin, environ={})

    ids = await client.send([Event(name="app/one", data={"y": 2}), Event(name="app/two")])

    assert ids == ["id-0", "id-1"]
    (req,) = seen
    assert req["key"] == "NO_EVENT_KEY_SET"
    assert [e["name"] for e in req["events"]] == ["app/one", "app/two"]
    assert req["headers"]["X-Inngest-Sdk"] == "inngest-lab:v0.1.0"
    assert "," in req["headers"]["X-Inngest-Event-Id-Seed"]


async def test_an_error_in_the_event_api_reply_raises_send_events_error(
    event_api: tuple[str, list[dict[str, Any]]],
) -> None:
    origin, _ = event_api
    client = Inngest("a", is_production=False, event_api_base_url=origin, event_key="k", environ={})

    with pytest.raises(SendEventsError, match="event name is bad"):
        await client.send(Event(name="bad"))


def test_send_sync_without_a_running_loop_uses_a_private_loop() -> None:
    class Echo:
        async def send(self, payloads: list[dict[str, Any]]) -> list[str]:
            await asyncio.sleep(0)
            return [p["name"] for p in payloads]

    client = Inngest("a", is_production=False, environ={})
    client.set_transport(Echo())

    assert client.send_sync(Event(name="n")) == ["n"]


async def test_cloud_mode_send_without_an_event_key_is_refused() -> None:
    client = Inngest("a", is_production=True, signing_key="signkey-prod-00", environ={})

    with pytest.raises(EventKeyUnspecifiedError):
        await client.send(Event(name="x"))


async def test_send_event_from_a_sync_function_runs_the_transport_on_the_serving_loop() -> None:
    serving_loop = asyncio.get_running_loop()
    loops: list[asyncio.AbstractEventLoop] = []

    class LoopBound:
        """Like an in-process transport whose store is bound to the engine's loop."""

        async def send(self, payloads: list[dict[str, Any]]) -> list[str]:
            loops.append(asyncio.get_running_loop())
            return ["e1"]

    client = Inngest("a", is_production=False, environ={})
    client.set_transport(LoopBound())

    @client.create_function(fn_id="main", trigger=TriggerEvent(event="app/go"))
    def main(ctx: ContextSync) -> Any:
        return ctx.step.send_event("send", Event(name="app/sent"))

    res = await post(main, client=client)

    assert res.body[0]["data"] == ["e1"]
    assert loops == [serving_loop]
