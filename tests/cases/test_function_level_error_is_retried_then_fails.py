"""An exception raised outside any step is retried with backoff like a step, then fails the run."""

from __future__ import annotations

import inngest_lab as inngest
from inngest_lab.engine.model import HistoryKind
from tests.cases.helpers import current, history, started_run


async def test_function_body_error_is_retried_then_fails_the_run(lab: inngest.Lab, client: inngest.Inngest) -> None:
    attempts: list[int] = []

    @client.create_function(fn_id="body", trigger=inngest.TriggerEvent(event="app/go"), retries=2)
    async def body(ctx: inngest.Context) -> None:
        attempts.append(ctx.attempt)
        raise ZeroDivisionError("division by zero")

    lab.serve(client, [body])
    [event_id] = lab.send({"name": "app/go"})
    run = await started_run(lab, event_id)
    assert attempts == [0]
    assert (await current(lab, run.run_id)).status is inngest.RunStatus.RUNNING

    await lab.advance(minutes=5)
    done = await current(lab, run.run_id)
    assert done.status is inngest.RunStatus.FAILED
    assert done.error["name"] == "ZeroDivisionError"
    assert attempts == [0, 1, 2]
    errored = [e for e in await history(lab, run.run_id) if e.kind is HistoryKind.FUNCTION_ERRORED]
    assert [e.attempt for e in errored] == [0, 1]


async def test_function_body_error_recovers_on_a_later_attempt(lab: inngest.Lab, client: inngest.Inngest) -> None:
    @client.create_function(fn_id="recover", trigger=inngest.TriggerEvent(event="app/go"))
    async def recover(ctx: inngest.Context) -> int:
        done = await ctx.step.run("before", lambda: "memo")
        if ctx.attempt == 0:
            raise RuntimeError("transient")
        return len(done) + ctx.attempt

    lab.serve(client, [recover])
    [event_id] = lab.send({"name": "app/go"})
    run = await started_run(lab, event_id)
    await lab.advance(minutes=1)
    done = await current(lab, run.run_id)
    assert done.status is inngest.RunStatus.COMPLETED and done.output == 5
