from __future__ import annotations

from typing import Any

from inngest_lab.sdk import ContextSync, StepError, TriggerEvent
from tests.unit.sdk.helpers import dev_client, h, post


def _kaboom() -> Any:
    raise ValueError("kaboom")


def _failing_fn() -> Any:
    client = dev_client()

    @client.create_function(fn_id="main", retries=1, trigger=TriggerEvent(event="app/go"))
    def main(ctx: ContextSync) -> Any:
        return ctx.step.run("a", _kaboom)

    return main


async def test_step_raising_with_attempts_left_reports_step_error() -> None:
    res = await post(_failing_fn(), attempt=0, max_attempts=2)

    assert res.status == 206
    (op,) = res.body
    assert op["op"] == "StepError"
    assert op["data"] is None
    assert {k: op["error"][k] for k in ("code", "message", "name")} == {
        "code": "unknown",
        "message": "kaboom",
        "name": "ValueError",
    }
    assert op["error"]["stack"].startswith("Traceback")
    assert "X-Inngest-No-Retry" not in res.headers


async def test_step_raising_on_the_last_attempt_reports_step_failed() -> None:
    res = await post(_failing_fn(), attempt=1, max_attempts=2)

    assert res.body[0]["op"] == "StepFailed"


async def test_without_max_attempts_a_step_error_is_always_step_error() -> None:
    res = await post(_failing_fn(), attempt=7, max_attempts=None)

    assert res.body[0]["op"] == "StepError"


async def test_uncaught_memoized_step_error_fails_the_run_without_retry() -> None:
    memo = {"error": {"name": "ValueError", "message": "kaboom", "stack": "Traceback..."}}

    res = await post(_failing_fn(), steps={h("a"): memo})

    assert res.status == 500
    assert res.body == {"code": "step_errored", "message": "kaboom", "name": "ValueError", "stack": "Traceback..."}
    assert res.headers["X-Inngest-No-Retry"] == "true"


async def test_memoized_step_error_is_catchable_in_user_code() -> None:
    client = dev_client()

    @client.create_function(fn_id="main", trigger=TriggerEvent(event="app/go"))
    def main(ctx: ContextSync) -> Any:
        try:
            ctx.step.run("a", _kaboom)
        except StepError as err:
            return {"caught": err.message, "name": err.name}
        return "not caught"

    res = await post(main, steps={h("a"): {"error": {"name": "ValueError", "message": "kaboom"}}})

    assert (res.status, res.body) == (200, {"caught": "kaboom", "name": "ValueError"})


async def test_a_step_called_inside_step_run_is_a_non_retriable_step_nested_error() -> None:
    client = dev_client()

    @client.create_function(fn_id="main", trigger=TriggerEvent(event="app/go"))
    def main(ctx: ContextSync) -> Any:
        return ctx.step.run("outer", lambda: ctx.step.run("inner", lambda: 1))

    res = await post(main)

    assert res.status == 206
    (op,) = res.body
    assert (op["op"], op["id"], op["error"]["code"]) == ("StepError", h("outer"), "step_nested")
    assert res.headers["X-Inngest-No-Retry"] == "true"
