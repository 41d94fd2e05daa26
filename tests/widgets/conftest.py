"""Widget tests: real widgets (traitlets and comm messages, no browser) over the shared embedded ``lab``."""

from __future__ import annotations

from datetime import timedelta

import pytest

import inngest_lab as inngest


@pytest.fixture
def client() -> inngest.Inngest:
    return inngest.Inngest(app_id="shop", is_production=False)


@pytest.fixture
def checkout(client: inngest.Inngest) -> inngest.Function[str]:
    """Reserve stock, sleep an hour, then charge: three steps, one of them a sleep."""

    @client.create_function(fn_id="checkout", trigger=inngest.TriggerEvent(event="shop/checkout"))
    async def checkout(ctx: inngest.Context) -> str:
        sku = await ctx.step.run("reserve", lambda: ctx.event.data.get("sku", "sku-1"))
        await ctx.step.sleep("cool-off", timedelta(hours=1))
        charged: str = await ctx.step.run("charge", lambda: f"charged {sku}")
        return charged

    return checkout
