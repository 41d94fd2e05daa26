"""``rate_limit=RateLimit(limit, period, key)``: Inngest's GCRA on run starts per key. ``limit // 10 + 1`` runs may
start at once, then one every ``period / limit``; events over the limit start no run and are recorded as Skipped
(reason ``RateLimited``)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import inngest

import inngest_lab
from inngest_lab.engine.model import HistoryKind
from tests.cases.flow.official import official_function, register_official, statuses
from tests.cases.helpers import history


def _sync(client: inngest_lab.Inngest, limit: int = 2, key: str | None = None) -> inngest_lab.Function[Any]:
    @client.create_function(
        fn_id="sync",
        trigger=inngest_lab.TriggerEvent(event="crm/company.updated"),
        rate_limit=inngest_lab.RateLimit(limit=limit, period=timedelta(hours=1), key=key),
    )
    async def sync(ctx: inngest_lab.Context) -> str:
        return str(ctx.event.data["company"])

    return sync


def _updated(company: str, **data: Any) -> dict[str, Any]:
    return {"name": "crm/company.updated", "data": {"company": company, **data}}


async def test_events_over_the_limit_are_recorded_as_skipped(lab: inngest_lab.Lab, client: inngest_lab.Inngest) -> None:
    lab.serve(client, [_sync(client)])
    sent = lab.send([_updated("a"), _updated("b"), _updated("c")])

    assert await statuses(lab, sent) == ["Completed", "Skipped", "Skipped"]
    skipped = await lab.runs(status=inngest_lab.RunStatus.SKIPPED)
    assert [run.skip_reason for run in skipped] == ["RateLimited", "RateLimited"]
    [entry] = await history(lab, skipped[0].run_id)
    assert entry.kind is HistoryKind.RUN_SKIPPED
    assert entry.data["reason"] == "RateLimited" and entry.data["limit"] == 2


async def test_starts_are_spread_one_per_period_divided_by_limit(
    lab: inngest_lab.Lab, client: inngest_lab.Inngest
) -> None:
    lab.serve(client, [_sync(client)])  # 2 per hour: one every 30 minutes
    sent = lab.send(_updated("a"))
    await lab.advance(minutes=29)
    sent += lab.send(_updated("b"))
    await lab.advance(minutes=1)
    sent += lab.send([_updated("c"), _updated("d")])
    await lab.advance(minutes=30)
    sent += lab.send(_updated("e"))

    assert await statuses(lab, sent) == ["Completed", "Skipped", "Completed", "Skipped", "Completed"]


async def test_a_limit_of_ten_lets_two_start_at_once(lab: inngest_lab.Lab, client: inngest_lab.Inngest) -> None:
    lab.serve(client, [_sync(client, limit=10)])  # burst 10 // 10 = 1, one every 6 minutes
    sent = lab.send([_updated("a"), _updated("b"), _updated("c")])
    await lab.advance(minutes=6)
    sent += lab.send([_updated("d"), _updated("e")])

    assert await statuses(lab, sent) == ["Completed", "Completed", "Skipped", "Completed", "Skipped"]


async def test_each_key_has_its_own_limit(lab: inngest_lab.Lab, client: inngest_lab.Inngest) -> None:
    lab.serve(client, [_sync(client, limit=1, key="event.data.company")])
    sent = lab.send([_updated("a"), _updated("a"), _updated("b")])

    assert await statuses(lab, sent) == ["Completed", "Skipped", "Completed"]


async def test_a_key_that_evaluates_to_false_is_not_limited(lab: inngest_lab.Lab, client: inngest_lab.Inngest) -> None:
    lab.serve(client, [_sync(client, limit=1, key="event.data.metered")])
    sent = lab.send([_updated("a", metered=False), _updated("b", metered=False), _updated("c", metered=True)])
    sent += lab.send(_updated("d", metered=True))

    assert await statuses(lab, sent) == ["Completed", "Completed", "Completed", "Skipped"]


async def test_rate_limit_registered_by_the_official_python_sdk_is_enforced(
    lab: inngest_lab.Lab, client: inngest_lab.Inngest
) -> None:
    lab.serve(client, [_sync(client)])
    sync = official_function(
        "sync",
        "crm/company.updated",
        rate_limit=inngest.RateLimit(limit=1, period=timedelta(minutes=10), key="event.data.company"),
    )
    [entry] = await register_official(lab, "app", [sync])
    assert entry["rateLimit"] == {"key": "event.data.company", "limit": 1, "period": "10m"}
    sent = lab.send([_updated("a"), _updated("a"), _updated("b")])

    assert await statuses(lab, sent) == ["Completed", "Skipped", "Completed"]
