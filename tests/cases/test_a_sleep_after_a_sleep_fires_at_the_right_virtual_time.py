"""A sleep that starts another sleep: each wakes at its own virtual time, measured from when it began."""

from __future__ import annotations

from datetime import timedelta

import inngest_lab as inngest
from inngest_lab.engine.model import HistoryKind
from tests.cases.helpers import current, history, started_run


async def test_second_sleep_starts_when_the_first_ends(lab: inngest.Lab, client: inngest.Inngest) -> None:
    start = lab.clock.now_ms()
    woke: list[int] = []

    @client.create_function(fn_id="twice", trigger=inngest.TriggerEvent(event="app/twice"))
    async def twice(ctx: inngest.Context) -> list[int]:
        await ctx.step.sleep("first", timedelta(minutes=10))
        first = await ctx.step.run("after-first", lambda: lab.clock.now_ms() - start)
        await ctx.step.sleep("second", timedelta(minutes=20))
        second = await ctx.step.run("after-second", lambda: lab.clock.now_ms() - start)
        woke.append(second)
        return [first, second]

    lab.serve(client, [twice])
    [event_id] = lab.send({"name": "app/twice"})
    run = await started_run(lab, event_id)

    await lab.advance(minutes=29)  # the second sleep began at +10 min, so it is not due yet
    assert (await current(lab, run.run_id)).status is inngest.RunStatus.RUNNING
    assert woke == []

    await lab.advance(minutes=1)
    done = await current(lab, run.run_id)
    assert done.status is inngest.RunStatus.COMPLETED
    assert done.output == [10 * 60_000, 30 * 60_000]
    sleeps = [e.data["until_ms"] - start for e in await history(lab, run.run_id) if e.kind is HistoryKind.STEP_SLEEPING]
    assert sleeps == [10 * 60_000, 30 * 60_000]


async def test_one_long_advance_fires_both_sleeps_in_order(lab: inngest.Lab, client: inngest.Inngest) -> None:
    @client.create_function(fn_id="chain", trigger=inngest.TriggerEvent(event="app/chain"))
    async def chain(ctx: inngest.Context) -> str:
        await ctx.step.sleep("one", timedelta(hours=1))
        await ctx.step.sleep("two", timedelta(hours=1))
        return "done"

    lab.serve(client, [chain])
    [event_id] = lab.send({"name": "app/chain"})
    run = await started_run(lab, event_id)
    await lab.advance(days=1)
    done = await current(lab, run.run_id)
    assert done.status is inngest.RunStatus.COMPLETED
    assert done.ended_at_ms == run.created_at_ms + 2 * 3_600_000
