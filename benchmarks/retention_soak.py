"""Retention soak: does the store stop growing when finished runs are deleted?

    python benchmarks/retention_soak.py [--minutes 10] [--retention 1m] [--rate 20]

An embedded engine on a SQLite file (real clock) runs a steady stream of 3-step runs (``--rate`` per second, each
with a 2 KB output) while ``Retention`` deletes runs that finished more than ``--retention`` ago. Every 30 s it
prints the database's size on disk (main file + WAL), the runs stored and the pages on the free list. With
retention working, the size levels off after about one window; without it (``--retention 0``) it grows for the
whole soak. The last line on stdout is a JSON summary.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

import inngest_lab as inngest
from inngest_lab.observability.retention import Retention, parse_window


def log(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


def size_mb(db: Path) -> float:
    files = [db, db.with_name(db.name + "-wal")]
    return sum(f.stat().st_size for f in files if f.exists()) / 1e6


def stored(db: Path) -> tuple[int, int]:
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        runs = int(conn.execute("SELECT COUNT(*) FROM runs").fetchone()[0])
        free = int(conn.execute("PRAGMA freelist_count").fetchone()[0])
    finally:
        conn.close()
    return runs, free


async def soak(minutes: float, retention: str, rate: float, db: Path) -> dict[str, float]:
    lab = inngest.Lab(db)
    client = inngest.Inngest(app_id="soak", is_production=False)
    payload = "x" * 2048

    @client.create_function(fn_id="work", trigger=inngest.TriggerEvent(event="soak/go"))
    async def work(ctx: inngest.Context) -> str:
        await ctx.step.run("a", lambda: payload)
        await ctx.step.run("b", lambda: payload)
        return str(await ctx.step.run("c", lambda: payload))

    await lab.start()
    lab.serve(client, [work])
    window = parse_window(retention)
    sweeper = Retention(lab.engine.store, lab.clock, window, interval_ms=5_000) if window else None
    if sweeper is not None:
        sweeper.start()
    started = time.monotonic()
    samples: list[tuple[float, float, int]] = []
    next_sample = 0.0
    sent = 0
    try:
        while (elapsed := time.monotonic() - started) < minutes * 60:
            due = int(elapsed * rate) - sent
            if due > 0:
                await lab.send_async([{"name": "soak/go", "data": {"i": sent + i}} for i in range(due)])
                sent += due
            if elapsed >= next_sample:
                runs, free = stored(db)
                samples.append((elapsed, size_mb(db), runs))
                log(
                    f"{elapsed:6.0f} s  {size_mb(db):8.2f} MB  {runs:7d} runs stored  {free:6d} free pages  {sent} sent"
                )
                next_sample += 30
            await asyncio.sleep(0.05)
    finally:
        if sweeper is not None:
            await sweeper.stop()
        await lab.close()
    half = [s for s in samples if s[0] >= minutes * 30]  # the second half of the soak
    return {
        "minutes": minutes,
        "runs_sent": float(sent),
        "final_mb": samples[-1][1],
        "second_half_min_mb": min(s[1] for s in half) if half else 0.0,
        "second_half_max_mb": max(s[1] for s in half) if half else 0.0,
        "final_runs_stored": float(samples[-1][2]),
    }


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--minutes", type=float, default=10.0)
    parser.add_argument("--retention", default="1m", help="window, e.g. 1m; 0 = no retention (the control)")
    parser.add_argument("--rate", type=float, default=20.0, help="runs started per second")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        result = await soak(args.minutes, args.retention, args.rate, Path(tmp) / "soak.db")
    print(json.dumps({k: round(v, 2) for k, v in result.items()}))


if __name__ == "__main__":
    asyncio.run(main())
