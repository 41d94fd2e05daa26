"""wait_for_event only sees events received after the wait started; earlier ones never match."""

from __future__ import annotations

from datetime import timedelta

import inngest_lab as inngest
from tests.cases.helpers import current, started_run


async def test_an_event_sent_before_the_wait_began_does_not_resume_it(
    lab: inngest.Lab, client: inngest.Inngest
) -> None:
    @client.create_function(fn_id="later", trigger=inngest.TriggerEvent(event="app/start"))
    async def later(ctx: inngest.Context) -> str | None:
        await ctx.step.sleep("pause", timedelta(minutes=5))
        got = await ctx.step.wait_for_event("done", event="app/done", timeout=timedelta(hours=1))
        return None if got is None else str(got.data["n"])

    lab.serve(client, [later])
    [event_id] = lab.send({"name": "app/start"})
    run = await started_run(lab, event_id)
    lab.send({"name": "app/done", "data": {"n": 1}})  # while sleeping: before the wait exists
    await lab.advance(minutes=5)
    assert (await current(lab, run.run_id)).status is inngest.RunStatus.RUNNING

    await lab.advance(seconds=1)
    lab.send({"name": "app/done", "data": {"n": 2}})
    await lab.idle()
    done = await current(lab, run.run_id)
    assert done.status is inngest.RunStatus.COMPLETED and done.output == "2"
