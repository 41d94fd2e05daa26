"""Flow-control scale figures (issue 4): pause matching, parked sleeping runs, concurrency fairness.

    python benchmarks/flow.py [pauses] [sleeps] [concurrency] [--quick]

* pauses: 100,000 runs wait_for_event on one event name, each for ``async.data.id == <its own id>``
  (one real run, cloned in the store); then 1,000 events each resume one of them. Reports the cost of
  finding the candidates (``pauses_matching``) and of a whole ``Engine.send``, p50/p99, and checks that
  exactly the 1,000 targeted runs resumed and completed.
* sleeps: a child process parks 10,000 runs in ``step.sleep_until``, due from 30 s on at 500 wake-ups per
  second (``--wake-rate``); reports its RSS above idle while they all sleep, and how late they wake
  (p50/p99 of the time the timer fired, ``step.resumed``, minus the due time).
* concurrency: concurrency limit 5 keyed by ``event.data.key``, 20 keys, 2,000 runs of equal work (a 10 ms
  await) sent in one request ordered key by key (the worst order for fairness); reports when each key's
  last run finished, slowest / fastest.

Progress goes to stderr; the last line on stdout is one JSON object with the figures.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import json
import random
import sys
import tempfile
import time
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import inngest_lab as inngest
from inngest_lab.engine import ids
from inngest_lab.engine.model import Command, CreatePause, Enqueue, HistoryKind, ItemKind, QueueItem, SaveRun
from inngest_lab.engine.pauses import pause_to_json
from inngest_lab.protocol.consts import RunStatus

WAIT_EVENT = "bench/order.paid"
WAKES_PER_S = 500  # spread of the sleeping runs' due times (--wake-rate)


def log(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


# ---------------------------------------------------------------- (a) pause matching


def waiter(client: inngest.Inngest) -> inngest.Function[Any]:
    @client.create_function(fn_id="waiter", trigger=inngest.TriggerEvent(event="bench/order.created"), retries=0)
    async def wait_paid(ctx: inngest.Context) -> Any:
        paid = await ctx.step.wait_for_event(
            "paid", event=WAIT_EVENT, if_exp="async.data.id == event.data.id", timeout=timedelta(days=1)
        )
        return None if paid is None else paid.data["id"]

    return wait_paid


async def pauses(pending: int, probes: int, db: Path) -> dict[str, float]:
    lab = inngest.Lab(db)
    await lab.start()
    store = lab.engine.store
    client = inngest.Inngest(app_id="bench", is_production=False)
    lab.serve(client, [waiter(client)])
    [event_id] = lab.send({"name": "bench/order.created", "data": {"id": "o-0"}})
    await lab.idle()
    [model] = await lab.runs(event_id=event_id)
    [pause] = await store.pauses_for_run(model.run_id)

    log(f"pauses: cloning the waiting run {pending - 1:,} times")
    started = time.perf_counter()
    chunk: list[Command] = []
    for i in range(1, pending):
        run_id = f"{model.run_id[:-8]}{i:08d}"
        clone = replace(
            pause,
            pause_id=ids.pause_id(run_id, pause.step_id or ""),
            run_id=run_id,
            expression=f'async.data.id == "o-{i}"',
        )
        event = {**model.event, "data": {"id": f"o-{i}"}}
        timeout = QueueItem(
            item_id=ids.timeout_item_id(clone.pause_id),
            run_id=run_id,
            fn_id=model.fn_id,
            kind=ItemKind.PAUSE_TIMEOUT,
            due_at_ms=clone.expires_at_ms,
            step_id=clone.step_id or "",
            pause_id=clone.pause_id,
            payload={"pause": pause_to_json(clone)},
        )
        chunk += [SaveRun(replace(model, run_id=run_id, events=(event,))), CreatePause(clone), Enqueue(timeout)]
        if len(chunk) >= 3_000:
            await store.apply(chunk)
            chunk = []
    await store.apply(chunk)
    log(f"pauses: {pending:,} pending in {time.perf_counter() - started:.1f}s")

    gc.collect()  # the setup's garbage, not the lookups', would otherwise be collected during the measurement
    targets = random.Random(7).sample(range(1, pending), probes)
    lookup: list[float] = []
    for i in targets[:probes]:
        t0 = time.perf_counter()
        [found] = await store.pauses_matching([{"name": WAIT_EVENT, "data": {"id": f"o-{i}"}}])
        lookup.append((time.perf_counter() - t0) * 1000)
        assert len(found) == 1, found
    send: list[float] = []
    for i in targets:
        t0 = time.perf_counter()
        await lab.engine.send([{"name": WAIT_EVENT, "data": {"id": f"o-{i}"}, "ts": 0}])
        send.append((time.perf_counter() - t0) * 1000)
    await lab.idle()
    done = await store.list_runs(status=[RunStatus.COMPLETED], limit=pending)
    resumed = sorted(int(str(r.output)[2:]) for r in done)
    assert resumed == sorted(targets), "the events resumed other runs than their own"
    still = len(await store.list_runs(status=[RunStatus.RUNNING], limit=pending))
    assert still == pending - probes, still
    await lab.close()
    return {
        "pending_pauses": pending,
        "match_p50_ms": pct(lookup, 0.5),
        "match_p99_ms": pct(lookup, 0.99),
        "send_p50_ms": pct(send, 0.5),
        "send_p99_ms": pct(send, 0.99),
        "resumed_exactly": len(resumed),
    }


# ---------------------------------------------------------------- (b) sleeping runs


def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("no VmRSS in /proc/self/status")


async def sleeper_child(db: Path, runs: int, sleep_s: float, wakes_per_s: float) -> dict[str, float]:
    """In the child process: park ``runs`` sleeping runs, measure RSS, then how late they wake."""
    lab = inngest.Lab(db)
    await lab.start()
    client = inngest.Inngest(app_id="bench", is_production=False)

    @client.create_function(fn_id="sleeper", trigger=inngest.TriggerEvent(event="bench/sleep"), retries=0)
    async def sleeper(ctx: inngest.Context) -> int:
        await ctx.step.sleep_until("nap", datetime.fromtimestamp(ctx.event.data["wake_ms"] / 1000, tz=UTC))
        return 1

    lab.serve(client, [sleeper])
    warm = lab.send([{"name": "bench/sleep", "data": {"wake_ms": time.time() * 1000 + 100}}])  # every code path
    await lab.wait(warm[0], timeout=30)
    gc.collect()
    idle = rss_mb()
    started = time.perf_counter()
    # Wake-ups spread evenly over ``runs / wakes_per_s`` seconds, starting ``sleep_s`` from now.
    first_wake_ms = time.time() * 1000 + sleep_s * 1000
    event_ids: list[str] = []
    for offset in range(0, runs, 500):
        batch = [
            {"name": "bench/sleep", "data": {"wake_ms": first_wake_ms + n * 1000 / wakes_per_s}}
            for n in range(offset, min(runs, offset + 500))
        ]
        event_ids += await lab.send_async(batch)
    await lab.idle(timeout=sleep_s)  # every run has reached its sleep: nothing is due now
    parked_s = time.perf_counter() - started
    store = lab.engine.store
    run_ids = [r.run_id for r in await store.list_runs(status=[RunStatus.RUNNING], limit=runs + 1)]
    sleeping = len(run_ids)
    gc.collect()
    parked = rss_mb()
    log(f"sleeps: {sleeping:,} runs asleep after {parked_s:.1f}s; RSS {idle:.0f} MB idle, {parked:.0f} MB parked")
    for run_id in run_ids:  # pushed by the change feed: no reads compete with the wake-ups
        await lab.engine.wait_for_run(run_id, timeout_s=sleep_s + 60)
    late: list[float] = []
    for run_id in run_ids:
        history = await store.history(run_id)
        [due] = [e.data["until_ms"] for e in history if e.kind is HistoryKind.STEP_SLEEPING]
        [woke] = [e.at_ms for e in history if e.kind is HistoryKind.STEP_RESUMED]
        late.append(woke - due)
    await lab.close()
    return {
        "sleeping_runs": sleeping,
        "parked_within_s": parked_s,
        "rss_idle_mb": idle,
        "rss_parked_mb": parked,
        "rss_above_idle_mb": parked - idle,
        "kb_per_sleeping_run": (parked - idle) * 1024 / max(1, sleeping),
        "wake_late_p50_ms": pct(late, 0.5),
        "wake_late_p99_ms": pct(late, 0.99),
        "wake_late_max_ms": max(late),
    }


async def sleeps(runs: int, sleep_s: float, wakes_per_s: float, db: Path) -> dict[str, float]:
    """Run ``sleeper_child`` in a fresh process, so its RSS is the engine's alone."""
    argv = [__file__, "_sleeper", str(db), str(runs), str(sleep_s), str(wakes_per_s)]
    proc = await asyncio.create_subprocess_exec(sys.executable, *argv, stdout=asyncio.subprocess.PIPE)
    out, _ = await proc.communicate()
    if proc.returncode != 0:
        raise RuntimeError(f"sleeper child exited with {proc.returncode}")
    figures: dict[str, float] = json.loads(out.decode().strip().splitlines()[-1])
    return {**figures, "wakes_per_s": wakes_per_s}


