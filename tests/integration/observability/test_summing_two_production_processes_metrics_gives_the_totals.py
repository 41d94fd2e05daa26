"""Production mode: two engine processes on one Postgres + Redis share the runs; each one's counters count what
it did, so their sum is exactly the deployment's runs and steps, and only one exports the queue gauges."""

from __future__ import annotations

import asyncio

from prometheus_client.parser import text_string_to_metric_families

import inngest_lab as inngest
from inngest_lab.observability.metrics import Metrics
from inngest_lab.observability.telemetry import Telemetry

RUNS = 30


def _total(metrics: Metrics, name: str, **labels: str) -> float:
    text = metrics.exposition()[0].decode()
    return sum(
        s.value
        for f in text_string_to_metric_families(text)
        for s in f.samples
        if s.name == name and all(s.labels.get(k) == v for k, v in labels.items())
    )


async def test_the_sum_over_processes_is_the_deployments_total(postgres_uri: str, redis_uri: str) -> None:
    client = inngest.Inngest(app_id="app", is_production=False)

    @client.create_function(fn_id="two-steps", trigger=inngest.TriggerEvent(event="app/go"))
    async def two_steps(ctx: inngest.Context) -> int:
        await ctx.step.run("a", lambda: 1)
        return int(await ctx.step.run("b", lambda: 2))

    labs = [inngest.Lab(postgres_uri=postgres_uri, redis_uri=redis_uri) for _ in range(2)]
    metrics = [Metrics(f"process-{i}") for i in range(2)]
    for lab, m in zip(labs, metrics, strict=True):
        lab.engine.telemetry = Telemetry(m)
        lab.serve(client, [two_steps])
        await lab.start()
    try:
        ids = await labs[0].send_async([{"name": "app/go", "data": {"i": i}} for i in range(RUNS)])
        for event_id in ids:
            [run] = await labs[1].wait(event_id)
            assert run.status.value == "Completed"
        await asyncio.gather(*(lab.idle() for lab in labs))
        owners = [await lab.engine.store.claim_reporter(m.owner, 0) for lab, m in zip(labs, metrics, strict=True)]
    finally:
        for lab in labs:
            await lab.close()

    ended = [_total(m, "inngest_lab_runs_ended_total", status="completed") for m in metrics]
    steps = [_total(m, "inngest_lab_steps_total", status="completed") for m in metrics]
    started = [_total(m, "inngest_lab_runs_started_total") for m in metrics]
    assert sum(ended) == RUNS, f"ended {ended}, started {started}, steps {steps}"
    assert sum(steps) == 2 * RUNS
    assert sum(_total(m, "inngest_lab_runs_started_total") for m in metrics) == RUNS
    assert owners.count(True) == 1, "one process reports the deployment-wide gauges"
