"""Tracing's own cost in instructions, which a loaded machine does not change: a replay for valgrind.

Realistic engine records of 10-step runs (what ``executor/engine.py`` hands ``Telemetry``: each step's committed
commands, then its transition) go through ``Telemetry`` and a ``RunTracer`` whose exporter encodes every batch
and hands it to an HTTP client stub (no network). ``none`` builds the same records and traces nothing. Run each
mode at two sizes under valgrind and take the difference, so start-up and imports cancel out::

    for mode in none traced; do for runs in 200 1000; do
      PYTHONHASHSEED=0 valgrind --tool=cachegrind --cache-sim=no --cachegrind-out-file=/dev/null \\
        python benchmarks/trace_replay.py $runs $mode 2>&1 | grep 'I *refs'
    done; done
    # instructions per step = ((traced 1000 - traced 200) - (none 1000 - none 200)) / 8000

Without valgrind it prints the CPU time per step of the traced replay (noisy on a shared machine).
"""

from __future__ import annotations

import asyncio
import os
import sys
import time
from dataclasses import replace
from typing import Any

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
from inngest_lab.protocol.consts import RunStatus

STEPS = 10
T0 = 1_796_610_241_407
Step = tuple[QueueItem, SdkResponded, list[Command], list[Command] | None]


class _Sent:
    success = True


class StubExportClient:
    """Stands in for the OTLP exporter's HTTP client: every export succeeds at once; ``sent`` counts the bytes
    handed to it (class-wide), so tracing is measured without a network or a sink."""

    sent = 0

    def export(self, body: bytes, *args: Any, **kwargs: Any) -> _Sent:
        StubExportClient.sent += len(body)
        return _Sent()

    def shutdown(self) -> None:
        return None


def records(runs: int) -> list[Step]:
    """Per step: the queue item, the SDK's answer, the commands its transition committed, and (first step) the
    commands that created the run, as the engine's SQLite path produces them for a 10-step function."""
    event = {"id": "01EV", "name": "bench/go", "data": {"i": 1}, "user": {}, "ts": T0}
    base = Run("r", "bench-ten-steps", "bench", RunStatus.RUNNING, (event,), ("01EV",), T0, 1)
    steps: list[Step] = []
    for r in range(runs):
        run_id = f"01M9751CVZAQ{r:014d}"
        run = replace(base, run_id=run_id, event_ids=(f"01M9751CVZEV{r:014d}",), steps={})
        created: list[Command] = [SaveRun(run), AppendHistory(HistoryEntry(run_id, T0, HistoryKind.RUN_SCHEDULED))]
        for s in range(STEPS):
            item = QueueItem(f"{run_id}/c/step/{s}/0", run_id, run.fn_id, ItemKind.CALL, T0, step_id="step")
            step_id = f"2d6c8a6d5e3ae20b7052d2b615b35f520c50f0{s:02d}"
            data = {"output": 1.5, "started_at_ms": T0 + s}
            entry = HistoryEntry(run_id, T0 + s + 1, HistoryKind.STEP_COMPLETED, step_id, f"s{s}", 0, data)
            final = s == STEPS - 1
            saved = replace(run, status=RunStatus.COMPLETED, ended_at_ms=T0 + 100) if final else run
            applied: list[Command] = [SaveRun(saved)]
            if s == 0:
                applied.append(AppendHistory(HistoryEntry(run_id, T0 + 1, HistoryKind.RUN_STARTED)))
            applied += [SaveStep(run_id, step_id, {"data": 1.5}), AppendHistory(entry)]
            if final:
                applied.append(AppendHistory(HistoryEntry(run_id, T0 + 100, HistoryKind.RUN_COMPLETED)))
            else:
                applied.append(Enqueue(replace(item, item_id=f"{run_id}/c/step/{s + 1}/0")))
            applied.append(Ack(item.item_id, "lease"))
            signal = SdkResponded(206, {"content-type": "application/json"}, [], None, T0 + s, T0 + s + 1)
            steps.append((item, signal, applied, created if s == 0 else None))
    return steps


async def replay(steps: list[Step]) -> None:
    os.environ.setdefault("OTEL_EXPORTER_OTLP_ENDPOINT", "http://127.0.0.1:9")  # never reached: a stub client
    from inngest_lab.observability.otlp_export import FastOTLPSpanExporter
    from inngest_lab.observability.telemetry import Telemetry
    from inngest_lab.observability.tracing import RunTracer

    exporter = FastOTLPSpanExporter()
    exporter._client = StubExportClient()  # type: ignore[assignment]
    telemetry = Telemetry(None, RunTracer(exporter))
    telemetry._histories = {}  # a store this process owns: histories followed in memory, as with SQLite
    cpu0 = time.process_time()
    for n, (item, signal, applied, created) in enumerate(steps):
        if n % 256 == 255:
            await asyncio.sleep(0.002)  # the export thread takes its batches between steps, as beside an engine
        if created is not None:
            telemetry._committed(created)
        telemetry._committed(applied)
        telemetry.transitioned(item, signal, applied, 0.001)
    await telemetry.close()
    print(f"{(time.process_time() - cpu0) * 1e6 / len(steps):.1f} us CPU per step traced", file=sys.stderr)


def main() -> None:
    runs, mode = int(sys.argv[1]), sys.argv[2]
    steps = records(runs)
    if mode == "traced":
        asyncio.run(replay(steps))


if __name__ == "__main__":
    main()
