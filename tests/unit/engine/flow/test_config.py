"""Admission options: parsed with Inngest's units, limits and clamps; bad values are registration errors."""

from __future__ import annotations

from typing import Any

import pytest

from inngest_lab.engine.flow.config import (
    BatchConfig,
    DebounceConfig,
    FlowConfig,
    RateLimitConfig,
    SingletonConfig,
    ThrottleConfig,
    TimeoutsConfig,
    parse_flow_config,
)
from inngest_lab.engine.registration import RegistrationError, parse_register_body


def _body(**options: Any) -> dict[str, Any]:
    fn = {"id": "app-fn", "name": "fn", "triggers": [{"event": "app/go"}], **options}
    return {"appname": "app", "url": "http://127.0.0.1:1/api/inngest", "functions": [fn]}


def _error(**options: Any) -> str:
    with pytest.raises(RegistrationError) as info:
        parse_register_body(_body(**options))
    assert info.value.fn_id == "app-fn"
    return info.value.message


def test_every_option_parses_with_durations_in_milliseconds() -> None:
    config = parse_flow_config(
        {
            "idempotency": "event.data.id",
            "rateLimit": {"limit": 2, "period": "1h", "key": "event.data.k"},
            "throttle": {"limit": 3, "period": "1m", "burst": 2},
            "debounce": {"period": "5s", "timeout": "1m", "key": "event.data.k"},
            "singleton": {"key": "event.data.k", "mode": "cancel"},
            "timeouts": {"start": "10s", "finish": 60_000},
        }
    )
    assert config == FlowConfig(
        idempotency="event.data.id",
        rate_limit=RateLimitConfig(2, 3_600_000, "event.data.k"),
        throttle=ThrottleConfig(3, 60_000, 2),
        debounce=DebounceConfig(5_000, "event.data.k", 60_000),
        singleton=SingletonConfig("cancel", "event.data.k"),
        timeouts=TimeoutsConfig(10_000, 60_000),
    )


def test_a_function_without_options_has_an_empty_config() -> None:
    assert parse_flow_config({"id": "x", "triggers": []}).empty


def test_inngest_clamps_are_applied() -> None:
    batch = parse_flow_config({"batchEvents": {"maxSize": 500, "timeout": "2m", "if": "event.data.ok"}}).batch
    assert batch == BatchConfig(100, 60_000, None, "event.data.ok")
    throttle = parse_flow_config({"throttle": {"limit": 0, "period": "1s"}}).throttle
    assert throttle == ThrottleConfig(1, 1_000, 0)
    assert parse_flow_config({"singleton": {}}).singleton == SingletonConfig("skip")


@pytest.mark.parametrize(
    ("options", "expected"),
    [
        ({"rateLimit": {"limit": 0, "period": "1m"}}, "rateLimit.limit must be a whole number ≥ 1"),
        ({"rateLimit": {"limit": 1, "period": "25h"}}, "rateLimit.period must be between 1s and 24h"),
        ({"rateLimit": {"limit": 1, "period": "500ms"}}, "rateLimit.period must be between 1s and 24h"),
        ({"throttle": {"limit": 1, "period": "1m", "burst": -1}}, "throttle.burst must be a whole number ≥ 0"),
        ({"throttle": {"limit": 1, "period": "100ms"}}, "throttle.period must be at least 1s"),
        ({"debounce": {"period": "8d"}}, "debounce.period must be between 1s and 7d"),
        ({"debounce": {}}, "debounce.period is required"),
        ({"batchEvents": {"maxSize": 1, "timeout": "5s"}}, "batch size cannot be smaller than 2"),
        ({"batchEvents": {"maxSize": 5}}, "batchEvents.timeout is required"),
        ({"batchEvents": {"maxSize": 5, "timeout": "500ms"}}, "batchEvents.timeout should be at least 1s"),
        ({"timeouts": {"start": "soon"}}, "invalid duration in timeouts.start"),
        ({"idempotency": 5}, "idempotency must be a CEL expression string"),
    ],
)
def test_invalid_options_are_rejected_with_a_message_naming_them(options: dict[str, Any], expected: str) -> None:
    message = _error(**options)
    assert message.startswith("Function 'app-fn': ")
    assert expected in message


def test_batching_with_cancel_on_is_rejected_and_the_message_explains_why() -> None:
    message = _error(batchEvents={"maxSize": 5, "timeout": "5s"}, cancel=[{"event": "app/stop"}])
    assert "batchEvents cannot be combined with cancel" in message
    assert "a batched run starts from many events" in message
