"""Our SDK's fast path when no checkpoint arrives (the API unreachable): the steps stay buffered and ride on the
call's answer (``206 [StepRun…, RunComplete]``), for async and sync functions alike; a step error comes after
them; a retry (attempt > 0) or a targeted call does not checkpoint at all."""

from __future__ import annotations

import socket
from typing import Any

import pytest

from inngest_lab.sdk import Context, ContextSync, Inngest, TriggerEvent
from inngest_lab.sdk.checkpointing import RUN_COMPLETE_ID
from tests.unit.sdk.helpers import call_request, h, post


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])  # nothing listens there once the socket is closed


def client() -> Inngest:
    return Inngest("my-app", is_production=False, api_base_url=f"http://127.0.0.1:{closed_port()}", environ={})


def checkpointing_request(**kwargs: Any) -> dict[str, Any]:
    body = call_request(**kwargs)
    body["ctx"] |= {"fn_id": "my-app-main", "qi_id": "01RUN/c/step/0/0"}
    return body


@pytest.mark.parametrize("is_async", [True, False], ids=["async", "sync"])
async def test_steps_ride_on_the_answer_then_run_complete(is_async: bool) -> None:
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
    assert [(op["op"], op["id"], op["data"]) for op in res.body] == [
        ("StepRun", h("s0"), 0),
        ("StepRun", h("s1"), 1),
        ("StepRun", h("s2"), 2),
        ("RunComplete", RUN_COMPLETE_ID, 3),
    ]
    assert all(op["timing"]["b"] >= 0 for op in res.body[:3])


async def test_a_step_error_follows_the_steps_before_it() -> None:
    c = client()

    @c.create_function(fn_id="main", trigger=TriggerEvent(event="app/go"))
    async def main(ctx: Context) -> None:
        await ctx.step.run("ok", lambda: 1)
        await ctx.step.run("boom", lambda: 1 / 0)

    res = await post(main, client=c, body=checkpointing_request())

    assert [(op["op"], op["id"]) for op in res.body] == [("StepRun", h("ok")), ("StepError", h("boom"))]


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
