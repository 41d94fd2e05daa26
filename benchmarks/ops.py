"""Operations figures: how fast crons fire and bulk cancellation works through runs, embedded on a SQLite file.

    python benchmarks/ops.py [--runs N] [--ticks N] [--repeat K]

* cron: one function on ``* * * * *``; the fake clock is advanced over N ticks, so every tick fires a run
  that completes. Reports ticks fired (and runs completed) per second of wall time.
* bulk cancel: N runs sleep for a day; one bulk cancellation (no ``if``) cancels them all in batches of
  100. Reports runs cancelled per second, from the request until the last batch is done.

Each figure is measured ``--repeat`` times (fresh database each time); the median and the spread are printed.
Progress goes to stderr; the last line on stdout is one JSON object with the figures.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

import inngest_lab as inngest


def log(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


async def cron_ticks_per_s(ticks: int, directory: Path) -> float:
    async with inngest.Lab(directory / "cron.db", fake_clock=True) as lab:
        client = inngest.Inngest(app_id="bench")

        @client.create_function(fn_id="tick", trigger=inngest.TriggerCron(cron="* * * * *"))
        async def tick(ctx: inngest.Context) -> str:
            return str(ctx.event.data["scheduledAt"])

        lab.serve(client, [tick])
        await lab.idle()
        started = time.perf_counter()
        await lab.advance(minutes=ticks)
        elapsed = time.perf_counter() - started
        runs = await lab.runs(fn_id="bench-tick", status=inngest.RunStatus.COMPLETED, limit=ticks + 10)
        assert len(runs) == ticks, f"{len(runs)} runs for {ticks} ticks"
        return ticks / elapsed


async def bulk_cancel_runs_per_s(count: int, directory: Path) -> float:
    async with inngest.Lab(directory / "cancel.db", fake_clock=True) as lab:
        client = inngest.Inngest(app_id="bench")

        @client.create_function(fn_id="nap", trigger=inngest.TriggerEvent(event="bench/nap"))
        async def nap(ctx: inngest.Context) -> str:
            await ctx.step.sleep("nap", timedelta(days=1))
            return "woke"

        lab.serve(client, [nap])
        for start in range(0, count, 500):
            lab.send([{"name": "bench/nap", "data": {"i": i}} for i in range(start, min(count, start + 500))])
        await lab.idle(timeout=600)
        started = time.perf_counter()
        cancellation = await lab.cancel_runs("bench-nap")
        await lab.idle(timeout=600)
        elapsed = time.perf_counter() - started
        done = await lab.engine.ops.cancellation(cancellation.cancellation_id)
        assert done.done and done.cancelled == count, done
        return count / elapsed


def summary(values: list[float]) -> dict[str, float]:
    return {"median": round(statistics.median(values), 1), "min": round(min(values), 1), "max": round(max(values), 1)}


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=5000, help="runs to bulk-cancel")
    parser.add_argument("--ticks", type=int, default=1000, help="cron ticks to fire")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    ticks: list[float] = []
    cancels: list[float] = []
    for attempt in range(args.repeat):
        with tempfile.TemporaryDirectory() as tmp:
            ticks.append(await cron_ticks_per_s(args.ticks, Path(tmp)))
            log(f"[{attempt + 1}/{args.repeat}] cron: {ticks[-1]:.0f} ticks/s")
            cancels.append(await bulk_cancel_runs_per_s(args.runs, Path(tmp)))
            log(f"[{attempt + 1}/{args.repeat}] bulk cancel: {cancels[-1]:.0f} runs/s")
    figures = {
        "cron_ticks_per_s": summary(ticks),
        "bulk_cancel_runs_per_s": summary(cancels),
        "ticks": args.ticks,
        "runs": args.runs,
    }
    print(json.dumps(figures))


if __name__ == "__main__":
    asyncio.run(main())
