"""Cost of the live views' change-feed listener (``LiveHub.on_commit``) per committed step.

    python benchmarks/live_hub.py

Every embedded Lab subscribes one LiveHub to its store, so this runs after each commit of the engine
whether or not a widget is open. The batch is what a completed ``step.run`` commits (run, memo, history,
next call, ack), over 1,000 runs so the bounded cache churns. Prints the median and spread of 7 rounds.
"""

from __future__ import annotations

import statistics
import timeit

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
from inngest_lab.workbench.live import LiveHub

BATCHES = 20_000


def step_batch(run: Run, i: int) -> list[Command]:
    return [
        SaveRun(run),
        SaveStep(run.run_id, f"s{i}", {"data": i}),
        AppendHistory(HistoryEntry(run.run_id, i, HistoryKind.STEP_COMPLETED, f"s{i}", "step", 0, {"output": i})),
        Enqueue(QueueItem(f"q{i}", run.run_id, "app-fn", ItemKind.CALL, i)),
        Ack(f"q{i - 1}"),
    ]


def main() -> None:
    runs = [Run(f"r{n}", "app-fn", "app", RunStatus.RUNNING, ({"name": "a/b"},), ("e",), 0, 1) for n in range(1000)]
    batches = [step_batch(runs[i % len(runs)], i) for i in range(BATCHES)]
    hub = LiveHub()
    hub.watch("r0", lambda change: None)  # one open timeline

    def replay() -> None:
        for batch in batches:
            hub.on_commit(batch)

    per_batch_us = [t / BATCHES * 1e6 for t in timeit.repeat(replay, number=1, repeat=7)]
    print(
        f"LiveHub.on_commit per step commit: median {statistics.median(per_batch_us):.2f} us "
        f"(min {min(per_batch_us):.2f}, max {max(per_batch_us):.2f}, 7 rounds of {BATCHES:,})"
    )


if __name__ == "__main__":
    main()
