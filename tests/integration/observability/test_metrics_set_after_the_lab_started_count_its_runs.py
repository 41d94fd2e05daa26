"""A Lab starts its engine on its own task as soon as it is created in a running loop, so telemetry set right
after may arrive before or after the store opened: either way it counts every run from then on."""

from __future__ import annotations

from pathlib import Path

from prometheus_client.parser import text_string_to_metric_families

import inngest_lab as inngest
from inngest_lab.observability.metrics import Metrics
from inngest_lab.observability.telemetry import Telemetry


def _ended(metrics: Metrics) -> float:
    text = metrics.exposition()[0].decode()
    return sum(
        s.value
        for f in text_string_to_metric_families(text)
        for s in f.samples
        if s.name == "inngest_lab_runs_ended_total" and s.labels.get("status") == "completed"
    )


async def test_telemetry_set_once_the_engine_runs_counts_the_runs_after(tmp_path: Path) -> None:
    client = inngest.Inngest(app_id="app", is_production=False)

    @client.create_function(fn_id="one", trigger=inngest.TriggerEvent(event="app/go"))
    async def one(ctx: inngest.Context) -> int:
        return int(await ctx.step.run("a", lambda: 1))

    async with inngest.Lab(tmp_path / "lab.db") as lab:
        lab.serve(client, [one])
        await lab.start()  # the store is open: too late for the engine's start to attach anything
        metrics = Metrics("late")
        lab.engine.telemetry = Telemetry(metrics)
        [event_id] = await lab.send_async([{"name": "app/go"}])
        [run] = await lab.wait(event_id)
        assert run.status is inngest.RunStatus.COMPLETED

    assert _ended(metrics) == 1
