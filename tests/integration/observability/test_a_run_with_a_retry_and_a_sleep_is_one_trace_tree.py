"""With ``OTEL_EXPORTER_OTLP_ENDPOINT`` set, a run's trace reaches a real OTLP/HTTP collector as one tree: the
run span at the root, a child per step attempt (the failed one with error status and the error), the sleep
as a span of its own; ids are exactly the run's, so a search for the run id finds it."""

from __future__ import annotations

import inngest_lab as inngest
from inngest_lab.observability.context import trace_id_hex
from tests.integration.observability.collector import Collector
from tests.integration.observability.conftest import flush


async def test_a_run_with_a_retry_and_a_sleep_is_one_tree(observed_lab: inngest.Lab, collector: Collector) -> None:
    lab = observed_lab
    client = inngest.Inngest(app_id="app", is_production=False)
    calls = {"flaky": 0}

    def flaky() -> str:
        calls["flaky"] += 1
        if calls["flaky"] == 1:
            raise RuntimeError("first time unlucky")
        return "ok"

    @client.create_function(fn_id="traced", trigger=inngest.TriggerEvent(event="app/traced"))
    async def traced(ctx: inngest.Context) -> str:
        await ctx.step.run("flaky", flaky)
        await ctx.step.sleep("nap", 60_000)
        return str(await ctx.step.run("finish", lambda: "done"))

    lab.serve(client, [traced])
    [event_id] = lab.send({"name": "app/traced", "data": {}})
    await lab.advance(hours=1)
    [run] = await lab.wait(event_id)
    assert run.status.value == "Completed"
    assert lab.engine.telemetry is not None
    await flush(lab.engine.telemetry)

    assert collector.paths and set(collector.paths) == {"/v1/traces"}, "the endpoint is a base URL"
    spans = collector.trace(trace_id_hex(run.run_id))
    assert len({s.span_id for s in spans}) == len(spans), "no span exported twice"
    [root] = [s for s in spans if not s.parent_id]
    assert root.name == "app-traced" and root.service == "lab-under-test"
    assert root.attributes["inngest.run.id"] == run.run_id
    assert root.attributes["inngest.function.id"] == "app-traced"
    assert root.attributes["inngest.event.id"] == event_id
    assert root.attributes["inngest.event.name"] == "app/traced"
    assert root.attributes["inngest.status"] == "Completed"
    assert all(s.parent_id == root.span_id for s in spans if s is not root), "one level: every span under the run"

    flaky_attempts = sorted((s for s in spans if s.name == "flaky"), key=lambda s: s.attributes["inngest.attempt"])
    assert [s.attributes["inngest.attempt"] for s in flaky_attempts] == [0, 1]
    failed, passed = flaky_attempts
    assert failed.status == 2 and "first time unlucky" in failed.status_message
    assert ("exception", {"exception.type": "RuntimeError", "exception.message": "first time unlucky"}) in [
        (name, {k: v for k, v in attrs.items() if k in ("exception.type", "exception.message")})
        for name, attrs in failed.events
    ]
    assert passed.status == 0
    assert failed.attributes["inngest.step.id"] == passed.attributes["inngest.step.id"]

    [sleep] = [s for s in spans if s.attributes.get("inngest.step.op") == "sleep"]
    assert sleep.name == "sleep nap"
    assert sleep.end_ns - sleep.start_ns == 60_000 * 1_000_000
    assert [s.name for s in spans if s.name == "finish"] == ["finish"]
    assert root.start_ns <= min(s.start_ns for s in spans) and root.end_ns >= max(s.end_ns for s in spans)
