"""``rate_limit=RateLimit(limit, period, key)``: at most ``limit`` runs start per ``period`` and key; events over
the limit start no run and are recorded as Skipped (reason ``RateLimited``)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import inngest

import inngest_lab
from inngest_lab.engine.model import HistoryKind
from tests.cases.flow.official import official_function, register_official, statuses
from tests.cases.helpers import history


def _sync(client: inngest_lab.Inngest, key: str | None = None) -> inngest_lab.Function[Any]:
    @client.create_function(
        fn_id="sync",
        trigger=inngest_lab.TriggerEvent(event="crm/company.updated"),
        rate_limit=inngest_lab.RateLimit(limit=2, period=timedelta(hours=1), key=key),
    )
    async def sync(ctx: inngest_lab.Context) -> str:
        return str(ctx.event.data["company"])

    return sync


def _updated(company: str) -> dict[str, Any]:
    return {"name": "crm/company.updated", "data": {"company": company}}


async def test_events_over_the_limit_are_recorded_as_skipped(lab: inngest_lab.Lab, client: inngest_lab.Inngest) -> None:
    lab.serve(client, [_sync(client)])
    sent = lab.send([_updated("a"), _updated("b"), _updated("c")])

    assert await statuses(lab, sent) == ["Completed", "Completed", "Skipped"]
    [skipped] = await lab.runs(status=inngest_lab.RunStatus.SKIPPED)
    assert skipped.skip_reason == "RateLimited"
    [entry] = await history(lab, skipped.run_id)
    assert entry.kind is HistoryKind.RUN_SKIPPED
    assert entry.data["reason"] == "RateLimited" and entry.data["limit"] == 2


async def test_the_limit_frees_up_once_the_period_has_passed(lab: inngest_lab.Lab, client: inngest_lab.Inngest) -> None:
    lab.serve(client, [_sync(client)])
    first = lab.send([_updated("a"), _updated("b"), _updated("c")])
    await lab.advance(minutes=59)
    late = lab.send(_updated("d"))
    assert await statuses(lab, first + late) == ["Completed", "Completed", "Skipped", "Skipped"]

    await lab.advance(minutes=1)
    after = lab.send([_updated("e"), _updated("f"), _updated("g")])
    assert await statuses(lab, after) == ["Completed", "Completed", "Skipped"]


async def test_each_key_has_its_own_limit(lab: inngest_lab.Lab, client: inngest_lab.Inngest) -> None:
    lab.serve(client, [_sync(client, key="event.data.company")])
    sent = lab.send([_updated("a"), _updated("a"), _updated("a"), _updated("b")])

    assert await statuses(lab, sent) == ["Completed", "Completed", "Skipped", "Completed"]


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
