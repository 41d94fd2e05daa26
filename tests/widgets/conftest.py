"""Widget tests: real widgets (traitlets and comm messages, no browser) over an embedded Lab on SQLite."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path

import pytest

import inngest_lab as inngest


@pytest.fixture
async def lab(tmp_path: Path) -> AsyncIterator[inngest.Lab]:
    lab = inngest.Lab(tmp_path / "lab.db", fake_clock=True)
    await lab.start()
    try:
        yield lab
    finally:
        await lab.close()


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
