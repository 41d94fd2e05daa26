"""``idempotency="<CEL>"`` is Inngest's sugar for ``rateLimit: {limit: 1, period: "24h", key: <CEL>}``: the two
start runs for exactly the same events (only the skip reason differs), and a key evaluating to ``false`` limits
nothing in either."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import inngest_lab


def _pair(client: inngest_lab.Inngest) -> list[inngest_lab.Function[Any]]:
    @client.create_function(
        fn_id="idempotent", trigger=inngest_lab.TriggerEvent(event="shop/order.paid"), idempotency="event.data.order"
    )
    async def idempotent(ctx: inngest_lab.Context) -> None:
        return None

    @client.create_function(
        fn_id="limited",
        trigger=inngest_lab.TriggerEvent(event="shop/order.paid"),
        rate_limit=inngest_lab.RateLimit(limit=1, period=timedelta(hours=24), key="event.data.order"),
    )
    async def limited(ctx: inngest_lab.Context) -> None:
        return None

    return [idempotent, limited]


def _paid(order: str | bool) -> dict[str, Any]:
    return {"name": "shop/order.paid", "data": {"order": order}}


async def _by_function(lab: inngest_lab.Lab, sent: list[str]) -> dict[str, list[str]]:
    await lab.idle()
    out: dict[str, list[str]] = {"idempotent": [], "limited": []}
    for event_id in sent:
        for run in await lab.runs(event_id=event_id):
            out[run.fn_id.rsplit("-", 1)[-1]].append(run.status.value)
    return out


async def test_idempotency_and_a_daily_rate_limit_of_one_start_the_same_runs(
    lab: inngest_lab.Lab, client: inngest_lab.Inngest
) -> None:
    lab.serve(client, _pair(client))
    sent = lab.send([_paid("o1"), _paid("o1"), _paid("o2")])
    await lab.advance(hours=23, minutes=59)
    sent += lab.send([_paid("o1"), _paid("o2")])
    await lab.advance(minutes=1)
    sent += lab.send([_paid("o1"), _paid("o1"), _paid(False), _paid(False)])

    runs = await _by_function(lab, sent)
    expected = ["Completed", "Skipped", "Completed", "Skipped", "Skipped", "Completed", "Skipped"]
    assert runs["idempotent"] == runs["limited"] == [*expected, "Completed", "Completed"]
    skipped = await lab.runs(status=inngest_lab.RunStatus.SKIPPED)
    assert {run.skip_reason for run in skipped} == {"Idempotency", "RateLimited"}
