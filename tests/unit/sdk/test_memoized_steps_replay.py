from __future__ import annotations

from typing import Any

from inngest_lab.sdk import ContextSync, TriggerEvent
from tests.unit.sdk.helpers import dev_client, h, post


async def test_all_steps_memoized_returns_200_with_the_function_result_without_rerunning_steps() -> None:
    client = dev_client()
    calls: list[str] = []

    def step_a() -> str:
        calls.append("a")
        return "fresh"

    @client.create_function(fn_id="main", trigger=TriggerEvent(event="app/go"))
    def main(ctx: ContextSync) -> Any:
        a = ctx.step.run("a", step_a)
        a2 = ctx.step.run("a", step_a)
        return [a, a2, ctx.event.data["id"], ctx.run_id]

    res = await post(main, steps={h("a"): {"data": "A"}, h("a", 1): {"data": "A2"}})

    assert (res.status, res.body) == (200, ["A", "A2", "x1", "01RUN"])
    assert calls == []


async def test_a_memo_that_is_not_a_data_error_object_is_the_data_itself() -> None:
    client = dev_client()

    @client.create_function(fn_id="main", trigger=TriggerEvent(event="app/go"))
    def main(ctx: ContextSync) -> Any:
        return ctx.step.run("a", lambda: None)

    res = await post(main, steps={h("a"): {"data": 1, "type": "step"}})

    assert (res.status, res.body) == (200, {"data": 1, "type": "step"})


async def test_a_function_returning_nothing_answers_200_null() -> None:
    client = dev_client()

    @client.create_function(fn_id="main", trigger=TriggerEvent(event="app/go"))
    def main(ctx: ContextSync) -> None:
        return None

    res = await post(main)

    assert (res.status, res.body, res.body_bytes()) == (200, None, b"null")
