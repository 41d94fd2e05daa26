"""Cron schedules are durable: a new engine on the same SQLite file keeps firing them, re-armed from the registry
even when the armed tick was lost (Inngest's self-hosted server stops crons after a restart until a re-sync)."""

from __future__ import annotations

from pathlib import Path

import inngest_lab as inngest
from inngest_lab.engine import schedule
from inngest_lab.engine.model import Dequeue
from inngest_lab.executor.clock import FakeClock

HOURLY = "0 * * * *"


def hourly(client: inngest.Inngest) -> inngest.Function[str]:
    @client.create_function(fn_id="hourly", trigger=inngest.TriggerCron(cron=HOURLY))
    async def run_hourly(ctx: inngest.Context) -> str:
        return str(ctx.event.data["scheduledAt"])

    return run_hourly


async def outputs(lab: inngest.Lab) -> list[object]:
    await lab.idle()
    return [r.output for r in reversed(await lab.runs(fn_id="app-hourly"))]


async def started(path: Path, clock: FakeClock) -> inngest.Lab:
    """A Lab on ``path`` that shares ``clock`` with the engine it replaces (as one process after another)."""
    lab = inngest.Lab(path, clock=clock)
    await lab.start()
    return lab


async def test_a_restarted_engine_continues_the_schedule(tmp_path: Path) -> None:
    clock = FakeClock()
    first = await started(tmp_path / "lab.db", clock)
    client = inngest.Inngest(app_id="app", is_production=False)
    first.serve(client, [hourly(client)])
    await first.advance(hours=2)
    await first.close()

    second = await started(tmp_path / "lab.db", clock)
    # Armed before any sync: the next tick is already due on the restarted engine.
    assert second.engine.store.next_due_ms() == clock.now_ms() + 3_600_000
    second.serve(client, [hourly(client)])
    await second.advance(hours=2)
    assert await outputs(second) == [f"2026-01-01T0{h}:00:00Z" for h in (1, 2, 3, 4)]
    await second.close()


async def test_a_lost_tick_is_re_armed_from_the_registry_on_start(tmp_path: Path) -> None:
    clock = FakeClock()
    first = await started(tmp_path / "lab.db", clock)
    client = inngest.Inngest(app_id="app", is_production=False)
    first.serve(client, [hourly(client)])
    await first.idle()
    armed = schedule.cron_item_id("app-hourly", HOURLY, clock.now_ms() + 3_600_000)
    await first.engine.store.apply([Dequeue(armed)])  # as if the schedule had been lost
    assert first.engine.store.next_due_ms() is None
    await first.close()

    second = await started(tmp_path / "lab.db", clock)
    assert second.engine.store.next_due_ms() == clock.now_ms() + 3_600_000
    second.serve(client, [hourly(client)])
    await second.advance(hours=1)
    assert await outputs(second) == ["2026-01-01T01:00:00Z"]
    await second.close()
