from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from inngest_lab.sdk import (
    Batch,
    Cancel,
    CommHandler,
    Concurrency,
    ContextSync,
    Debounce,
    Priority,
    RateLimit,
    Singleton,
    Throttle,
    Timeouts,
    TriggerCron,
    TriggerEvent,
)
from inngest_lab.sdk.errors import FunctionConfigInvalidError
from tests.unit.sdk.helpers import dev_client

URL = "http://127.0.0.1:8000/api/inngest"

# Protocol doc section 3.2, "Body, Python [captured]" (only `sdk` names our SDK instead).
CAPTURED = {
    "appname": "my-app",
    "capabilities": {"connect": "v1", "in_band_sync": "v1", "trust_probe": "v1"},
    "deploy_type": "ping",
    "framework": "tornado",
    "sdk": "lab:v0.1.0",
    "url": URL,
    "v": "0.1",
    "functions": [
        {
            "id": "my-app-child",
            "name": "child",
            "triggers": [{"event": "app/child"}],
            "steps": {
                "step": {
                    "id": "step",
                    "name": "step",
                    "runtime": {"type": "http", "url": f"{URL}?fnId=my-app-child&stepId=step"},
                }
            },
        },
        {
            "id": "my-app-main",
            "name": "Main fn",
            "triggers": [{"event": "app/go", "expression": "event.data.ok == true"}, {"cron": "0 * * * *"}],
            "cancel": [{"event": "app/cancel", "if": "async.data.id == event.data.id", "timeout": "1h"}],
            "concurrency": [{"key": "event.data.user", "limit": 5}],
            "debounce": {"period": "5s"},
            "priority": {"run": "event.data.prio"},
            "rateLimit": {"limit": 10, "period": "1m"},
            "throttle": {"limit": 3, "period": "10s", "burst": 1},
            "timeouts": {"finish": "10m"},
            "steps": {
                "step": {
                    "id": "step",
                    "name": "step",
                    "retries": {"attempts": 2},
                    "runtime": {"type": "http", "url": f"{URL}?fnId=my-app-main&stepId=step"},
                }
            },
        },
        {
            "id": "my-app-main-failure",
            "name": "Main fn (failure)",
            "cancel": [],
            "concurrency": [],
            "triggers": [{"event": "inngest/function.failed", "expression": "event.data.function_id == 'my-app-main'"}],
            "steps": {
                "step": {
                    "id": "step",
                    "name": "step",
                    "retries": {"attempts": 0},
                    "runtime": {"type": "http", "url": f"{URL}?fnId=my-app-main-failure&stepId=step"},
                }
            },
        },
    ],
}


def test_registration_body_equals_the_captured_inngest_py_body() -> None:
    client = dev_client()

    @client.create_function(fn_id="child", trigger=TriggerEvent(event="app/child"))
    def child(ctx: ContextSync) -> Any:
        return None

    def on_failure(ctx: ContextSync) -> None:
        return None

    @client.create_function(
        fn_id="main",
        name="Main fn",
        retries=2,
        trigger=[TriggerEvent(event="app/go", expression="event.data.ok == true"), TriggerCron(cron="0 * * * *")],
        cancel=[Cancel(event="app/cancel", if_exp="async.data.id == event.data.id", timeout=timedelta(hours=1))],
        concurrency=[Concurrency(limit=5, key="event.data.user")],
        debounce=Debounce(period=5000),
        priority=Priority(run="event.data.prio"),
        rate_limit=RateLimit(limit=10, period=timedelta(minutes=1)),
        throttle=Throttle(limit=3, period=timedelta(seconds=10), burst=1),
        timeouts=Timeouts(finish=timedelta(minutes=10)),
        on_failure=on_failure,
    )
    def main(ctx: ContextSync) -> Any:
        return None

    assert CommHandler(client, [child, main]).registration(URL) == CAPTURED


def test_optional_config_is_written_with_python_key_spellings() -> None:
    client = dev_client()

    @client.create_function(
        fn_id="f",
        trigger=TriggerCron(cron="*/5 * * * *", jitter=timedelta(seconds=30)),
        batch_events=Batch(max_size=10, timeout=timedelta(seconds=2), key="event.data.k", if_exp="true"),
        idempotency="event.data.id",
        singleton=Singleton(key="event.data.u", mode="cancel"),
        timeouts=Timeouts(start=timedelta(days=2), finish=timedelta(weeks=1)),
        concurrency=[Concurrency(limit=1, scope="fn")],
    )
    def f(ctx: ContextSync) -> None:
        return None

    (entry,) = f.registration(URL)

    assert entry["triggers"] == [{"cron": "*/5 * * * *", "jitter": "30s"}]
    assert entry["batchEvents"] == {"maxSize": 10, "timeout": "2s", "key": "event.data.k", "if": "true"}
    assert entry["idempotency"] == "event.data.id"
    assert entry["singleton"] == {"key": "event.data.u", "mode": "cancel"}
    assert entry["timeouts"] == {"start": "2d", "finish": "1w"}
    assert entry["concurrency"] == [{"limit": 1, "scope": "fn"}]
    assert "retries" not in entry["steps"]["step"]


def test_durations_below_one_second_are_rejected() -> None:
    client = dev_client()

    @client.create_function(fn_id="f", trigger=TriggerEvent(event="e"), debounce=Debounce(period=500))
    def f(ctx: ContextSync) -> None:
        return None

    with pytest.raises(FunctionConfigInvalidError):
        f.registration(URL)
