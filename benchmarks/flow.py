"""Flow-control scale figures (issue 4): pause matching, parked sleeping runs, concurrency fairness.

    python benchmarks/flow.py [pauses] [sleeps] [concurrency] [--quick]

* pauses: 100,000 runs wait_for_event on one event name, each for ``async.data.id == <its own id>``
  (one real run, cloned in the store); then 1,000 events each resume one of them. Reports the cost of
  finding the candidates (``pauses_matching``) and of a whole ``Engine.send``, p50/p99, and checks that
  exactly the 1,000 targeted runs resumed and completed.
* sleeps: a child process starts 10,000 runs that each sleep 20 s; reports its RSS above idle while they
  all sleep, and how late they wake (p50/p99 of wake-up time minus due time).
* concurrency: concurrency limit 5 keyed by ``event.data.key``, 20 keys, 2,000 runs of equal work sent
  key by key (the worst order for fairness); reports each key's completion time, slowest / fastest.

Progress goes to stderr; the last line on stdout is one JSON object with the figures.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import sys
import tempfile
import time
from dataclasses import replace
from datetime import timedelta
from pathlib import Path
from typing import Any

import inngest_lab as inngest
from inngest_lab.engine import ids
from inngest_lab.engine.model import Command, CreatePause, Enqueue, ItemKind, QueueItem, SaveRun
from inngest_lab.engine.pauses import pause_to_json
from inngest_lab.protocol.consts import RunStatus

WAIT_EVENT = "bench/order.paid"


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


# ---------------------------------------------------------------- main


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("parts", nargs="*", default=["pauses"], choices=["pauses"])
    parser.add_argument("--quick", action="store_true", help="a tenth of the counts")
    args = parser.parse_args()
    scale = 10 if args.quick else 1
    figures: dict[str, Any] = {}
    with tempfile.TemporaryDirectory(prefix="flow-bench-") as tmp:
        if "pauses" in args.parts:
            figures["pauses"] = await pauses(100_000 // scale, 1_000 // scale, Path(tmp) / "pauses.db")
            log(f"pauses: {figures['pauses']}")
    print(json.dumps(figures))


if __name__ == "__main__":
    asyncio.run(main())
