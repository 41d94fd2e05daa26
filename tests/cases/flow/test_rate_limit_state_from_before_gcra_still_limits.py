"""A rate-limit row written before the rate limit was GCRA (the start times of the last period, in a real SQLite
file) is still honoured: its starts are replayed through GCRA, so an upgrade forgets no recent run."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import inngest_lab
from inngest_lab.engine.flow.keys import state_key
from inngest_lab.engine.model import FlowEntry, PutFlowState
from tests.cases.flow.official import statuses

MINUTE_MS = 60_000


async def test_an_old_start_time_row_keeps_limiting_after_the_upgrade(tmp_path: Path) -> None:
    async with inngest_lab.Lab(tmp_path / "lab.db", fake_clock=True) as lab:
        client = inngest_lab.Inngest(app_id="app", is_production=False)

        @client.create_function(
            fn_id="limited",
            trigger=inngest_lab.TriggerEvent(event="app/limited"),
            rate_limit=inngest_lab.RateLimit(limit=2, period=timedelta(hours=1)),
        )
        async def limited(ctx: inngest_lab.Context) -> None:
            return None

        lab.serve(client, [limited])
        await lab.idle()
        now = lab.clock.now_ms()
        starts: list[Any] = [now - 10 * MINUTE_MS, now - 5 * MINUTE_MS]  # two starts: the old limit was reached
        old_row = FlowEntry(state_key("rate-limit", "app-limited", ""), starts, now + 50 * MINUTE_MS)
        await lab.engine.store.apply([PutFlowState(old_row)])

        sent = lab.send({"name": "app/limited", "data": {}})
        await lab.advance(minutes=49)
        sent += lab.send({"name": "app/limited", "data": {}})
        await lab.advance(minutes=1)  # replayed: tat = now - 10m + 30m + 30m = now + 50m
        sent += lab.send({"name": "app/limited", "data": {}})

        assert await statuses(lab, sent) == ["Skipped", "Skipped", "Completed"]
