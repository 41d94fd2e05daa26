"""What a parked (sleeping) run costs in Redis, and the engine process's RSS while it holds them.

    python benchmarks/redis_memory.py [--runs 10000] [--postgres-uri URI --redis-uri URI]

An embedded ``Lab(postgres_uri=, redis_uri=)`` with an in-process function that runs one step and then sleeps
an hour. ``--runs`` events start as many runs; once the engine is idle (every run did its step and parked on
its timer) and the outbox stream reached Postgres, Redis ``INFO memory`` ``used_memory`` is read again. The
difference over the runs is the cost of one parked run (target: at most 2 KiB); the engine's RSS (``VmRSS``)
must stay under the reference deployment's 512 MB. A breakdown by key pattern (``MEMORY USAGE`` of every key
the runs added, run ids replaced by ``*``) says where the bytes are.

Without URIs it starts throwaway ``redis-server`` and Postgres (``tests/services.py``). Given URIs should point
at an otherwise idle Redis database: the figure is a difference of the whole server's ``used_memory``.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import re
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

import redis.asyncio as aioredis

import inngest_lab as inngest

ROOT = Path(__file__).resolve().parent.parent
TARGET_BYTES = 2048
LIMIT_MB = 512.0
ID = re.compile(r"[0-9A-HJKMNP-TV-Z]{26}|[0-9a-f]{32}|[0-9a-f-]{36}")
"""Run, event and item ids (ULIDs, hex, UUIDs) in key names, replaced by ``*`` in the breakdown."""


def rss_mb() -> float:
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    raise RuntimeError("no VmRSS")


def load_avg() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def sleeper(client: inngest.Inngest) -> inngest.Function[Any]:
    @client.create_function(fn_id="parked", trigger=inngest.TriggerEvent(event="mem/park"), retries=0)
    async def parked(ctx: inngest.Context) -> str:
        n = await ctx.step.run("first", lambda: int(ctx.event.data.get("n", 0)))
        await ctx.step.sleep("nap", timedelta(hours=1))
        return f"woke {n}"

    return parked


async def used_memory(r: aioredis.Redis) -> int:
    info = await r.info("memory")
    return int(info["used_memory"])


async def keys_by_pattern(r: aioredis.Redis, skip: set[str]) -> dict[str, tuple[int, int]]:
    """``pattern -> (keys, bytes)`` for every key not in ``skip`` (``MEMORY USAGE``, pipelined)."""
    names = [k async for k in r.scan_iter(count=1000) if k not in skip]
    out: dict[str, tuple[int, int]] = {}
    for i in range(0, len(names), 1000):
        chunk = names[i : i + 1000]
        async with r.pipeline(transaction=False) as pipe:
            for name in chunk:
                pipe.memory_usage(name, samples=0)
            sizes = await pipe.execute()
        for name, size in zip(chunk, sizes, strict=True):
            pattern = ID.sub("*", name)
            count, total = out.get(pattern, (0, 0))
            out[pattern] = (count + 1, total + int(size or 0))
    return out


async def measure(postgres: str, redis_uri: str, runs: int, batch: int) -> int:
    r = aioredis.Redis.from_url(redis_uri, decode_responses=True)
    lab = inngest.Lab(postgres_uri=postgres, redis_uri=redis_uri)
    await lab.start()
    client = inngest.Inngest(app_id="mem", is_production=False)
    lab.serve(client, [sleeper(client)])
    await lab.idle()
    await r.memory_purge()
    before = await used_memory(r)
    before_keys = {k async for k in r.scan_iter(count=1000)}
    rss0 = rss_mb()
    print(f"before: used_memory {before:,d} B, {len(before_keys)} keys; engine RSS {rss0:.1f} MB; load {load_avg()}")
    t0 = time.perf_counter()
    for start in range(0, runs, batch):
        await lab.send_async([{"name": "mem/park", "data": {"n": n}} for n in range(start, min(runs, start + batch))])
        await lab.idle(timeout=600)  # every run so far did its step and parked on its timer
    parked_s = time.perf_counter() - t0
    store: Any = lab.engine.store
    # the outbox stream (history and events on their way to Postgres) drains: what stays is the parked state
    deadline = time.monotonic() + 60
    while await r.xlen(store.keys.outbox) and time.monotonic() < deadline:  # noqa: ASYNC110 (a Redis stream)
        await asyncio.sleep(0.1)
    ended = await store.list_runs(
        status=[inngest.RunStatus.COMPLETED, inngest.RunStatus.FAILED, inngest.RunStatus.CANCELLED], limit=5
    )
    if ended:
        sys.exit(f"redis_memory: runs ended instead of parking, e.g. {ended[0].status.value}: {ended[0].error}")
    await asyncio.sleep(0.5)
    await r.memory_purge()
    after = await used_memory(r)
    rss1 = rss_mb()
    per_run = (after - before) / runs
    breakdown = await keys_by_pattern(r, before_keys)
    keys_added = sum(count for count, _ in breakdown.values())
    print(
        f"after {runs:,d} parked runs ({parked_s:.1f} s to park): used_memory {after:,d} B, {keys_added:,d} keys "
        f"added; engine RSS {rss1:.1f} MB; load {load_avg()}"
    )
    print()
    print(f"{'key pattern':<60} {'keys':>8} {'bytes':>12} {'B/run':>8}")
    print("-" * 91)
    for pattern, (count, total) in sorted(breakdown.items(), key=lambda kv: -kv[1][1])[:15]:
        print(f"{pattern[:60]:<60} {count:>8,d} {total:>12,d} {total / runs:>8.0f}")
    print()
    ok_redis, ok_rss = per_run <= TARGET_BYTES, rss1 < LIMIT_MB
    print(f"{'figure':<34} {'measured':>14} {'target':>12}")
    print("-" * 62)
    print(f"{'Redis bytes per parked run':<34} {per_run:>14,.0f} {'<= 2,048':>12}  {'ok' if ok_redis else 'OVER'}")
    print(f"{'engine RSS holding them (MB)':<34} {rss1:>14.1f} {'< 512':>12}  {'ok' if ok_rss else 'OVER'}")
    print(f"{'engine RSS growth (MB)':<34} {rss1 - rss0:>14.1f}")
    print(f"load average: {load_avg()}")
    await lab.close()
    await r.aclose()
    return 0 if ok_redis and ok_rss else 1


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=10_000)
    parser.add_argument("--batch", type=int, default=500, help="events per send (default 500)")
    parser.add_argument("--postgres-uri", default=None)
    parser.add_argument("--redis-uri", default=None)
    args = parser.parse_args()
    if (args.postgres_uri is None) != (args.redis_uri is None):
        sys.exit("redis_memory: --postgres-uri and --redis-uri go together")
    if args.postgres_uri:
        return asyncio.run(measure(args.postgres_uri, args.redis_uri, args.runs, args.batch))
    sys.path.insert(0, str(ROOT))
    from tests.services import PostgresServer, RedisServer

    with tempfile.TemporaryDirectory(prefix="inngest-lab-mem-") as tmp:
        redis_server = RedisServer(Path(tmp)).start()
        postgres_server = PostgresServer(Path(tmp)).start()
        try:
            return asyncio.run(measure(postgres_server.create_database(), redis_server.uri(), args.runs, args.batch))
        finally:
            redis_server.close()
            postgres_server.close()


if __name__ == "__main__":
    raise SystemExit(main())
