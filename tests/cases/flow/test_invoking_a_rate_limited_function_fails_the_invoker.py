"""``step.invoke`` of a function that skips the run (rate limited here) fails the invoking step at once with a
``StepError`` naming the reason, as Inngest fails the invoker, instead of waiting for the invoke timeout."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import inngest_lab
from inngest_lab.sdk.errors import StepError
from tests.cases.flow.official import statuses


def _functions(client: inngest_lab.Inngest) -> list[inngest_lab.Function[Any]]:
    @client.create_function(
        fn_id="child",
        trigger=inngest_lab.TriggerEvent(event="app/child"),
        rate_limit=inngest_lab.RateLimit(limit=1, period=timedelta(hours=1)),
    )
    async def child(ctx: inngest_lab.Context) -> str:
        return "child ran"

    @client.create_function(fn_id="parent", trigger=inngest_lab.TriggerEvent(event="app/parent"), retries=0)
    async def parent(ctx: inngest_lab.Context) -> str:
        try:
            return str(await ctx.step.invoke("call-child", function=child, data={}))
        except StepError as err:
            return f"refused: {err.name}: {err.message}"

    return [child, parent]


async def test_the_second_invoke_within_the_period_fails_with_the_skip_reason(
    lab: inngest_lab.Lab, client: inngest_lab.Inngest
) -> None:
    lab.serve(client, _functions(client))
    first, second = lab.send([{"name": "app/parent", "data": {}}, {"name": "app/parent", "data": {}}])
    assert await statuses(lab, [first, second]) == ["Completed", "Completed"]

    outputs = sorted([(await lab.runs(event_id=e))[0].output for e in (first, second)])
    assert outputs == [
        "child ran",
        "refused: FunctionSkippedError: the invoked function app-child was skipped: RateLimited",
    ]
    assert len(await lab.runs(fn_id="app-child", status=inngest_lab.RunStatus.SKIPPED)) == 1
