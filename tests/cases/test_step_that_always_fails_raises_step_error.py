"""A step that fails on every attempt: after the last attempt user code gets StepError, catchable or fatal."""

from __future__ import annotations

import inngest_lab as inngest
from inngest_lab.engine.model import HistoryKind
from tests.cases.helpers import current, history_kinds, started_run


async def test_exhausted_step_raises_step_error_that_user_code_can_catch(
    lab: inngest.Lab, client: inngest.Inngest
) -> None:
    calls: list[int] = []

    @client.create_function(fn_id="fallback", trigger=inngest.TriggerEvent(event="app/go"), retries=2)
    async def fallback(ctx: inngest.Context) -> dict[str, str]:
        def boom() -> None:
            calls.append(ctx.attempt)
            raise KeyError("missing")

        try:
            await ctx.step.run("boom", boom)
        except inngest.StepError as err:
            return {"fallback": "used", "name": err.name}
        return {}

    lab.serve(client, [fallback])
    [event_id] = lab.send({"name": "app/go"})
    run = await started_run(lab, event_id)
    await lab.advance(minutes=5)
    done = await current(lab, run.run_id)
    assert done.status is inngest.RunStatus.COMPLETED
    assert done.output == {"fallback": "used", "name": "KeyError"}
    assert calls == [0, 1, 2]
    kinds = await history_kinds(lab, run.run_id)
    assert kinds.count(HistoryKind.STEP_ERRORED) == 2 and kinds.count(HistoryKind.STEP_FAILED) == 1


async def test_uncaught_step_error_fails_the_run_without_more_retries(
    lab: inngest.Lab, client: inngest.Inngest
) -> None:
    calls: list[int] = []

    @client.create_function(fn_id="fatal", trigger=inngest.TriggerEvent(event="app/go"))
    async def fatal(ctx: inngest.Context) -> None:
        def boom() -> None:
            calls.append(ctx.attempt)
            raise RuntimeError("always")

        await ctx.step.run("boom", boom)

    lab.serve(client, [fatal])
    [event_id] = lab.send({"name": "app/go"})
    run = await started_run(lab, event_id)
    await lab.advance(hours=1)
    done = await current(lab, run.run_id)
    assert done.status is inngest.RunStatus.FAILED
    assert done.error["name"] == "RuntimeError" and done.error["message"] == "always"
    assert calls == [0, 1, 2, 3, 4]  # the default: 4 retries, 5 attempts
    kinds = await history_kinds(lab, run.run_id)
    assert HistoryKind.FUNCTION_ERRORED not in kinds  # the StepError ends the run, it is not retried
