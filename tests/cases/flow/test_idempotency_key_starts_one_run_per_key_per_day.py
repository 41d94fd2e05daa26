"""``idempotency="<CEL>"``: one run per key value per 24 hours; later events with the same key are recorded as
Skipped (reason ``Idempotency``)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import inngest_lab
from tests.cases.flow.official import official_function, register_official, statuses


def _fulfil(client: inngest_lab.Inngest) -> inngest_lab.Function[Any]:
    @client.create_function(
        fn_id="fulfil", trigger=inngest_lab.TriggerEvent(event="shop/order.paid"), idempotency="event.data.order"
    )
    async def fulfil(ctx: inngest_lab.Context) -> str:
        return str(ctx.event.data["order"])

    return fulfil


def _paid(order: str) -> dict[str, Any]:
    return {"name": "shop/order.paid", "data": {"order": order}}


async def test_a_repeated_key_is_skipped_for_a_day(lab: inngest_lab.Lab, client: inngest_lab.Inngest) -> None:
    lab.serve(client, [_fulfil(client)])
    sent = lab.send([_paid("o1"), _paid("o1"), _paid("o2")])

    assert await statuses(lab, sent) == ["Completed", "Skipped", "Completed"]
    [skipped] = await lab.runs(event_id=sent[1])
    assert skipped.skip_reason == "Idempotency"
    assert skipped.output == {"key": "o1", "first_event_id": sent[0]}

    await lab.advance(hours=23)
    assert await statuses(lab, lab.send([_paid("o1")])) == ["Skipped"]
    await lab.advance(hours=1)
    assert await statuses(lab, lab.send([_paid("o1")])) == ["Completed"]


async def test_idempotency_registered_by_the_official_python_sdk_is_enforced(
    lab: inngest_lab.Lab, client: inngest_lab.Inngest
) -> None:
    lab.serve(client, [_fulfil(client)])
    fulfil = official_function("fulfil", "shop/order.paid", idempotency="event.data.order")
    [entry] = await register_official(lab, "app", [fulfil])
    assert entry["idempotency"] == "event.data.order"
    sent = lab.send([_paid("o1"), _paid("o1")])
    assert await statuses(lab, sent) == ["Completed", "Skipped"]
    await lab.advance(timedelta(days=1))
    assert await statuses(lab, lab.send([_paid("o1")])) == ["Completed"]
