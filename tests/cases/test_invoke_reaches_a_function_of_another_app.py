"""step.invoke works across apps: the invoked Function carries its own app id (and invoke_by_id takes one)."""

from __future__ import annotations

import inngest_lab as inngest


async def test_invoke_with_a_function_object_of_another_app(lab: inngest.Lab, client: inngest.Inngest) -> None:
    billing = inngest.Inngest(app_id="billing", is_production=False)

    @billing.create_function(fn_id="price", trigger=inngest.TriggerEvent(event="billing/never"))
    async def price(ctx: inngest.Context) -> int:
        return int(ctx.event.data["qty"]) * 3

    @client.create_function(fn_id="checkout", trigger=inngest.TriggerEvent(event="app/checkout"))
    async def checkout(ctx: inngest.Context) -> list[int]:
        by_object = await ctx.step.invoke("by-object", function=price, data={"qty": 2})
        by_id = await ctx.step.invoke_by_id("by-id", app_id="billing", function_id="price", data={"qty": 5})
        return [by_object, by_id]

    lab.serve(billing, [price])
    lab.serve(client, [checkout])
    [event_id] = lab.send({"name": "app/checkout"})
    [run] = await lab.wait(event_id)
    assert run.status is inngest.RunStatus.COMPLETED, run.error
    assert run.output == [6, 15]
