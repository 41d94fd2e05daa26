"""``throttle=Throttle(limit, period, burst)``: runs over the limit are not dropped; they wait for their slot
(GCRA on run starts), start in arrival order, and their history says why and until when they waited."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import inngest

import inngest_lab
from inngest_lab.engine.model import HistoryKind
from tests.cases.flow.official import official_function, register_official, statuses
from tests.cases.helpers import history


def _charge(client: inngest_lab.Inngest, order: list[int], burst: int | None = 1) -> inngest_lab.Function[Any]:
    @client.create_function(
        fn_id="charge",
        trigger=inngest_lab.TriggerEvent(event="billing/charge"),
        throttle=inngest_lab.Throttle(limit=1, period=timedelta(minutes=1), burst=burst),
    )
    async def charge(ctx: inngest_lab.Context) -> int:
        order.append(int(ctx.event.data["n"]))
        return int(ctx.event.data["n"])

    return charge


def _charges(count: int) -> list[dict[str, Any]]:
    return [{"name": "billing/charge", "data": {"n": n}} for n in range(count)]


async def test_runs_over_the_limit_wait_for_their_slot_and_start_in_order(
    lab: inngest_lab.Lab, client: inngest_lab.Inngest
) -> None:
    order: list[int] = []
    lab.serve(client, [_charge(client, order)])
    sent = lab.send(_charges(4))

    assert await statuses(lab, sent) == ["Completed", "Completed", "Queued", "Queued"]  # limit 1 + burst 1
    await lab.advance(minutes=1)
    assert await statuses(lab, sent) == ["Completed", "Completed", "Completed", "Queued"]
    await lab.advance(minutes=1)
    assert await statuses(lab, sent) == ["Completed"] * 4
    assert sorted(order[:2]) == [0, 1]  # admitted together (limit 1 + burst 1): either may call first
    assert order[2:] == [2, 3]  # the throttled ones start in the order they were sent


async def test_a_throttled_run_records_why_and_until_when_it_waits(
    lab: inngest_lab.Lab, client: inngest_lab.Inngest
) -> None:
    lab.serve(client, [_charge(client, [], burst=None)])
    start = lab.clock.now_ms()
    _, second = lab.send(_charges(2))
    await lab.idle()
    [run] = await lab.runs(event_id=second)

    throttled = [e for e in await history(lab, run.run_id) if e.kind is HistoryKind.RUN_THROTTLED]
    assert [e.data["until_ms"] for e in throttled] == [start + 60_000]
    await lab.advance(minutes=1)
    [done] = await lab.runs(event_id=second)
    assert done.status is inngest_lab.RunStatus.COMPLETED and done.started_at_ms == start + 60_000


async def test_throttle_registered_by_the_official_python_sdk_is_enforced(
    lab: inngest_lab.Lab, client: inngest_lab.Inngest
) -> None:
    lab.serve(client, [_charge(client, [])])
    charge = official_function(
        "charge", "billing/charge", throttle=inngest.Throttle(limit=2, period=timedelta(minutes=1))
    )
    [entry] = await register_official(lab, "app", [charge])
    assert entry["throttle"] == {"limit": 2, "period": "1m", "burst": 1}
    sent = lab.send(_charges(4))

    assert await statuses(lab, sent) == ["Completed", "Completed", "Queued", "Queued"]
    await lab.advance(seconds=30)
    assert await statuses(lab, sent) == ["Completed", "Completed", "Completed", "Queued"]
