"""Two engines on one SQLite file both hold the armed tick; exactly one of them fires it, once."""

from __future__ import annotations

from pathlib import Path

import inngest_lab as inngest
from inngest_lab.executor.clock import FakeClock


async def test_each_tick_starts_exactly_one_run_across_two_engines(tmp_path: Path) -> None:
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
    second = inngest.Lab(tmp_path / "lab.db", clock=clock)  # opens after the tick was armed: it holds it too
    await second.start()
    second.serve(client, [tick])
    await second.idle()
    assert first.engine.store.next_due_ms() == second.engine.store.next_due_ms() == clock.now_ms() + 600_000

    for _ in range(3):
        clock.set(clock.now_ms() + 600_000)  # both dispatchers wake for the same due item
        await first.idle()
        await second.idle()

    runs = await first.runs(fn_id="app-tick")
    assert sorted(r.event["data"]["scheduledAt"] for r in runs) == [
        "2026-01-01T00:10:00Z",
        "2026-01-01T00:20:00Z",
        "2026-01-01T00:30:00Z",
    ]
    assert sorted(calls) == ["2026-01-01T00:10:00Z", "2026-01-01T00:20:00Z", "2026-01-01T00:30:00Z"]
    assert {r.status for r in runs} == {inngest.RunStatus.COMPLETED}
    await first.close()
    await second.close()
