"""An example app that uses every step kind, served over HTTP by our SDK on Tornado.

    INNGEST_DEV=http://127.0.0.1:8288 python examples/app.py --port 8000

Then ``inngest-lab dev -u http://127.0.0.1:8000/api/inngest`` syncs it, and
``curl -X POST localhost:8288/e/key -d '{"name":"shop/order.placed","data":{"order_id":"o-1"}}'`` runs it.
"""

from __future__ import annotations

import argparse
import asyncio
import os
from datetime import timedelta

import tornado.web

import inngest_lab as inngest

client = inngest.Inngest(app_id="shop", is_production=False)


@client.create_function(fn_id="charge", trigger=inngest.TriggerEvent(event="shop/charge.requested"))
async def charge(ctx: inngest.Context) -> dict[str, object]:
    """Invoked by ``fulfil_order``: charges the card and returns a receipt."""
    amount = ctx.event.data.get("amount", 0)
    return {"receipt": f"r-{ctx.event.data.get('order_id')}", "amount": amount}


@client.create_function(
    fn_id="fulfil-order",
    trigger=inngest.TriggerEvent(event="shop/order.placed"),
    retries=2,
    cancel=[inngest.Cancel(event="shop/order.cancelled", if_exp="async.data.order_id == event.data.order_id")],
)
async def fulfil_order(ctx: inngest.Context) -> dict[str, object]:
    """run, parallel steps, invoke, sleep, wait_for_event and send_event, in one workflow."""
    order_id = ctx.event.data["order_id"]
    reserved = await ctx.step.run("reserve-stock", lambda: {"order_id": order_id, "reserved": True})
    prices = await ctx.group.parallel(
        (lambda: ctx.step.run("price-items", lambda: 40), lambda: ctx.step.run("price-shipping", lambda: 2))
    )
    receipt = await ctx.step.invoke("charge", function=charge, data={"order_id": order_id, "amount": sum(prices)})
    await ctx.step.sleep("cool-off", timedelta(seconds=2))
    confirmation = await ctx.step.wait_for_event(
        "await-confirmation",
        event="shop/order.confirmed",
        if_exp="async.data.order_id == event.data.order_id",
        timeout=timedelta(seconds=5),
    )
    await ctx.step.send_event("announce", inngest.Event(name="shop/order.fulfilled", data={"order_id": order_id}))
    return {"reserved": reserved, "receipt": receipt, "confirmed": confirmation is not None}


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--port", type=int, default=8000)
    args = parser.parse_args()
    os.environ.setdefault("INNGEST_DEV", "http://127.0.0.1:8288")
    app = tornado.web.Application()
    inngest.tornado.serve(app, client, [charge, fulfil_order])
    app.listen(args.port, address="127.0.0.1")
    print(f"example app serving on http://127.0.0.1:{args.port}/api/inngest", flush=True)
    await asyncio.Event().wait()


if __name__ == "__main__":
    asyncio.run(main())