# ---------------------------------------------------------------- (c) concurrency fairness


async def fairness(keys: int, per_key: int, limit: int, work_s: float, db: Path) -> dict[str, float]:
    lab = inngest.Lab(db)
    await lab.start()
    client = inngest.Inngest(app_id="bench", is_production=False)

    async def work() -> float:
        await asyncio.sleep(work_s)  # equal work for every run: an I/O wait, as a rate-limited API call is
        return time.time()

    @client.create_function(
        fn_id="limited",
        trigger=inngest.TriggerEvent(event="bench/limited"),
        retries=0,
        concurrency=[inngest.Concurrency(limit=limit, key="event.data.key")],
    )
    async def limited(ctx: inngest.Context) -> float:
        return float(await ctx.step.run("work", work))

    lab.serve(client, [limited])
    await lab.idle()
    # One request, ordered key by key: every run starts at the same instant, and the first keys' runs are the
    # oldest, so a queue that served by age alone would finish them long before the last keys.
    keys_in_order = [f"k{k:02d}" for k in range(keys) for _ in range(per_key)]
    t0 = time.time()
    event_ids = await lab.send_async([{"name": "bench/limited", "data": {"key": key}} for key in keys_in_order])
    sent_s = time.time() - t0
    done: dict[str, float] = {}
    for key, event_id in zip(keys_in_order, event_ids, strict=True):
        [run] = await lab.wait(event_id, timeout=600)
        assert run.status is RunStatus.COMPLETED, run
        done[key] = max(done.get(key, 0.0), float(run.output) - t0)
    await lab.close()
    fastest, slowest = min(done.values()), max(done.values())
    return {
        "keys": keys,
        "runs": keys * per_key,
        "limit": limit,
        "sent_within_s": sent_s,
        "fastest_key_done_s": fastest,
        "slowest_key_done_s": slowest,
        "slowest_over_fastest": slowest / fastest,
    }


