"""group.parallel branches may sleep or wait for events; the group resumes once every branch has a result."""

from __future__ import annotations

from collections import Counter
from datetime import timedelta
from typing import Any

import inngest_lab as inngest
from tests.cases.helpers import current, started_run


async def test_a_sleeping_branch_and_a_running_branch(lab: inngest.Lab, client: inngest.Inngest) -> None:
    calls: Counter[str] = Counter()

    @client.create_function(fn_id="mix", trigger=inngest.TriggerEvent(event="app/mix"))
    async def mix(ctx: inngest.Context) -> list[Any]:
        def work() -> str:
            calls["work"] += 1
            return "worked"

        results = await ctx.group.parallel(
            (lambda: ctx.step.sleep("nap", timedelta(minutes=5)), lambda: ctx.step.run("work", work))
        )
        return list(results)

    lab.serve(client, [mix])
    [event_id] = lab.send({"name": "app/mix"})
    run = await started_run(lab, event_id)
    assert calls["work"] == 1
    assert (await current(lab, run.run_id)).status is inngest.RunStatus.RUNNING

    await lab.advance(minutes=5)
    done = await current(lab, run.run_id)
    assert done.status is inngest.RunStatus.COMPLETED
    assert done.output == [None, "worked"]
    assert calls["work"] == 1


async def test_a_waiting_branch_and_a_running_branch(lab: inngest.Lab, client: inngest.Inngest) -> None:
    calls: Counter[str] = Counter()

    @client.create_function(fn_id="mix", trigger=inngest.TriggerEvent(event="app/mix"))
    async def mix(ctx: inngest.Context) -> list[Any]:
        def work() -> str:
            calls["work"] += 1
            return "worked"

        async def wait() -> str | None:
            got = await ctx.step.wait_for_event("ack", event="app/ack", timeout=timedelta(hours=1))
            return None if got is None else got.name

        return list(await ctx.group.parallel((wait, lambda: ctx.step.run("work", work))))

    lab.serve(client, [mix])
    [event_id] = lab.send({"name": "app/mix"})
    run = await started_run(lab, event_id)
    lab.send({"name": "app/ack"})
    await lab.idle()
    done = await current(lab, run.run_id)
    assert done.status is inngest.RunStatus.COMPLETED
    assert done.output == ["app/ack", "worked"]
    assert calls["work"] == 1
