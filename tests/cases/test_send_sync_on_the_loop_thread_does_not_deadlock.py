"""``client.send_sync`` in a notebook cell (sync code on the Lab's own loop thread) returns the ids at once."""

from __future__ import annotations

import inngest_lab as inngest


async def test_send_sync_from_sync_code_on_the_running_loop_starts_the_run(
    lab: inngest.Lab, client: inngest.Inngest
) -> None:
    @client.create_function(fn_id="echo", trigger=inngest.TriggerEvent(event="app/echo"))
    async def echo(ctx: inngest.Context) -> object:
        return ctx.event.data["say"]

    lab.serve(client, [echo])
    [event_id] = client.send_sync(inngest.Event(name="app/echo", data={"say": "hi"}))  # blocks this loop's thread
    [run] = await lab.wait(event_id)
    assert run.output == "hi"
