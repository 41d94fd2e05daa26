"""``lab.cancel(run_id)`` cancels a parked run: status Cancelled, and none of its later steps ever run."""

from __future__ import annotations

from datetime import timedelta

import inngest_lab as inngest
from tests.cases.helpers import current, started_run


async def test_cancelling_a_sleeping_run_stops_it_for_good(lab: inngest.Lab, client: inngest.Inngest) -> None:
    steps: list[str] = []

    @client.create_function(fn_id="nap", trigger=inngest.TriggerEvent(event="app/nap"))
    async def nap(ctx: inngest.Context) -> str:
        await ctx.step.run("before", lambda: steps.append("before"))
        await ctx.step.sleep("nap", timedelta(hours=1))
        await ctx.step.run("after", lambda: steps.append("after"))
        return "woke"

    lab.serve(client, [nap])
    [event_id] = lab.send({"name": "app/nap"})
    run = await started_run(lab, event_id)
    assert await lab.cancel(run.run_id) is True

    cancelled = await current(lab, run.run_id)
    assert cancelled.status is inngest.RunStatus.CANCELLED
    await lab.advance(hours=2)
    assert (await current(lab, run.run_id)).status is inngest.RunStatus.CANCELLED
    assert steps == ["before"]


async def test_cancel_of_a_finished_or_unknown_run(lab: inngest.Lab, client: inngest.Inngest) -> None:
    @client.create_function(fn_id="quick", trigger=inngest.TriggerEvent(event="app/quick"))
    async def quick(ctx: inngest.Context) -> int:
        return 1

    lab.serve(client, [quick])
    [event_id] = lab.send({"name": "app/quick"})
    [run] = await lab.wait(event_id)
    assert await lab.cancel(run.run_id) is True  # a no-op on an ended run
    assert (await current(lab, run.run_id)).status is inngest.RunStatus.COMPLETED
    assert await lab.cancel("no-such-run") is False
