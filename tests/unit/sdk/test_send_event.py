from __future__ import annotations

from typing import Any

from inngest_lab.sdk import Context, ContextSync, Event, TriggerEvent
from tests.unit.sdk.helpers import RecordingTransport, dev_client, h, post


async def test_sync_send_event_is_a_step_run_that_sends_through_the_transport(transport: RecordingTransport) -> None:
    client = dev_client()
    client.set_transport(transport)

    @client.create_function(fn_id="main", trigger=TriggerEvent(event="app/go"))
    def main(ctx: ContextSync) -> Any:
        return ctx.step.send_event("send", Event(name="app/sent", data={"y": 2}))

    res = await post(main, client=client)

    assert res.status == 206
    (op,) = res.body
    assert (op["op"], op["id"], op["name"], op["data"]) == ("StepRun", h("send"), "send", ["evt-0"])
    (payload,) = transport.sent
    assert (payload["name"], payload["data"]) == ("app/sent", {"y": 2})
    assert isinstance(payload["ts"], int)
    assert "id" not in payload


async def test_async_send_event_sends_a_list_and_returns_every_id(transport: RecordingTransport) -> None:
    client = dev_client()
    client.set_transport(transport)

    @client.create_function(fn_id="main", trigger=TriggerEvent(event="app/go"))
    async def main(ctx: Context) -> Any:
        return await ctx.step.send_event("send", [Event(name="a/1", id="fixed"), Event(name="a/2", ts=5)])

    res = await post(main, client=client)

    assert res.body[0]["data"] == ["evt-0", "evt-1"]
    assert [(p["name"], p.get("id"), p["ts"] == 5) for p in transport.sent] == [
        ("a/1", "fixed", False),
        ("a/2", None, True),
    ]


async def test_client_send_sync_from_a_plain_thread_drives_the_async_transport(transport: RecordingTransport) -> None:
    import asyncio

    client = dev_client()
    client.set_transport(transport)

    ids = await asyncio.to_thread(client.send_sync, Event(name="app/x"))

    assert ids == ["evt-0"]
