"""Warm rounds of the HTTP step workload, for paired comparisons of two versions of the code.

    python benchmarks/warm_rounds.py [--production] [--rounds 3] [--runs 200] [--pause 0]

One server (``inngest-lab dev`` on SQLite, or with ``--production`` ``inngest-lab start`` on throwaway Postgres and
Redis) and our SDK's app (``bench_app.py``, fast path on), warmed up, then ``--rounds`` rounds of ``--runs`` events
sent at once; each round prints steps/s and the CPU milliseconds per step of the server and of the app. It
prints ``PIDS <server> <app>`` before the rounds (``--pause`` seconds later they start), so a profiler can attach.

``steps.py`` measures one round of fresh processes; this measures processes that have warmed up, and is the
harness for paired rounds: check the other version out beside this one (``git worktree add --detach ../base
<rev>``) and alternate ``PYTHONPATH=../base python ../base/benchmarks/warm_rounds.py`` with this tree's, so a
drift of the machine's speed falls on both sides alike (``docs/performance.md``).
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
import time
from pathlib import Path

import aiohttp
import steps as bench

ROOT = Path(__file__).resolve().parent.parent


async def rounds(args: argparse.Namespace, tmp: Path, prod: tuple[str, str] | None) -> None:
    app_port, server_port = bench.free_port(), bench.free_port()
    app_url = f"http://127.0.0.1:{app_port}/api/inngest"
    server_url = f"http://127.0.0.1:{server_port}"
    app_env = {"INNGEST_DEV": server_url}
    headers: dict[str, str] = {}
    if prod:
        app_env = {"INNGEST_BASE_URL": server_url, "INNGEST_SIGNING_KEY": bench.SIGNING_KEY}
        headers = {"Authorization": f"Bearer {bench.SIGNING_KEY}"}
    with bench.process(
        [sys.executable, str(ROOT / "benchmarks" / "bench_app.py"), "--port", str(app_port)], app_env
    ) as app:
        async with aiohttp.ClientSession() as s:
            await bench.wait_http(s, app_url)
        async with (
            bench.dev_server(tmp, app_url, server_port, prod, args.in_flight) as (base, server),
            aiohttp.ClientSession(headers=headers) as s,
        ):
            await bench.wait_synced(s, base, "ten-steps", prod=prod is not None)
            for _ in range(3):  # warm-up
                await bench.wait_done(s, base, await bench.send(s, base, [{"name": "bench/go", "data": {}}]))
            print("PIDS", server.pid, app.pid, flush=True)
            await asyncio.sleep(args.pause)
            steps = args.runs * bench.STEPS
            for r in range(args.rounds):
                cpu0 = (bench.cpu_s(server.pid), bench.cpu_s(app.pid))
                t0 = time.perf_counter()
                ids = await bench.send(s, base, [{"name": "bench/go", "data": {"i": i}} for i in range(args.runs)])
                await bench.wait_done(s, base, ids)
                elapsed = time.perf_counter() - t0
                server_ms, app_ms = (
                    (after - before) * 1000 / steps
                    for before, after in zip(cpu0, (bench.cpu_s(server.pid), bench.cpu_s(app.pid)), strict=True)
                )
                print(
                    f"round {r}: {steps / elapsed:,.0f} steps/s; CPU per step: server {server_ms:.3f} ms, "
                    f"app {app_ms:.3f} ms",
                    flush=True,
                )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--production", action="store_true", help="inngest-lab start on throwaway Postgres + Redis")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--runs", type=int, default=200, help="events sent at once per round")
    parser.add_argument("--in-flight", type=int, default=None, help="the server's --queue-workers")
    parser.add_argument("--pause", type=float, default=0.0, help="seconds between printing PIDS and the rounds")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="inngest-lab-warm-") as tmp_dir:
        tmp = Path(tmp_dir)
        if not args.production:
            asyncio.run(rounds(args, tmp, None))
            return
        sys.path.insert(0, str(ROOT))
        from tests.services import PostgresServer, RedisServer

        redis, postgres = RedisServer(tmp).start(), PostgresServer(tmp).start()
        try:
            asyncio.run(rounds(args, tmp, (postgres.create_database("warm"), redis.uri(1))))
        finally:
            redis.close()
            postgres.close()


if __name__ == "__main__":
    main()
