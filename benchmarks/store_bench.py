"""Store throughput: steps per second with many runs in flight, and latency one step at a time.

A "step" is what the executor does per SDK response: ``load_run`` then ``transact`` whose decide
saves the step, updates the run, enqueues the next item, acks the current one and appends history.

    .venv/bin/python benchmarks/store_bench.py [--runs 50] [--steps 100] [--adapter sqlite|memory]
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import tempfile
import time
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

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
from inngest_lab.protocol.consts import RunStatus
from inngest_lab.store.memory import MemoryStore
from inngest_lab.store.ports import Store
from inngest_lab.store.sqlite import SqliteStore

OUTPUT = {"data": {"user": {"id": 42, "name": "Ada", "tags": ["a", "b", "c"]}, "ok": True}}


def new_run(run_id: str) -> Run:
    event = {"id": f"e-{run_id}", "name": "bench/go", "data": {"n": 1}, "ts": 1, "user": {}}
    return Run(
        run_id=run_id,
        fn_id="bench-fn",
        app_id="bench",
        status=RunStatus.RUNNING,
        events=(event,),
        event_ids=(f"e-{run_id}",),
        created_at_ms=1,
        max_attempts=5,
    )


def item(run_id: str, n: int) -> QueueItem:
    return QueueItem(item_id=f"{run_id}:{n}", run_id=run_id, fn_id="bench-fn", kind=ItemKind.CALL, due_at_ms=n)


async def one_step(store: Store, run_id: str, n: int) -> None:
    await store.load_run(run_id)

    def decide(run: Run | None) -> Sequence[Command]:
        assert run is not None
        step_id = f"step-{len(run.stack)}"
        return [
            SaveStep(run_id, step_id, OUTPUT),
            SaveRun(replace(run, version=len(run.stack))),
            Enqueue(item(run_id, n + 1)),
            Ack(item(run_id, n).item_id),
            AppendHistory(HistoryEntry(run_id, n, HistoryKind.STEP_COMPLETED, step_id=step_id)),
        ]

    await store.transact(run_id, decide)


async def drive_run(store: Store, run_id: str, steps: int, latencies: list[float]) -> None:
    await store.apply([SaveRun(new_run(run_id)), Enqueue(item(run_id, 0))])
    for n in range(steps):
        started = time.perf_counter()
        await one_step(store, run_id, n)
        latencies.append(time.perf_counter() - started)


async def measure(store: Store, runs: int, steps: int, label: str) -> None:
    latencies: list[float] = []
    started = time.perf_counter()
    await asyncio.gather(*(drive_run(store, f"{label}-{r}", steps, latencies) for r in range(runs)))
    elapsed = time.perf_counter() - started
    total = runs * steps
    p50 = statistics.median(latencies) * 1e3
    p99 = statistics.quantiles(latencies, n=100)[98] * 1e3
    print(
        f"{label:>14}: {runs:3d} runs x {steps} steps = {total:6d} steps in {elapsed:6.2f}s"
        f" -> {total / elapsed:8.0f} steps/s, per step p50 {p50:.3f} ms, p99 {p99:.3f} ms"
    )


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--runs", type=int, default=50)
    parser.add_argument("--steps", type=int, default=100)
    parser.add_argument("--adapter", choices=["sqlite", "memory"], default="sqlite")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        store: Store = MemoryStore() if args.adapter == "memory" else SqliteStore(str(Path(tmp) / "bench.sqlite3"))
        await store.open()
        try:
            print(f"adapter: {args.adapter}")
            await measure(store, 1, args.steps * 5, "one-at-a-time")
            await measure(store, args.runs, args.steps, "concurrent")
        finally:
            await store.close()


if __name__ == "__main__":
    asyncio.run(main())
