"""A run's spans read the same whether our exporter encodes them (a call span's attributes as two pre-encoded
shared blocks, posted over HTTP to a real collector that decodes them with ``opentelemetry-proto``) or the
SDK's own exporter gets them as ``ReadableSpan``s: names, ids, parents, times, every attribute, status, events."""

from __future__ import annotations

import asyncio
from dataclasses import replace

from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

from inngest_lab.engine.model import (
    Ack,
    AppendHistory,
    Command,
    Enqueue,
    HistoryEntry,
    HistoryKind,
    ItemKind,
    QueueItem,
    Run,
    SaveRun,
    SaveStep,
)
from inngest_lab.engine.signals import SdkResponded
from inngest_lab.observability.tracing import RunTracer
from inngest_lab.protocol.consts import RunStatus
from tests.integration.observability.collector import Collector

T0 = 1_796_610_241_000


def _calls(run: Run) -> list[tuple[QueueItem, SdkResponded, list[Command]]]:
    """A completed step, a step that errored (its error in the history), the retry that completed it, and a call
    that never reached the app (no step entry: a transport error)."""
    calls = []
    for n, (kind, attempt, error) in enumerate(
        [
            (HistoryKind.STEP_COMPLETED, 0, None),
            (HistoryKind.STEP_ERRORED, 0, {"name": "RuntimeError", "message": "first time unlucky"}),
            (HistoryKind.STEP_COMPLETED, 1, None),
        ]
    ):
        step_id = "a" if n == 0 else "b"
        item = QueueItem(f"{run.run_id}/c/{n}", run.run_id, run.fn_id, ItemKind.CALL, T0, attempt=attempt)
        data = {"op": "StepRun", "started_at_ms": T0 + n} | ({"error": error} if error else {})
        entry = HistoryEntry(run.run_id, T0 + n + 1, kind, step_id=step_id, name=f"step {step_id}", attempt=attempt)
        applied: list[Command] = [
            SaveRun(run),
            SaveStep(run.run_id, step_id, {"data": n}),
            AppendHistory(replace(entry, data=data)),
            Enqueue(replace(item, item_id=f"{item.item_id}+")),
            Ack(item.item_id),
        ]
        signal = SdkResponded(206 if error is None else 500, started_at_ms=T0 + n, ended_at_ms=T0 + n + 1)
        calls.append((item, signal, applied))
    lost = QueueItem(f"{run.run_id}/c/3", run.run_id, run.fn_id, ItemKind.CALL, T0)
    calls.append((lost, SdkResponded(0, transport_error="connection refused", started_at_ms=T0 + 5), [Ack("x")]))
    return calls


async def test_both_exporters_read_the_same(otel_env: str, collector: Collector) -> None:
    ours = RunTracer()  # OTLP/HTTP to the collector, from OTEL_EXPORTER_OTLP_ENDPOINT
    sdk_exporter = InMemorySpanExporter()
    theirs = RunTracer(sdk_exporter)
    run = Run(
        "01RUNSAMEBOTHWAYS", "app-fn", "app", RunStatus.RUNNING, ({"name": "app/go", "data": {}},), ("01EV",), T0, 4
    )
    failed = replace(run, status=RunStatus.FAILED, ended_at_ms=T0 + 9, error={"name": "Error", "message": "gave up"})
    for tracer in (ours, theirs):
        for item, signal, applied in _calls(run):
            tracer.call_ended(item, signal, applied)
        tracer.run_ended(failed, [])
    assert await asyncio.to_thread(ours.force_flush)  # a thread: the collector answers on this loop
    assert theirs.force_flush()

    expected = {f"{s.context.span_id:016x}": s for s in sdk_exporter.get_finished_spans()}
    got = {s.span_id: s for s in collector.spans}
    assert len(expected) == 5 and got.keys() == expected.keys()
    for span_id, span in expected.items():
        decoded = got[span_id]
        assert decoded.name == span.name
        assert decoded.trace_id == f"{span.context.trace_id:032x}"
        assert decoded.parent_id == ("" if span.parent is None else f"{span.parent.span_id:016x}")
        assert (decoded.start_ns, decoded.end_ns) == (span.start_time, span.end_time)
        assert decoded.attributes == dict(span.attributes or {})
        assert decoded.status == span.status.status_code.value
        assert decoded.status_message == (span.status.description or "")
        assert decoded.events == [(e.name, dict(e.attributes or {})) for e in span.events]
    by_name = {s.name: s for s in collector.spans}
    assert by_name["step a"].attributes == {
        "inngest.run.id": run.run_id,
        "inngest.function.id": "app-fn",
        "inngest.app.id": "app",
        "inngest.event.id": "01EV",
        "inngest.event.name": "app/go",
        "http.response.status_code": 206,
        "inngest.step.id": "a",
        "inngest.status": "completed",
        "inngest.step.name": "step a",
        "inngest.attempt": 0,
        "inngest.step.op": "StepRun",
    }
    assert by_name["function call"].status == 2 and "connection refused" in by_name["function call"].status_message
    await asyncio.to_thread(ours.shutdown)
    theirs.shutdown()
