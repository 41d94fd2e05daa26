"""One engine owns a SQLite file: a second ``Lab`` on it is refused at start, naming the file and the holder, and
the first keeps firing each cron tick exactly once."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

import inngest_lab as inngest
from inngest_lab.executor.clock import FakeClock
from inngest_lab.store.sqlite_lock import DatabaseInUseError


async def test_a_second_engine_is_refused_and_each_tick_starts_exactly_one_run(tmp_path: Path) -> None:
    clock = FakeClock()
    client = inngest.Inngest(app_id="app", is_production=False)
    calls: list[str] = []

    @client.create_function(fn_id="tick", trigger=inngest.TriggerCron(cron="*/10 * * * *"))
    async def tick(ctx: inngest.Context) -> str:
        calls.append(str(ctx.event.data["scheduledAt"]))
        return "ok"

    first = inngest.Lab(tmp_path / "lab.db", clock=clock)
    await first.start()
    first.serve(client, [tick])
    await first.idle()
    second = inngest.Lab(tmp_path / "lab.db", clock=clock)
    with pytest.raises(DatabaseInUseError) as refused:
        await second.start()
    assert str((tmp_path / "lab.db").resolve()) in str(refused.value)
    assert f"pid {os.getpid()}" in str(refused.value)

    for _ in range(3):
        clock.set(clock.now_ms() + 600_000)
        await first.idle()

    runs = await first.runs(fn_id="app-tick")
    ticks = ["2026-01-01T00:10:00Z", "2026-01-01T00:20:00Z", "2026-01-01T00:30:00Z"]
    assert sorted(r.event["data"]["scheduledAt"] for r in runs) == ticks
    assert sorted(calls) == ticks
    assert {r.status for r in runs} == {inngest.RunStatus.COMPLETED}
    await first.close()
