"""wait_for_event returns None when no matching event arrives before the timeout."""

from __future__ import annotations

from datetime import timedelta

import inngest_lab as inngest
from inngest_lab.engine.model import HistoryKind
from tests.cases.helpers import current, history_kinds, started_run


async def test_wait_for_event_returns_none_after_the_timeout(lab: inngest.Lab, client: inngest.Inngest) -> None:
    @client.create_function(fn_id="approval", trigger=inngest.TriggerEvent(event="app/request"))
    async def approval(ctx: inngest.Context) -> str:
        answer = await ctx.step.wait_for_event("approve", event="app/approved", timeout=timedelta(minutes=30))
        return "timed out" if answer is None else "approved"

    lab.serve(client, [approval])
    [event_id] = lab.send({"name": "app/request"})
    run = await started_run(lab, event_id)

    await lab.advance(minutes=29)
    assert (await current(lab, run.run_id)).status is inngest.RunStatus.RUNNING

    await lab.advance(minutes=1)
    done = await current(lab, run.run_id)
    assert done.status is inngest.RunStatus.COMPLETED
    assert done.output == "timed out"
    assert HistoryKind.STEP_TIMED_OUT in await history_kinds(lab, run.run_id)


async def test_an_event_after_the_timeout_changes_nothing(lab: inngest.Lab, client: inngest.Inngest) -> None:
    @client.create_function(fn_id="late", trigger=inngest.TriggerEvent(event="app/request"))
    async def late(ctx: inngest.Context) -> bool:
        answer = await ctx.step.wait_for_event("approve", event="app/approved", timeout=timedelta(seconds=5))
        return answer is not None

    lab.serve(client, [late])
    [event_id] = lab.send({"name": "app/request"})
    run = await started_run(lab, event_id)
    await lab.advance(seconds=5)
    lab.send({"name": "app/approved"})
    await lab.idle()
    done = await current(lab, run.run_id)
    assert done.status is inngest.RunStatus.COMPLETED and done.output is False
