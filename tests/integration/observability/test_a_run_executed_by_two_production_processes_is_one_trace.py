"""Production mode: a run that one engine process starts and another finishes (the first stopped while the run
slept; both on one Postgres + Redis) still comes out of the collector as one trace tree, because both derive
the same trace and span ids from the run."""

from __future__ import annotations

import inngest_lab as inngest
from inngest_lab.observability.context import trace_id_hex
from inngest_lab.observability.metrics import Metrics
from inngest_lab.observability.telemetry import Telemetry
from tests.integration.observability.collector import Collector
from tests.integration.observability.conftest import flush


def _process(client: inngest.Inngest, fns: list[inngest.Function], uris: tuple[str, str]) -> inngest.Lab:  # type: ignore[type-arg]
    lab = inngest.Lab(fake_clock=True, postgres_uri=uris[0], redis_uri=uris[1])
    assert lab.engine.telemetry is not None, "OTEL_EXPORTER_OTLP_ENDPOINT is set: an embedded engine traces"
    lab.engine.telemetry = Telemetry(Metrics("p"), lab.engine.telemetry.tracer)
    lab.serve(client, fns)
    return lab


async def test_two_processes_export_one_tree(
    postgres_uri: str, redis_uri: str, otel_env: str, collector: Collector
) -> None:
    client = inngest.Inngest(app_id="app", is_production=False)

    @client.create_function(fn_id="relay", trigger=inngest.TriggerEvent(event="app/relay"))
    async def relay(ctx: inngest.Context) -> str:
        await ctx.step.run("first", lambda: 1)
        await ctx.step.sleep("handover", 60_000)
        return str(await ctx.step.run("second", lambda: 2))

    first = _process(client, [relay], (postgres_uri, redis_uri))
    await first.start()
    [event_id] = first.send({"name": "app/relay", "data": {}})
    await first.idle()
    [run] = await first.runs(event_id=event_id)
    assert first.engine.telemetry is not None
    await flush(first.engine.telemetry)
    await first.close()  # the run sleeps; the other process wakes it
    await first.engine.telemetry.close()
    by_first = len(collector.trace(trace_id_hex(run.run_id)))

    second = _process(client, [relay], (postgres_uri, redis_uri))
    await second.start()
    try:
        await second.advance(minutes=2)
        [done] = await second.wait(event_id)
        assert done.status.value == "Completed"
        assert second.engine.telemetry is not None
        await flush(second.engine.telemetry)
    finally:
        await second.close()
        assert second.engine.telemetry is not None
        await second.engine.telemetry.close()

    spans = collector.trace(trace_id_hex(run.run_id))
    assert by_first >= 1 and len(spans) > by_first, "both processes exported spans of the run"
    [root] = [s for s in spans if not s.parent_id]
    assert root.attributes["inngest.run.id"] == run.run_id
    assert all(s.parent_id == root.span_id for s in spans if s is not root)
    names = [s.name for s in spans]
    assert "first" in names and "second" in names and "sleep handover" in names
    assert len({s.span_id for s in spans}) == len(spans)
