"""NonRetriableError ends the run on the first attempt, whether raised in a step or in the function body."""

from __future__ import annotations

import inngest_lab as inngest
from inngest_lab.engine.model import HistoryKind
from tests.cases.helpers import history_kinds


async def test_non_retriable_error_in_a_step_fails_the_run_without_retries(
    lab: inngest.Lab, client: inngest.Inngest
) -> None:
    calls: list[int] = []

    @client.create_function(fn_id="strict", trigger=inngest.TriggerEvent(event="app/go"))
    async def strict(ctx: inngest.Context) -> None:
        def check() -> None:
            calls.append(ctx.attempt)
            raise inngest.NonRetriableError("bad input")

        await ctx.step.run("check", check)

    lab.serve(client, [strict])
    [event_id] = lab.send({"name": "app/go"})
    [run] = await lab.wait(event_id)
    assert run.status is inngest.RunStatus.FAILED
    assert run.error["name"] == "NonRetriableError" and run.error["message"] == "bad input"
    assert calls == [0]
    kinds = await history_kinds(lab, run.run_id)
    assert HistoryKind.STEP_ERRORED not in kinds and HistoryKind.FUNCTION_ERRORED not in kinds


async def test_non_retriable_error_in_the_body_fails_the_run_without_retries(
    lab: inngest.Lab, client: inngest.Inngest
) -> None:
    calls: list[int] = []

    @client.create_function(fn_id="strict-body", trigger=inngest.TriggerEvent(event="app/go"))
    async def strict_body(ctx: inngest.Context) -> None:
        calls.append(ctx.attempt)
        raise inngest.NonRetriableError("nope")

    lab.serve(client, [strict_body])
    [event_id] = lab.send({"name": "app/go"})
    [run] = await lab.wait(event_id)
    assert run.status is inngest.RunStatus.FAILED and run.error["message"] == "nope"
    assert calls == [0]
