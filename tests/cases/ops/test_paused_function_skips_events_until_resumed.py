"""A paused function starts no run: each event it would have started is recorded as a Skipped run, with the reason.
Resuming restores normal behaviour; other functions are never affected."""

from __future__ import annotations

from pathlib import Path

import inngest_lab as inngest
from inngest_lab.engine.model import HistoryKind
from inngest_lab.protocol.consts import SkipReason
from tests.cases.helpers import history


async def test_events_for_a_paused_function_are_skipped_and_resume_restores_runs(
    lab: inngest.Lab, client: inngest.Inngest
) -> None:
    @client.create_function(fn_id="ship", trigger=inngest.TriggerEvent(event="shop/order"))
    async def ship(ctx: inngest.Context) -> str:
        return f"shipped {ctx.event.data['n']}"

    @client.create_function(fn_id="audit", trigger=inngest.TriggerEvent(event="shop/order"))
    async def audit(ctx: inngest.Context) -> str:
        return "audited"

    lab.serve(client, [ship, audit])
    state = await lab.pause("app-ship")
    assert state.paused and state.paused_at_ms == lab.clock.now_ms()

    [while_paused] = lab.send({"name": "shop/order", "data": {"n": 1}})
    runs = {r.fn_id: r for r in await lab.wait(while_paused)}
    skipped = runs["app-ship"]
    assert skipped.status is inngest.RunStatus.SKIPPED
    assert skipped.skip_reason == SkipReason.FUNCTION_PAUSED.value
    assert runs["app-audit"].status is inngest.RunStatus.COMPLETED  # other functions are not affected
    [entry] = await history(lab, skipped.run_id)
    assert entry.kind is HistoryKind.RUN_SKIPPED
    assert entry.data["reason"] == "FunctionPaused"

    assert not (await lab.resume("app-ship")).paused
    [after] = lab.send({"name": "shop/order", "data": {"n": 2}})
    runs = {r.fn_id: r for r in await lab.wait(after)}
    assert runs["app-ship"].output == "shipped 2"


async def test_a_pause_survives_a_restart(tmp_path: Path, client: inngest.Inngest) -> None:
    path = tmp_path / "lab.db"

    @client.create_function(fn_id="ship", trigger=inngest.TriggerEvent(event="shop/order"))
    async def ship(ctx: inngest.Context) -> str:
        return "shipped"

    first = inngest.Lab(path, fake_clock=True)
    await first.start()
    first.serve(client, [ship])
    await first.pause("app-ship")
    await first.close()

    second = inngest.Lab(path, fake_clock=True)
    await second.start()
    second.serve(client, [ship])
    [event_id] = second.send({"name": "shop/order", "data": {}})
    [run] = await second.wait(event_id)
    assert run.status is inngest.RunStatus.SKIPPED
    await second.close()
