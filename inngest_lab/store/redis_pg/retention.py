"""Retention and gauges on Postgres + Redis.

Finished runs live in Postgres only (Redis drops a run's hot state once the outbox has flushed it), so
retention is a Postgres job: each batch is one short transaction that deletes at most ``limit`` runs picked
with ``FOR UPDATE SKIP LOCKED``, so several processes purging at once take different runs and nobody waits
on a lock. Only rows marked ``ended`` whose ``ended_at_ms`` is before the cut-off qualify: a run still going
is never touched.

Gauges are deployment-wide reads of Redis (queue hashes and zsets, the pause hash). Exactly one process at a
time reports them (``claim_reporter``, a Redis key with a TTL), so summing ``/metrics`` over the processes
counts each queue item once.
"""

from __future__ import annotations

from redis.asyncio import Redis

from inngest_lab.store.ports import Purged, StoreGauges
from inngest_lab.store.ports.maintenance import FLOW_REASONS
from inngest_lab.store.redis_pg.keys import Keys
from inngest_lab.store.redis_pg.pg import Postgres

_DOOMED = """
    DELETE FROM runs WHERE run_id IN (
        SELECT run_id FROM runs
        WHERE ended AND created_at_ms < %(before)s AND (run_json::jsonb ->> 'ended_at_ms')::bigint < %(before)s
        ORDER BY created_at_ms LIMIT %(limit)s FOR UPDATE SKIP LOCKED
    ) RETURNING run_id
"""
_ORPHAN_EVENTS = """
    DELETE FROM events WHERE internal_id IN (
        SELECT internal_id FROM events e
        WHERE e.received_at_ms < %(before)s
          AND NOT EXISTS (SELECT 1 FROM run_events re WHERE re.event_id = e.internal_id)
        LIMIT %(limit)s FOR UPDATE SKIP LOCKED
    )
"""


async def purge(pg: Postgres, before_ms: int, limit: int) -> tuple[Purged, list[str]]:
    """One retention batch; also returns the deleted run ids (the caller forgets its cached copies)."""
    args = {"before": before_ms, "limit": limit}
    async with pg.pool.connection() as conn, conn.transaction(), conn.cursor() as cur:
        await cur.execute(_DOOMED, args)
        run_ids = [str(row[0]) for row in await cur.fetchall()]
        for table in ("steps", "history", "run_events"):
            await cur.execute(f"DELETE FROM {table} WHERE run_id = ANY(%s)", (run_ids,))  # noqa: S608 - fixed names
        await cur.execute(_ORPHAN_EVENTS, args)
        events = max(cur.rowcount, 0)
    return Purged(len(run_ids), events, more=len(run_ids) == limit or events == limit), run_ids


async def gauges(r: Redis, keys: Keys) -> StoreGauges:
    async with r.pipeline(transaction=False) as pipe:
        pipe.hlen(keys.items)
        pipe.zrange(keys.queue_waiting, 0, 0, withscores=True)
        pipe.zrange(keys.queue_ready, 0, 0, withscores=True)  # due minus priority: priority is rarely set
        pipe.hlen(keys.pauses)
        pipe.hlen(keys.delayed)
        pipe.hmget(keys.hold_counts, list(FLOW_REASONS))
        depth, waiting, ready, pauses, slotless, held = await pipe.execute()
    firsts = [int(score) for _, score in (*waiting, *ready)]
    flow = {reason: int(n or 0) for reason, n in zip(FLOW_REASONS, held, strict=True)}
    flow["concurrency"] += int(slotless)
    return StoreGauges(int(depth), min(firsts, default=None), int(pauses), flow)


async def claim_reporter(r: Redis, keys: Keys, owner: str, ttl_ms: int) -> bool:
    key = keys.prefix + "metrics-reporter"
    if await r.set(key, owner, nx=True, px=ttl_ms):
        return True
    if await r.get(key) == owner:
        await r.pexpire(key, ttl_ms)
        return True
    return False
