"""Re-serving an app without one of its functions fails that function's parked runs with FunctionNotFoundError."""

from __future__ import annotations

from datetime import timedelta

import inngest_lab as inngest
from tests.cases.helpers import current, started_run


async def test_parked_run_of_a_removed_function_fails_when_it_wakes(lab: inngest.Lab, client: inngest.Inngest) -> None:
    @client.create_function(fn_id="keep", trigger=inngest.TriggerEvent(event="app/keep"))
    async def keep(ctx: inngest.Context) -> str:
        return "kept"

    @client.create_function(fn_id="drop", trigger=inngest.TriggerEvent(event="app/drop"))
    async def drop(ctx: inngest.Context) -> str:
        await ctx.step.sleep("nap", timedelta(minutes=10))
        return "never"

    lab.serve(client, [keep, drop])
    [event_id] = lab.send({"name": "app/drop"})
    run = await started_run(lab, event_id)

    lab.serve(client, [keep])  # a notebook cell re-run without `drop`
    await lab.idle()
    assert lab.functions() == ["app-keep"]
    await lab.advance(minutes=10)
    failed = await current(lab, run.run_id)
    assert failed.status is inngest.RunStatus.FAILED
    assert failed.error["name"] == "FunctionNotFoundError"
    [later] = lab.send({"name": "app/drop"})
    assert await lab.runs(event_id=later) == []  # nothing serves the trigger any more
