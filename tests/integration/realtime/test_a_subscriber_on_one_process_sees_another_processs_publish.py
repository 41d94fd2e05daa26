"""Production mode: two store connections to one Redis (as two processes have) each have their own broker; a
message published through one reaches the subscribers of the other, in order, and only on its channel."""

from __future__ import annotations

import asyncio

from inngest_lab.server.realtime_broker import RealtimeMessage, RedisBroker, broker_for
from inngest_lab.store.redis_pg import RedisPgConfig, RedisPgStore


async def test_messages_cross_processes_through_redis_in_order(postgres_uri: str, redis_uri: str) -> None:
    a, b = (RedisPgStore(RedisPgConfig(postgres_uri, redis_uri)) for _ in range(2))
    await a.open()
    await b.open()
    try:
        on_a, on_b = broker_for(a), broker_for(b)
        assert isinstance(on_a, RedisBroker) and on_a is not on_b
        mine = await on_a.subscribe({"run:1": frozenset({"t"})})
        theirs = await on_a.subscribe({"run:2": None})
        for i in range(50):
            await on_b.publish(RealtimeMessage("run:1", "t", i, 0, "r1"))
            await on_b.publish(RealtimeMessage("run:3", "t", -1, 0, "r3"))

        got = [await asyncio.wait_for(mine.next(), 5) for _ in range(50)]
        assert [m.data for m in got if m is not None] == list(range(50))
        await asyncio.sleep(0.05)
        assert theirs.pending == 0
        await mine.close()
        await theirs.close()
        assert on_a.subscriber_count == 0
    finally:
        await a.close()
        await b.close()