# ---------------------------------------------------------------- main


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("parts", nargs="*", metavar="part", help=f"any of {', '.join(PARTS)} (default: all)")
    parser.add_argument("--quick", action="store_true", help="a tenth of the counts")
    parser.add_argument("--wake-rate", type=float, default=WAKES_PER_S, help="sleeps: due times per second")
    args = parser.parse_args()
    args.parts = args.parts or PARTS
    if unknown := set(args.parts) - set(PARTS):
        parser.error(f"unknown part(s): {', '.join(sorted(unknown))}")
    scale = 10 if args.quick else 1
    figures: dict[str, Any] = {}
    with tempfile.TemporaryDirectory(prefix="flow-bench-") as tmp:
        if "pauses" in args.parts:
            figures["pauses"] = await pauses(100_000 // scale, 1_000 // scale, Path(tmp) / "pauses.db")
            log(f"pauses: {figures['pauses']}")
        if "sleeps" in args.parts:
            figures["sleeps"] = await sleeps(10_000 // scale, 30.0 / scale, args.wake_rate, Path(tmp) / "sleeps.db")
            log(f"sleeps: {figures['sleeps']}")
        if "concurrency" in args.parts:
            figures["concurrency"] = await fairness(20, 100 // scale, 5, 0.01, Path(tmp) / "concurrency.db")
            log(f"concurrency: {figures['concurrency']}")
    print(json.dumps(figures))


PARTS = ["pauses", "sleeps", "concurrency"]

if __name__ == "__main__":
    if sys.argv[1:2] == ["_sleeper"]:
        db, count, seconds, rate = sys.argv[2], int(sys.argv[3]), float(sys.argv[4]), float(sys.argv[5])
        print(json.dumps(asyncio.run(sleeper_child(Path(db), count, seconds, rate))))
    else:
        asyncio.run(main())
