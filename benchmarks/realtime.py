"""Realtime latency: ``POST /v1/realtime/publish`` to a WebSocket subscriber on loopback, p50 and p99.

    python benchmarks/realtime.py [--messages 2000] [--production]

* memory (default): one ``inngest-lab`` server in this process (engine on a SQLite file), one WebSocket
  subscriber; each message's latency is from just before its publish request is written to the moment the
  subscriber has decoded it.
* ``--production``: two servers on one Postgres + one Redis (throwaway ``tests/services.py`` servers), the
  publish sent to one and the subscriber on the other: the message crosses Redis pub/sub.

Publishes are sequential (the next one starts after the previous one's answer), so the figure is latency, not
throughput. Also printed: CPU time of this process per message (publisher, server and subscriber share it),
because wall figures on a busy machine mislead. The last stdout line is one JSON object with the figures.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import statistics
import sys
import tempfile
import time
from collections.abc import AsyncIterator
from pathlib import Path

from tornado.httpclient import AsyncHTTPClient, HTTPRequest
from tornado.netutil import bind_sockets
from tornado.websocket import websocket_connect

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from inngest_lab.executor.clock import SystemClock
from inngest_lab.executor.engine import Engine
from inngest_lab.server.app import ServerSettings, make_app, start_server
from inngest_lab.store.ports import Store
from inngest_lab.store.redis_pg import RedisPgConfig, RedisPgStore
from inngest_lab.store.sqlite import SqliteStore


@contextlib.asynccontextmanager
async def server(store: Store) -> AsyncIterator[str]:
    engine = Engine(store, SystemClock(), {}, workers=4)
    await engine.start()
    sockets = bind_sockets(0, "127.0.0.1")
    settings = ServerSettings()
    http = start_server(make_app(engine, settings), settings, sockets=sockets)
    try:
        yield f"127.0.0.1:{sockets[0].getsockname()[1]}"
    finally:
        http.stop()
        await engine.stop()


async def measure(publish_to: str, subscribe_on: str, messages: int) -> dict[str, float]:
    client = AsyncHTTPClient()
    token_req = HTTPRequest(
        f"http://{subscribe_on}/v1/realtime/token",
        method="POST",
        body=json.dumps([{"channel": "bench", "name": "t", "kind": "run"}]),
    )
    jwt = json.loads((await client.fetch(token_req)).body)["jwt"]
    ws = await websocket_connect(f"ws://{subscribe_on}/v1/realtime/connect?token={jwt}")
    url = f"http://{publish_to}/v1/realtime/publish?channel=bench&topic=t"
    latencies: list[float] = []
    warmup = min(100, messages // 10)
    cpu0 = time.process_time()
    wall0 = time.perf_counter()
    for i in range(messages + warmup):
        sent = time.perf_counter()
        reply = asyncio.ensure_future(client.fetch(HTTPRequest(url, method="POST", body=json.dumps({"i": i}))))
        frame = await ws.read_message()
        received = time.perf_counter()
        assert isinstance(frame, str) and json.loads(frame)["data"] == {"i": i}, frame
        await reply
        if i >= warmup:
            latencies.append((received - sent) * 1000)
    wall = time.perf_counter() - wall0
    cpu = time.process_time() - cpu0
    ws.close()
    latencies.sort()
    return {
        "messages": messages,
        "p50_ms": round(statistics.median(latencies), 3),
        "p99_ms": round(latencies[int(len(latencies) * 0.99) - 1], 3),
        "max_ms": round(latencies[-1], 3),
        "cpu_ms_per_message": round(cpu * 1000 / (messages + warmup), 3),
        "wall_ms_per_message": round(wall * 1000 / (messages + warmup), 3),
    }


async def memory_mode(messages: int) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as tmp:
        async with server(SqliteStore(str(Path(tmp) / "bench.sqlite3"))) as addr:
            return await measure(addr, addr, messages)


async def production_mode(messages: int) -> dict[str, float]:
    from tests.services import PostgresServer, RedisServer

    with tempfile.TemporaryDirectory() as tmp:
        pg, redis = PostgresServer(Path(tmp)).start(), RedisServer(Path(tmp)).start()
        try:
            uri = pg.create_database("bench")
            stores = [RedisPgStore(RedisPgConfig(uri, redis.uri())) for _ in range(2)]
            async with server(stores[0]) as a, server(stores[1]) as b:
                return await measure(a, b, messages)
        finally:
            redis.close()
            pg.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--messages", type=int, default=2000)
    parser.add_argument("--production", action="store_true", help="publish on one process, subscribe on another")
    args = parser.parse_args()
    mode = production_mode if args.production else memory_mode
    figures = asyncio.run(mode(args.messages))
    label = "production (Redis pub/sub, 2 servers)" if args.production else "memory (1 server)"
    print(
        f"realtime publish -> WebSocket subscriber, {label}: p50 {figures['p50_ms']} ms, p99 {figures['p99_ms']} ms,"
        f" max {figures['max_ms']} ms; CPU {figures['cpu_ms_per_message']} ms/message",
        file=sys.stderr,
    )
    print(json.dumps({"mode": "production" if args.production else "memory", **figures}))


if __name__ == "__main__":
    main()
