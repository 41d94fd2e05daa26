"""Tracing's cost, for ``benchmarks/steps.py --telemetry spans|compare``: issue 11 allows tracing (exporting every
span to a local OTLP/HTTP collector, ``benchmarks/otlp_sink.py``, a separate process whose CPU is not counted) at
most 10% of ``embedded_steps_per_s`` and of ``http_steps_per_s``.

* ``--telemetry spans``: the tracer alone, no engine: a 10-step run's call spans and run span, built, queued,
  encoded by the export thread and handed to an HTTP client stub; CPU per step.
* ``--telemetry compare`` (embedded): tracing off and on in interleaved rounds in this one process (``--repeat``
  rounds, ``--runs`` runs each); per side the median CPU per step (process, and the engine's thread and the
  export thread apart) and steps/s, and per round pair the cost, whose median is the figure to quote (the machine
  is shared: interleaving spreads its load over both sides, and CPU time per step is steadier than steps/s).
* ``--telemetry compare --only http``: the same over HTTP: ``inngest-lab dev`` started with and without
  ``OTEL_EXPORTER_OTLP_ENDPOINT`` in interleaved rounds, our SDK's app in its own process; the server's CPU per
  step and steps/s.
"""

from __future__ import annotations

import json
import os
import statistics
import time
import urllib.request
from collections.abc import Awaitable, Callable
from pathlib import Path

import steps as bench


def tracing_cost_in_isolation(runs: int, rounds: int) -> dict[str, float]:
    """CPU per step of the tracer alone: each of ``runs`` 10-step runs gives ten call spans and a run span, which
    are built, queued, encoded by the export thread and handed to an HTTP client stub (no network, no sink)."""
    from dataclasses import replace

    from trace_replay import StubExportClient

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
    from inngest_lab.observability.otlp_export import FastOTLPSpanExporter
    from inngest_lab.observability.tracing import RunTracer
    from inngest_lab.protocol.consts import RunStatus

    steps = bench.STEPS
    base = Run("r", "bench-ten", "bench", RunStatus.RUNNING, ({"name": "bench/go", "data": {}},), ("ev",), 1_000, 4)

    def work(tag: int) -> list[tuple[QueueItem, SdkResponded, list[Command], Run | None]]:
        """The round's steps; each round has runs of its own (as an engine's are new), so no cache is warm."""
        found: list[tuple[QueueItem, SdkResponded, list[Command], Run | None]] = []
        for i in range(runs * steps):
            run = replace(base, run_id=f"01RUN{tag:04d}{i // steps:017d}")
            item = QueueItem(f"{run.run_id}/c/step/{i % steps}/0", run.run_id, run.fn_id, ItemKind.CALL, 1_000)
            step = HistoryEntry(run.run_id, 1_001 + i, HistoryKind.STEP_COMPLETED, step_id=f"s{i % steps}", name="step")
            applied: list[Command] = [SaveRun(run), SaveStep(run.run_id, f"s{i % steps}", {"data": 1})]
            applied += [AppendHistory(replace(step, data={"op": "StepRun"})), Ack(item.item_id)]
            applied.append(Enqueue(replace(item, item_id=item.item_id + "+")))
            ended = replace(run, status=RunStatus.COMPLETED, ended_at_ms=2_000 + i) if i % steps == steps - 1 else None
            found.append((item, SdkResponded(206, started_at_ms=1_000 + i, ended_at_ms=1_001 + i), applied, ended))
        return found

    cpu: list[float] = []
    sent0 = StubExportClient.sent
    for r in range(rounds):
        todo = work(r)
        exporter = FastOTLPSpanExporter(endpoint="http://127.0.0.1:9/v1/traces")
        exporter._client = StubExportClient()  # type: ignore[assignment]
        tracer = RunTracer(exporter)
        cpu0 = time.process_time()
        for n, (item, signal, applied, ended) in enumerate(todo):
            tracer.call_ended(item, signal, applied)
            if ended is not None:
                tracer.run_ended(ended, [])
            if n % 500 == 499:
                time.sleep(0.002)  # the export thread runs between steps, as it would beside an engine
        tracer.force_flush()
        cpu.append((time.process_time() - cpu0) * 1e6 / len(todo))
        tracer.shutdown()
    bench.log(
        f"tracing alone: {statistics.median(cpu):.1f} us CPU per step (rounds {', '.join(f'{c:.1f}' for c in cpu)}), "
        f"{(StubExportClient.sent - sent0) / rounds / (runs * steps):.0f} bytes per step exported"
    )
    return {"tracing_alone_us_per_step": statistics.median(cpu)}


