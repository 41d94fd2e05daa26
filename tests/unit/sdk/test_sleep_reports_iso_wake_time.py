from __future__ import annotations

from datetime import UTC, datetime, timedelta

from inngest_lab.sdk import ContextSync, TriggerEvent
from tests.unit.sdk.helpers import dev_client, h, post


async def test_sleep_reports_a_sleep_op_named_with_the_iso_utc_wake_time() -> None:
    client = dev_client()

    @client.create_function(fn_id="main", trigger=TriggerEvent(event="app/go"))
    def main(ctx: ContextSync) -> str:
        ctx.step.sleep("zz", timedelta(seconds=3))
        return "done"

    res = await post(main)

    assert res.status == 206
    assert res.body == [
        {
            "displayName": "zz",
            "id": h("zz"),
            "name": "2023-11-14T22:13:23.000Z",
            "op": "Sleep",
            "opts": None,
            "userland": {"id": "zz", "index": None},
            "data": None,
        }
    ]


async def test_sleep_until_uses_the_given_time_and_a_null_memo_resumes() -> None:
    client = dev_client()

    @client.create_function(fn_id="main", trigger=TriggerEvent(event="app/go"))
    def main(ctx: ContextSync) -> str:
        ctx.step.sleep_until("until", datetime(2026, 1, 1, 12, 0, 0, 250_000, tzinfo=UTC))
        return "woke"

    first = await post(main)
    replay = await post(main, steps={h("until"): None})

    assert first.body[0]["name"] == "2026-01-01T12:00:00.250Z"
    assert (replay.status, replay.body) == (200, "woke")
