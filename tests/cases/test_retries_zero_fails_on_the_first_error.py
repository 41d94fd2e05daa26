"""``retries=0``: the first failure is final, for a step and for the function body."""

from __future__ import annotations

import inngest_lab as inngest
from inngest_lab.engine.model import HistoryKind
from tests.cases.helpers import history_kinds


async def test_step_with_zero_retries_fails_after_one_attempt(lab: inngest.Lab, client: inngest.Inngest) -> None:
    calls: list[int] = []

    @client.create_function(fn_id="once", trigger=inngest.TriggerEvent(event="app/go"), retries=0)
    async def once(ctx: inngest.Context) -> None:
        def boom() -> None:
            calls.append(ctx.attempt)
            raise ValueError("no second chance")

        await ctx.step.run("boom", boom)

    lab.serve(client, [once])
    [event_id] = lab.send({"name": "app/go"})
    [run] = await lab.wait(event_id)
    assert run.status is inngest.RunStatus.FAILED
    assert run.error["message"] == "no second chance"
    assert calls == [0]
    assert HistoryKind.STEP_ERRORED not in await history_kinds(lab, run.run_id)


async def test_function_error_with_zero_retries_fails_at_once(lab: inngest.Lab, client: inngest.Inngest) -> None:
    @client.create_function(fn_id="body", trigger=inngest.TriggerEvent(event="app/go"), retries=0)
    async def body(ctx: inngest.Context) -> None:
        raise ValueError("body failed")

    lab.serve(client, [body])
    [event_id] = lab.send({"name": "app/go"})
    [run] = await lab.wait(event_id)
    assert run.status is inngest.RunStatus.FAILED and run.error["message"] == "body failed"
