"""step.send_event stores the events, memoizes their ids, and the events start the functions they trigger."""

from __future__ import annotations

import inngest_lab as inngest


async def test_events_sent_from_a_step_are_stored_and_fan_out(lab: inngest.Lab, client: inngest.Inngest) -> None:
    sends: list[int] = []

    @client.create_function(fn_id="sender", trigger=inngest.TriggerEvent(event="app/batch"))
    async def sender(ctx: inngest.Context) -> list[str]:
        ids = await ctx.step.send_event("fan-out", [inngest.Event(name="app/item", data={"n": n}) for n in range(3)])
        sends.append(len(ids))
        await ctx.step.run("after", lambda: None)  # replays send_event from its memo
        return ids

    @client.create_function(fn_id="worker", trigger=inngest.TriggerEvent(event="app/item"))
    async def worker(ctx: inngest.Context) -> int:
        return int(ctx.event.data["n"]) * 10

    lab.serve(client, [sender, worker])
    [event_id] = lab.send({"name": "app/batch"})
    [run] = await lab.wait(event_id)
    assert run.status is inngest.RunStatus.COMPLETED
    assert len(run.output) == 3
    await lab.idle()

    for item_id in run.output:
        [child] = await lab.wait(item_id)
        assert child.fn_id == "app-worker" and child.status is inngest.RunStatus.COMPLETED
    workers = await lab.runs(fn_id="app-worker")
    assert sorted(r.output for r in workers) == [0, 10, 20]
    assert [e.name for e in await lab.engine.store.list_events(name="app/item", limit=10)] == ["app/item"] * 3
    assert sends == [3, 3]  # the handler body after the step ran twice, the send itself once
