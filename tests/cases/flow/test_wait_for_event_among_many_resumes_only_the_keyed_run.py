"""Many runs wait for the same event name, each for its own order: one event resumes exactly its run."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import inngest_lab as inngest
from inngest_lab.protocol.consts import RunStatus


async def test_an_event_resumes_only_the_run_waiting_for_its_order(lab: inngest.Lab, client: inngest.Inngest) -> None:
    @client.create_function(fn_id="ship", trigger=inngest.TriggerEvent(event="shop/order.created"))
    async def ship(ctx: inngest.Context) -> Any:
        paid = await ctx.step.wait_for_event(
            "paid",
            event="shop/order.paid",
            if_exp="async.data.order_id == event.data.order_id",
            timeout=timedelta(days=1),
        )
        return None if paid is None else paid.data["amount"]

    lab.serve(client, [ship])
    lab.send([{"name": "shop/order.created", "data": {"order_id": f"o-{i}"}} for i in range(200)])
    await lab.idle()
    assert len(await lab.runs(status=RunStatus.RUNNING, limit=500)) == 200

    lab.send({"name": "shop/order.paid", "data": {"order_id": "o-123", "amount": 7}})
    await lab.idle()

    [done] = await lab.runs(status=RunStatus.COMPLETED)
    assert done.event["data"]["order_id"] == "o-123"
    assert done.output == 7
    assert len(await lab.runs(status=RunStatus.RUNNING, limit=500)) == 199
