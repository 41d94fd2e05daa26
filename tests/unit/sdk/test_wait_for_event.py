from __future__ import annotations

from datetime import timedelta
from typing import Any

from inngest_lab.sdk import ContextSync, TriggerEvent
from tests.unit.sdk.helpers import dev_client, h, post


def _waiter() -> Any:
    client = dev_client()

    @client.create_function(fn_id="main", trigger=TriggerEvent(event="app/go"))
    def main(ctx: ContextSync) -> Any:
        ev = ctx.step.wait_for_event(
            "w", event="app/wait", if_exp="async.data.id == event.data.id", timeout=timedelta(minutes=5)
        )
        return None if ev is None else {"name": ev.name, "data": dict(ev.data), "id": ev.id}

    return main


async def test_wait_for_event_reports_the_event_name_and_if_timeout_opts() -> None:
    res = await post(_waiter())

    assert res.status == 206
    assert res.body == [
        {
            "displayName": "w",
            "id": h("w"),
            "name": "app/wait",
            "op": "WaitForEvent",
            "opts": {"if": "async.data.id == event.data.id", "timeout": "5m"},
            "userland": {"id": "w", "index": None},
            "data": None,
        }
    ]


async def test_wait_for_event_returns_the_memoized_event_stored_bare() -> None:
    memo = {"name": "app/wait", "data": {"id": "x1"}, "id": "01W", "ts": 1_700_000_000_001, "user": {}}

    res = await post(_waiter(), steps={h("w"): memo})

    assert (res.status, res.body) == (200, {"name": "app/wait", "data": {"id": "x1"}, "id": "01W"})


async def test_wait_for_event_returns_none_when_it_timed_out() -> None:
    res = await post(_waiter(), steps={h("w"): None})

    assert (res.status, res.body) == (200, None)
