"""step.sleep parks the run on the engine clock and resumes it once the duration has passed."""

from __future__ import annotations

from datetime import timedelta

import inngest_lab as inngest
from inngest_lab.engine.model import HistoryKind
from tests.cases.helpers import history_kinds, started_run


async def test_sleep_keeps_the_run_running_until_the_duration_passes(lab: inngest.Lab, client: inngest.Inngest) -> None:
    after: list[int] = []

    @client.create_function(fn_id="nap", trigger=inngest.TriggerEvent(event="app/nap"))
    async def nap(ctx: inngest.Context) -> str:
        await ctx.step.sleep("nap", timedelta(hours=1))
        after.append(1)
        return "rested"

    lab.serve(client, [nap])
    [event_id] = lab.send({"name": "app/nap"})
    run = await started_run(lab, event_id)
    assert run.status is inngest.RunStatus.RUNNING

    await lab.advance(minutes=59)
    assert (await lab.run(run.run_id)).status is inngest.RunStatus.RUNNING  # type: ignore[union-attr]
    assert after == []

    await lab.advance(minutes=1)
    [done] = await lab.wait(run.run_id)
    assert done.status is inngest.RunStatus.COMPLETED
    assert done.output == "rested"
    assert after == [1]
    kinds = await history_kinds(lab, run.run_id)
    assert kinds.index(HistoryKind.STEP_SLEEPING) < kinds.index(HistoryKind.STEP_RESUMED)
