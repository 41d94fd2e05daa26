from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from inngest_lab.sdk import ContextSync, NonRetriableError, RetryAfterError, TriggerEvent
from tests.unit.sdk.helpers import dev_client, post


async def test_non_retriable_error_answers_500_with_no_retry_true() -> None:
    client = dev_client()

    @client.create_function(fn_id="main", trigger=TriggerEvent(event="app/go"))
    def main(ctx: ContextSync) -> Any:
        raise NonRetriableError("nope")

    res = await post(main)

    assert res.status == 500
    assert (res.body["code"], res.body["message"], res.body["name"]) == (
        "non_retriable_error",
        "nope",
        "NonRetriableError",
    )
    assert res.headers["X-Inngest-No-Retry"] == "true"


async def test_non_retriable_error_inside_a_step_fails_the_function() -> None:
    client = dev_client()

    def refuse() -> None:
        raise NonRetriableError("nope")

    @client.create_function(fn_id="main", trigger=TriggerEvent(event="app/go"))
    def main(ctx: ContextSync) -> Any:
        return ctx.step.run("a", refuse)

    res = await post(main)

    assert (res.status, res.body["code"], res.headers["X-Inngest-No-Retry"]) == (500, "non_retriable_error", "true")


async def test_retry_after_error_sets_an_iso_retry_after_header() -> None:
    client = dev_client()

    @client.create_function(fn_id="main", trigger=TriggerEvent(event="app/go"))
    def main(ctx: ContextSync) -> Any:
        raise RetryAfterError("later", datetime(2026, 1, 1, tzinfo=UTC))

    res = await post(main)

    assert (res.status, res.body["code"]) == (500, "retry_after_error")
    assert res.headers["Retry-After"] == "2026-01-01T00:00:00.000Z"
    assert res.headers["X-Inngest-No-Retry"] == "false"


async def test_an_ordinary_exception_is_a_retriable_500() -> None:
    client = dev_client()

    @client.create_function(fn_id="main", trigger=TriggerEvent(event="app/go"))
    def main(ctx: ContextSync) -> Any:
        raise KeyError("k")

    res = await post(main)

    assert (res.status, res.body["code"], res.body["name"]) == (500, "unknown", "KeyError")
    assert res.headers["X-Inngest-No-Retry"] == "false"


async def test_unknown_function_id_answers_function_not_found() -> None:
    client = dev_client()

    @client.create_function(fn_id="main", trigger=TriggerEvent(event="app/go"))
    def main(ctx: ContextSync) -> None:
        return None

    res = await post(main, fn_id="nope")

    assert res.status == 500
    assert res.body == {
        "code": "function_not_found",
        "message": "function nope not found",
        "name": "FunctionNotFoundError",
    }


async def test_an_event_ts_that_is_not_an_integer_fails_validation() -> None:
    from tests.unit.sdk.helpers import call_request

    client = dev_client()

    @client.create_function(fn_id="main", trigger=TriggerEvent(event="app/go"))
    def main(ctx: ContextSync) -> None:
        return None

    body = call_request(event={"name": "app/go", "data": {}, "ts": 1.5})
    res = await post(main, body=body)

    assert (res.status, res.body["code"], res.body["name"]) == (500, "unknown", "ValidationError")
