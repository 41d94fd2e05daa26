"""Ticks missed while no engine ran are not back-filled: the latest one fires once, late, then the schedule goes on."""

from __future__ import annotations

from pathlib import Path

import inngest_lab as inngest
from inngest_lab.executor.clock import FakeClock

HOUR_MS = 3_600_000


async def test_downtime_over_three_ticks_fires_only_the_last_one(tmp_path: Path) -> None:
    clock = FakeClock()
    client = inngest.Inngest(app_id="app", is_production=False)

    @client.create_function(fn_id="hourly", trigger=inngest.TriggerCron(cron="0 * * * *"))
    async def hourly(ctx: inngest.Context) -> dict[str, object]:
        return {"scheduled": ctx.event.data["scheduledAt"], "fired": ctx.event.data["fireAt"]}

    first = inngest.Lab(tmp_path / "lab.db", clock=clock)
    await first.start()
    first.serve(client, [hourly])
    await first.idle()
    await first.close()

    clock.set(clock.now_ms() + 3 * HOUR_MS + 20 * 60_000)  # down over 01:00, 02:00 and 03:00
    second = inngest.Lab(tmp_path / "lab.db", clock=clock)
    await second.start()
    second.serve(client, [hourly])
    await second.advance(hours=1)

    runs = [r.output for r in reversed(await second.runs(fn_id="app-hourly"))]
    assert runs == [
        {"scheduled": "2026-01-01T03:00:00Z", "fired": "2026-01-01T03:20:00Z"},
        {"scheduled": "2026-01-01T04:00:00Z", "fired": "2026-01-01T04:00:00Z"},
    ]
    await second.close()