def _collected(endpoint: str) -> dict[str, float]:
    """What the collector (``otlp_sink.py``) received: proof that the "on" rounds exported every span."""
    with urllib.request.urlopen(f"{endpoint}/count", timeout=10) as resp:  # noqa: S310 - our own loopback sink
        found = json.loads(resp.read())
    bench.log(f"  the collector received {found['spans']:,} spans in {found['requests']:,} requests")
    return {"collector_spans": float(found["spans"]), "collector_requests": float(found["requests"])}


def _paired(name: str, off: list[float], on: list[float], *, loss: bool) -> dict[str, float]:
    """Medians of each side and of the round pairs' relative cost: CPU per step grows (``on / off - 1``),
    a rate shrinks (``loss``: ``1 - on / off``); in percent."""
    if name.endswith("_ms_per_step"):  # quoted in µs: the JSON line keeps two decimals
        name, off, on = name.replace("_ms_per_step", "_us_per_step"), [v * 1000 for v in off], [v * 1000 for v in on]
    pairs = sorted((1 - b / a) if loss else (b / a - 1) for a, b in zip(off, on, strict=True))
    a, b = statistics.median(off), statistics.median(on)
    median = statistics.median(pairs) * 100
    bench.log(
        f"  {name}: off {a:,.1f}, on {b:,.1f}: {((1 - b / a) if loss else (b / a - 1)) * 100:+.1f}%"
        f"{' lost' if loss else ''}; paired rounds median {median:+.1f}% "
        f"({', '.join(f'{p * 100:+.0f}%' for p in pairs)})"
    )
    return {f"{name}_off": a, f"{name}_on": b, f"{name}_paired_median_pct": median}


async def _interleaved(
    endpoint: str, rounds: int, measure: Callable[[int, str], Awaitable[dict[str, float]]]
) -> dict[str, list[float]]:
    """``measure(round, mode)`` with tracing off and on, alternating which goes first; figures by ``name_mode``."""
    found: dict[str, list[float]] = {}
    for r in range(rounds):
        for mode in ("off", "on") if r % 2 == 0 else ("on", "off"):
            if mode == "on":
                os.environ["OTEL_EXPORTER_OTLP_ENDPOINT"] = endpoint
            else:
                os.environ.pop("OTEL_EXPORTER_OTLP_ENDPOINT", None)
            try:
                figures = await measure(r, mode)
            finally:
                os.environ.pop("OTEL_EXPORTER_OTLP_ENDPOINT", None)
            for key, value in figures.items():
                found.setdefault(f"{key}_{mode}", []).append(value)
    return found


async def compare_embedded(endpoint: str, rounds: int, runs: int, tmp: Path) -> dict[str, float]:
    """Embedded, tracing off and on: CPU per step (process; engine thread; export thread) and steps/s."""
    found = await _interleaved(
        endpoint, rounds, lambda r, mode: bench.embedded(2, runs, tmp / f"compare-{r}-{mode}.db")
    )
    bench.log(
        f"tracing cost, embedded, {rounds} rounds of {runs} runs x {bench.STEPS} steps "
        f"(load average {bench.load_avg()}):"
    )
    cpu, engine, export, rate = (
        f"embedded_{k}"
        for k in ("cpu_ms_per_step", "engine_thread_cpu_ms_per_step", "export_thread_cpu_ms_per_step", "steps_per_s")
    )
    results = _paired("embedded_cpu_ms_per_step", found[f"{cpu}_off"], found[f"{cpu}_on"], loss=False)
    results |= _paired("embedded_steps_per_s", found[f"{rate}_off"], found[f"{rate}_on"], loss=True)
    results |= _paired("engine_thread_cpu_ms_per_step", found[f"{engine}_off"], found[f"{engine}_on"], loss=False)
    results["export_thread_cpu_us_per_step"] = statistics.median(found[f"{export}_on"]) * 1000
    bench.log(f"  export thread: {results['export_thread_cpu_us_per_step']:.1f} us CPU per step (median)")
    return results | _collected(endpoint)


async def compare_http(endpoint: str, rounds: int, runs: int, tmp: Path) -> dict[str, float]:
    """Over HTTP (``inngest-lab dev`` + our SDK's app, each round in fresh processes), tracing off and on: the
    server's CPU per step and steps/s."""

    async def measure(r: int, mode: str) -> dict[str, float]:
        return await bench.http_mode(runs, False, tmp / f"http-{r}-{mode}")

    found = await _interleaved(endpoint, rounds, measure)
    bench.log(
        f"tracing cost, http, {rounds} rounds of {runs} runs x {bench.STEPS} steps (load average {bench.load_avg()}):"
    )
    cpu, rate = "http_server_cpu_ms_per_step", "http_steps_per_s"
    results = _paired(cpu, found[f"{cpu}_off"], found[f"{cpu}_on"], loss=False)
    results |= _paired(rate, found[f"{rate}_off"], found[f"{rate}_on"], loss=True)
    return results | _collected(endpoint)
