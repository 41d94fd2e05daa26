"""``--retention 30d`` on the fake clock: runs that finished 31 days ago are gone with their history and the
events no remaining run refers to; runs that finished 29 days ago, and a run still waiting after 31 days, are
kept. The retention loop runs on the engine's clock."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from pathlib import Path

import inngest_lab as inngest
from inngest_lab.observability.retention import Retention, parse_window
from inngest_lab.protocol.consts import RunStatus


async def test_runs_finished_31_days_ago_go_and_29_days_ago_or_running_stay(tmp_path: Path) -> None:
    lab = inngest.Lab(tmp_path / "lab.db", fake_clock=True)
    client = inngest.Inngest(app_id="app", is_production=False)

    @client.create_function(fn_id="quick", trigger=inngest.TriggerEvent(event="app/quick"))
    async def quick(ctx: inngest.Context) -> str:
        return str(await ctx.step.run("work", lambda: "done"))

    @client.create_function(fn_id="patient", trigger=inngest.TriggerEvent(event="app/patient"))
    async def patient(ctx: inngest.Context) -> None:
        await ctx.step.wait_for_event("approval", event="app/approved", timeout=timedelta(days=90))

    await lab.start()
    try:
        lab.serve(client, [quick, patient])
        [old_event] = lab.send({"name": "app/quick", "data": {"n": "old"}})
        [waiting_event] = lab.send({"name": "app/patient", "data": {}})
        [old] = await lab.wait(old_event)
        await lab.advance(days=2)
        [recent_event] = lab.send({"name": "app/quick", "data": {"n": "recent"}})
        [recent] = await lab.wait(recent_event)
        await lab.advance(days=29)  # old ended 31 days ago, recent 29 days ago
        [waiting] = await lab.runs(event_id=waiting_event)
        assert waiting.status is RunStatus.RUNNING

        retention = Retention(lab.engine.store, lab.clock, parse_window("30d"), batch=1)
        swept = await retention.sweep()

        assert (swept.runs, swept.events) == (1, 2), "its event and the inngest/function.finished it emitted"
        assert await lab.run(old.run_id) is None
        assert await lab.history(old.run_id) == []
        assert await lab.engine.store.get_event(old_event) is None
        assert (await lab.run(recent.run_id)) is not None
        assert await lab.engine.store.get_event(recent_event) is not None
        assert (await lab.run(waiting.run_id)) is not None and await lab.history(waiting.run_id)

        # the loop sweeps on the engine's clock: two days on, the recent run is past the window too
        retention.start()
        await lab.advance(days=2)
        for _ in range(50):
            if await lab.run(recent.run_id) is None:
                break
            await asyncio.sleep(0.01)
        await retention.stop()
        assert await lab.run(recent.run_id) is None
        assert (await lab.run(waiting.run_id)) is not None, "a run still going is never touched"
    finally:
        await lab.close()
