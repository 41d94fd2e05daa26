"""What admission (flow control decided when an event arrives) costs at ingest.

    python benchmarks/admission.py [--events N]

An engine on a SQLite file with no workers (so only ingest is measured) ingests N events in arrays of 100
into one function per scenario: no flow control (the plain path), events with sender-chosen ids (event-id
dedupe), a rate limit keyed per event, a throttle, an idempotency key, a debounce, and batching.
Each scenario runs three times on a fresh file; the median and the spread (min–max) are printed.
Progress goes to stderr; the last line on stdout is one JSON object with the medians (events/s).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from inngest_lab.executor.clock import SystemClock
from inngest_lab.executor.engine import Engine
from inngest_lab.store.sqlite import SqliteStore

BATCH = 100
URL = "http://127.0.0.1:9/api/inngest"
SCENARIOS: dict[str, dict[str, Any]] = {
    "plain": {},
    "event_ids": {},
    "rate_limit": {"rateLimit": {"limit": 1000, "period": "1h", "key": "event.data.n"}},
    "throttle": {"throttle": {"limit": 1000, "period": "1s", "burst": 10}},
    "idempotency": {"idempotency": "event.data.n"},
    "debounce": {"debounce": {"period": "10s", "key": "event.data.user"}},
    "batching": {"batchEvents": {"maxSize": 50, "timeout": "10s"}},
}


def log(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


def body(options: dict[str, Any]) -> dict[str, Any]:
    fn = {
        "id": "bench-fn",
        "name": "fn",
        "triggers": [{"event": "bench/go"}],
        "steps": {"step": {"id": "step", "name": "step", "runtime": {"type": "http", "url": URL}}},
        **options,
    }
    return {"appname": "bench", "url": URL, "framework": "bench", "functions": [fn]}


async def one(name: str, events: int, directory: Path) -> float:
    engine = Engine(SqliteStore(str(directory / f"{name}.db")), SystemClock(), {}, workers=0)
    await engine.start()
    try:
        await engine.register(body(SCENARIOS[name]))
        batches = []
        for start in range(0, events, BATCH):
            batch = []
            for n in range(start, min(start + BATCH, events)):
                event: dict[str, Any] = {"name": "bench/go", "data": {"n": n, "user": n % 20}, "ts": 0, "user": {}}
                if name == "event_ids":
                    event["id"] = f"order-{n}"
                batch.append(event)
            batches.append(batch)
        began = time.perf_counter()
        for batch in batches:
            await engine.send(batch)
        return events / (time.perf_counter() - began)
    finally:
        await engine.stop()


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=5_000)
    args = parser.parse_args()
    medians: dict[str, float] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for name in SCENARIOS:
            rates = []
            for attempt in range(3):
                rates.append(await one(name, args.events, Path(tmp) / f"{name}-{attempt}"))
            medians[name] = round(statistics.median(rates), 1)
            log(f"{name:12s} median {medians[name]:>9,.0f} events/s  (spread {min(rates):,.0f}–{max(rates):,.0f})")
    print(json.dumps(medians))


if __name__ == "__main__":
    asyncio.run(main())
