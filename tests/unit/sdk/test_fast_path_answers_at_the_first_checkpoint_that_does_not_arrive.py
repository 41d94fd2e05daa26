"""Our SDK's fast path when a checkpoint does not arrive (the API unreachable): the function runs no further step
and the call answers the steps it has (``206 [StepRun]``, the classic protocol), for async and sync functions
alike, so a finished step is never run again and a later step's error is never hidden behind unsaved steps; a
retry (attempt > 0) or a targeted call does not checkpoint at all."""

from __future__ import annotations

from typing import Any

import pytest

from inngest_lab.sdk import Context, ContextSync, Inngest, TriggerEvent
from inngest_lab.sdk.checkpointing import RUN_COMPLETE_ID
from tests.services import free_port
from tests.unit.sdk.helpers import call_request, h, post


def client() -> Inngest:
    return Inngest("my-app", is_production=False, api_base_url=f"http://127.0.0.1:{free_port()}", environ={})


def checkpointing_request(**kwargs: Any) -> dict[str, Any]:
    body = call_request(**kwargs)
    body["ctx"] |= {"fn_id": "my-app-main", "qi_id": "01RUN/c/step/0/0"}
    return body


@pytest.mark.parametrize("is_async", [True, False], ids=["async", "sync"])
async def test_the_call_answers_the_unsaved_step_and_runs_no_other(is_async: bool) -> None:
    c = client()
    if is_async:

        @c.create_function(fn_id="main", trigger=TriggerEvent(event="app/go"))
        async def main(ctx: Context) -> int:
            return sum([await ctx.step.run(f"s{i}", lambda i=i: i) for i in range(3)])

    else:

        @c.create_function(fn_id="main", trigger=TriggerEvent(event="app/go"))
        def main(ctx: ContextSync) -> int:
            return sum(ctx.step.run(f"s{i}", lambda i=i: i) for i in range(3))

    res = await post(main, client=c, body=checkpointing_request())

    assert res.status == 206
    assert [(op["op"], op["id"], op["data"]) for op in res.body] == [("StepRun", h("s0"), 0)]
    assert res.body[0]["timing"]["b"] >= 0
    assert RUN_COMPLETE_ID not in [op["id"] for op in res.body]


async def test_a_later_step_does_not_run_behind_an_unsaved_one() -> None:
    c = client()

    ran: list[str] = []

    def boom() -> float:
        ran.append("boom")
        return 1 / 0

    @c.create_function(fn_id="main", trigger=TriggerEvent(event="app/go"))
    async def main(ctx: Context) -> None:
        await ctx.step.run("ok", lambda: ran.append("ok"))
        await ctx.step.run("boom", boom)

    res = await post(main, client=c, body=checkpointing_request())

    assert [(op["op"], op["id"]) for op in res.body] == [("StepRun", h("ok"))]
    assert ran == ["ok"]  # "boom" runs on the next call, where its error is answered and retried per policy


async def test_a_retry_and_a_targeted_call_answer_one_step_as_before() -> None:
    c = client()

    @c.create_function(fn_id="main", trigger=TriggerEvent(event="app/go"))
    async def main(ctx: Context) -> int:
        a = await ctx.step.run("a", lambda: 1)
        b = await ctx.step.run("b", lambda: 2)
        return int(a + b)

    retry = await post(main, client=c, body=checkpointing_request(attempt=1))
    assert [op["id"] for op in retry.body] == [h("a")]
    targeted = await post(main, client=c, step_id=h("b"), body=checkpointing_request(steps={h("a"): {"data": 1}}))
    assert [op["id"] for op in targeted.body] == [h("b")]
