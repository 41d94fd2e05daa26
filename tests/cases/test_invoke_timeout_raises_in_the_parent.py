"""An invoke whose child does not finish within ``timeout`` raises in the parent, at the timeout's virtual time."""

from __future__ import annotations

from datetime import timedelta

import inngest_lab as inngest
from tests.cases.helpers import current, started_run


async def test_invoke_timeout_raises_step_error_when_the_child_is_too_slow(
    lab: inngest.Lab, client: inngest.Inngest
) -> None:
    @client.create_function(fn_id="slow", trigger=inngest.TriggerEvent(event="app/never"))
    async def slow(ctx: inngest.Context) -> str:
        await ctx.step.sleep("long", timedelta(hours=2))
        return "too late"

    @client.create_function(fn_id="parent", trigger=inngest.TriggerEvent(event="app/parent"))
    async def parent(ctx: inngest.Context) -> str:
        try:
            return str(await ctx.step.invoke("call-slow", function=slow, timeout=timedelta(hours=1)))
        except inngest.StepError as err:
            return err.name

    lab.serve(client, [slow, parent])
    [event_id] = lab.send({"name": "app/parent"})
    run = await started_run(lab, event_id)

    await lab.advance(minutes=59)
    assert (await current(lab, run.run_id)).status is inngest.RunStatus.RUNNING

    await lab.advance(minutes=1)
    done = await current(lab, run.run_id)
    assert done.status is inngest.RunStatus.COMPLETED
    assert done.output == "InngestInvokeTimeoutError"

    await lab.advance(hours=2)  # the child still finishes on its own; the parent is not touched again
    [child] = await lab.runs(fn_id="app-slow")
    assert child.status is inngest.RunStatus.COMPLETED
    assert (await current(lab, run.run_id)).output == "InngestInvokeTimeoutError"
