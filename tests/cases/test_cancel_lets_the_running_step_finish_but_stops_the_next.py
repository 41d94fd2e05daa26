"""Cancelling a run while a step executes does not interrupt that step; no later step runs."""

from __future__ import annotations

import asyncio

import inngest_lab as inngest
from tests.cases.helpers import current


async def test_cancel_during_a_step_stops_before_the_next_step(lab: inngest.Lab, client: inngest.Inngest) -> None:
    entered, release = asyncio.Event(), asyncio.Event()
    steps: list[str] = []

    @client.create_function(fn_id="long", trigger=inngest.TriggerEvent(event="app/long"))
    async def long(ctx: inngest.Context) -> str:
        async def first() -> str:
            entered.set()
            await release.wait()
            steps.append("first")
            return "1"

        await ctx.step.run("first", first)
        await ctx.step.run("second", lambda: steps.append("second"))
        return "done"

    lab.serve(client, [long])
    [event_id] = lab.send({"name": "app/long"})
    await asyncio.wait_for(entered.wait(), 5)
    [run] = await lab.runs(event_id=event_id)
    assert await lab.cancel(run.run_id)
    release.set()
    await lab.idle()

    done = await current(lab, run.run_id)
    assert done.status is inngest.RunStatus.CANCELLED
    assert steps == ["first"]
    assert len(done.stack) == 0  # the step's late result is not saved onto a cancelled run


async def test_cancelled_runs_emit_function_cancelled(lab: inngest.Lab, client: inngest.Inngest) -> None:
    seen: list[str] = []

    @client.create_function(
        fn_id="stuck",
        trigger=inngest.TriggerEvent(event="app/stuck"),
        cancel=[inngest.Cancel(event="app/stop")],
    )
    async def stuck(ctx: inngest.Context) -> None:
        await ctx.step.wait_for_event("never", event="app/never", timeout=86_400_000)

    @client.create_function(fn_id="watch", trigger=inngest.TriggerEvent(event="inngest/function.cancelled"))
    async def watch(ctx: inngest.Context) -> None:
        seen.append(str(ctx.event.data["function_id"]))

    lab.serve(client, [stuck, watch])
    [event_id] = lab.send({"name": "app/stuck"})
    await lab.idle()
    lab.send({"name": "app/stop"})
    await lab.idle()
    [run] = await lab.runs(event_id=event_id)
    assert run.status is inngest.RunStatus.CANCELLED
    assert seen == ["app-stuck"]
