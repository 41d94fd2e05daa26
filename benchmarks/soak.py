"""Soak: an embedded Lab running 3-step functions flat out, printing its memory as it goes.

    python benchmarks/soak.py [--minutes 10] [--every 30] [--concurrency 50] [--db PATH]
                              [--postgres-uri URI --redis-uri URI]

One process: ``inngest_lab.Lab(<sqlite file>)`` (a temporary one unless ``--db``), or ``Lab(postgres_uri=...,
redis_uri=...)`` with both URIs, with an in-process function of three ``step.run`` calls. ``--concurrency``
clients each send an event and wait for its run, again and again, for ``--minutes``. Every ``--every``
seconds one line: elapsed, runs finished, runs/s over the interval, RSS (``VmRSS`` of /proc/self/status).

Verdict at the end: RSS growth after warm-up (the first interval) in total and per finished run, and the
maximum RSS against the reference deployment's 512 MB limit. Exit status 1 when RSS grew by more than
``FLAT_MB`` after warm-up or exceeded the limit, so a CI job can run it.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import inngest_lab as inngest

LIMIT_MB = 512.0
FLAT_MB = 32.0
"""Growth after warm-up that still counts as flat: allocator and SQLite page-cache noise, not per-run growth."""


def rss_mb() -> float:
    """This process's resident set size in MB (``VmRSS``, Linux)."""
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    raise RuntimeError("no VmRSS in /proc/self/status")


def three_step_function(client: inngest.Inngest) -> inngest.Function[Any]:
    @client.create_function(fn_id="three-steps", trigger=inngest.TriggerEvent(event="soak/go"), retries=0)
    async def three_steps(ctx: inngest.Context) -> dict[str, Any]:
        n = int(ctx.event.data.get("n", 0))
        a = await ctx.step.run("fetch", lambda: {"n": n, "items": [n, n + 1, n + 2]})
        b = await ctx.step.run("transform", lambda: {"sum": sum(a["items"]), "label": f"run-{n}"})
        c = await ctx.step.run("store", lambda: {"stored": True, "label": b["label"]})
        return {"sum": b["sum"], "stored": c["stored"]}

    return three_steps


@dataclass
class Tally:
    finished: int = 0
    failed: int = 0
    samples: list[tuple[float, int, float]] = field(default_factory=list)  # (elapsed s, finished, RSS MB)


async def client_loop(lab: inngest.Lab, tally: Tally, deadline: float, start_n: int, step: int) -> None:
    n = start_n
    while time.monotonic() < deadline:
        [event_id] = await lab.send_async([{"name": "soak/go", "data": {"n": n}}])
        for run in await lab.wait(event_id, timeout=120):
            if run.status is inngest.RunStatus.COMPLETED:
                tally.finished += 1
            else:
                tally.failed += 1
        n += step


async def reporter(tally: Tally, started: float, every_s: float, stop: asyncio.Event) -> None:
    last_t, last_n = started, 0
    while not stop.is_set():
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), every_s)
        now = time.monotonic()
        rss = rss_mb()
        rate = (tally.finished - last_n) / max(now - last_t, 1e-9)
        tally.samples.append((now - started, tally.finished, rss))
        if now - last_t < every_s / 2:
            break  # the end fell just after a report: the sample counts for the verdict, a line would only repeat it
        print(
            f"{now - started:7.0f} s  {tally.finished:9,d} runs  {rate:7,.0f} runs/s  RSS {rss:7.1f} MB"
            + (f"  ({tally.failed} failed)" if tally.failed else ""),
            flush=True,
        )
        last_t, last_n = now, tally.finished


def make_lab(args: argparse.Namespace, db: Path) -> inngest.Lab:
    if args.postgres_uri is None and args.redis_uri is None:
        return inngest.Lab(db)
    if args.postgres_uri is None or args.redis_uri is None:
        sys.exit("soak: --postgres-uri and --redis-uri go together")
    lab: inngest.Lab = inngest.Lab(postgres_uri=args.postgres_uri, redis_uri=args.redis_uri)
    return lab


async def soak(args: argparse.Namespace, db: Path) -> int:
    lab = make_lab(args, db)
    await lab.start()
    client = inngest.Inngest(app_id="soak", is_production=False)
    lab.serve(client, [three_step_function(client)])
    await lab.idle()
    backend = "Postgres + Redis" if args.postgres_uri else f"SQLite {db}"
    start_rss = rss_mb()
    print(f"soak: {backend}, {args.concurrency} clients, {args.minutes:g} min; RSS at start {start_rss:.1f} MB")

    tally = Tally()
    started = time.monotonic()
    deadline = started + args.minutes * 60
    stop = asyncio.Event()
    report = asyncio.create_task(reporter(tally, started, args.every, stop))
    clients = [
        asyncio.create_task(client_loop(lab, tally, deadline, i, args.concurrency)) for i in range(args.concurrency)
    ]
    try:
        await asyncio.gather(*clients)
    finally:
        stop.set()
        await report
        await lab.close()
    return verdict(tally, start_rss)


def verdict(tally: Tally, start_rss: float) -> int:
    if len(tally.samples) < 2:
        print("verdict: too short to judge (needs at least two intervals)")
        return 0
    _, warm_runs, warm_rss = tally.samples[0]
    elapsed, end_runs, end_rss = tally.samples[-1]
    max_rss = max(rss for _, _, rss in tally.samples)
    growth = end_rss - warm_rss
    per_run = growth * 1024 * 1024 / max(end_runs - warm_runs, 1)
    flat, under = growth <= FLAT_MB, max_rss <= LIMIT_MB
    print(
        f"verdict: {end_runs:,d} runs in {elapsed:.0f} s ({end_runs / elapsed:,.0f} runs/s), {tally.failed} failed; "
        f"RSS start {start_rss:.1f} MB, after warm-up {warm_rss:.1f} MB, end {end_rss:.1f} MB, max {max_rss:.1f} MB"
    )
    print(
        f"verdict: growth after warm-up {growth:+.1f} MB ({per_run:+,.0f} B per finished run): "
        f"{'flat' if flat else 'GROWING'} (limit {FLAT_MB:g} MB); max RSS {max_rss:.1f} MB "
        f"{'under' if under else 'OVER'} {LIMIT_MB:g} MB"
    )
    return 0 if flat and under and not tally.failed else 1


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--minutes", type=float, default=10.0, help="how long to run flat out (default 10)")
    parser.add_argument("--every", type=float, default=30.0, help="seconds between reports (default 30)")
    parser.add_argument("--concurrency", type=int, default=50, help="clients sending and waiting (default 50)")
    parser.add_argument("--db", type=Path, default=None, help="SQLite file (default: a temporary one)")
    parser.add_argument("--postgres-uri", default=None, help="run on Postgres + Redis (with --redis-uri)")
    parser.add_argument("--redis-uri", default=None, help="run on Postgres + Redis (with --postgres-uri)")
    args = parser.parse_args()
    if args.db is not None:
        return asyncio.run(soak(args, args.db))
    with tempfile.TemporaryDirectory(prefix="inngest-lab-soak-") as tmp:
        return asyncio.run(soak(args, Path(tmp) / "soak.db"))


if __name__ == "__main__":
    raise SystemExit(main())
