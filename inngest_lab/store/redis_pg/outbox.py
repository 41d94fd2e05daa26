"""Moves the outbox stream to Postgres: runs, steps, events and history, in commit order.

``apply.lua`` appends each commit's Postgres rows to one Redis stream in the same atomic step as its
Redis writes, so a commit is in both stores or in neither. One process at a time flushes (a lock with a
TTL, taken by whichever process has work), so rows reach Postgres in stream order. A flush is:
read up to ``batch`` entries, write them in one Postgres transaction (idempotent upserts), drop the
hot state of runs that finished, then trim the stream. A flusher killed between the Postgres commit and
the trim leaves entries that the next flusher writes again, changing nothing.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging

import psycopg
from redis.asyncio import Redis
from redis.exceptions import RedisError

from inngest_lab.store import codec
from inngest_lab.store.redis_pg.autopipe import ScriptPipe
from inngest_lab.store.redis_pg.keys import Keys
from inngest_lab.store.redis_pg.pg import FlushBatch, Postgres
from inngest_lab.store.redis_pg.scripts import Scripts

log = logging.getLogger(__name__)

LOCK_MS = 10_000
IDLE_CHECK_S = 1.0  # how often a process looks for entries left by others (a dead flusher's, say)
BARRIER_TIMEOUT_S = 5.0
CLOSE_FLUSH_S = 5.0
PACE_S = 0.025


def _after(stream_id: str) -> str:
    ms, _, n = stream_id.partition("-")
    return f"{ms}-{int(n) + 1}"


class Outbox:
    """The flusher of one process. ``kick`` after a commit that wrote outbox entries."""

    def __init__(
        self,
        redis: Redis,
        keys: Keys,
        scripts: Scripts,
        pipe: ScriptPipe,
        pg: Postgres,
        owner: str,
        *,
        batch: int = 2000,
    ) -> None:
        self._redis = redis
        self._keys = keys
        self._scripts = scripts
        self._pipe = pipe
        self._pg = pg
        self._owner = owner
        self._batch = batch
        self._kicked = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self._flushing = asyncio.Lock()
        self._closing = False
        self._flushed_through = (0, 0)  # the newest stream id this process wrote to Postgres and trimmed

    def start(self) -> None:
        self._task = asyncio.create_task(self._loop(), name="inngest-lab-outbox")

    async def close(self) -> None:
        self._closing = True
        self._kicked.set()
        if self._task is not None:
            await asyncio.gather(self._task, return_exceptions=True)
            self._task = None
        try:
            await asyncio.wait_for(self.flush(), CLOSE_FLUSH_S)  # leave nothing behind when we can
        except (RedisError, OSError, TimeoutError, psycopg.Error) as exc:
            log.warning("outbox: final flush failed (%s); another process will flush it", exc)

    def kick(self) -> None:
        self._kicked.set()

    async def _loop(self) -> None:
        while not self._closing:
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(IDLE_CHECK_S):
                    await self._kicked.wait()
            if self._closing:
                return
            # Let commits gather for a moment: one Postgres transaction then carries many of them (reads that
            # need them sooner flush at once through ``barrier``).
            await asyncio.sleep(PACE_S)
            self._kicked.clear()
            try:
                await self.flush()
            except asyncio.CancelledError:
                raise
            except Exception as exc:  # a store outage: keep the entries, try again on the next tick
                log.warning("outbox: flush failed (%s: %s); retrying", type(exc).__name__, exc)
                await asyncio.sleep(0.2)

    async def flush(self) -> int:
        """Flush everything in the stream if this process can take the lock; return the entries written."""
        async with self._flushing:
            keys = [self._keys.prefix]
            if not await self._scripts.lock(keys=keys, args=["obL", "take", self._owner, LOCK_MS]):
                return 0
            written = 0
            try:
                while True:
                    entries = await self._redis.xrange(self._keys.outbox, "-", "+", count=self._batch)
                    if not entries:
                        break
                    batch = FlushBatch()
                    for stream_id, fields in entries:
                        batch.add(_text(stream_id), codec.loads(_text(fields["d"])))  # type: ignore[index]
                    await self._pg.flush(batch)
                    # one round trip for all of them (a redis-py pipeline would first ask SCRIPT EXISTS)
                    await asyncio.gather(
                        *(self._pipe.run(self._scripts.forget, keys, [run_id]) for run_id in batch.terminal_runs)
                    )
                    last = _text(entries[-1][0])
                    await self._redis.xtrim(self._keys.outbox, minid=_after(last))
                    self._flushed_through = max(self._flushed_through, _id(last))
                    written += len(entries)
                    if len(entries) < self._batch:
                        break
                    await self._scripts.lock(keys=keys, args=["obL", "take", self._owner, LOCK_MS])
            finally:
                await self._scripts.lock(keys=keys, args=["obL", "drop", self._owner, 0])
            return written

    async def barrier(self) -> None:
        """Return once every entry committed before this call is in Postgres (or after a timeout).

        Reads of Postgres call this first, so an API read sees the writes that came before it.
        """
        last = await self._redis.xrevrange(self._keys.outbox, "+", "-", count=1)
        if not last:
            return
        target = _text(last[0][0])
        loop = asyncio.get_running_loop()
        deadline = loop.time() + BARRIER_TIMEOUT_S
        while True:
            if self._flushed_through >= _id(target):  # a flush that ended after the call wrote them
                return
            await self.flush()
            first = await self._redis.xrange(self._keys.outbox, "-", target, count=1)
            if not first or loop.time() > deadline:
                return
            await asyncio.sleep(0.005)  # another process holds the flush lock and is writing them


def _id(stream_id: str) -> tuple[int, int]:
    ms, _, n = stream_id.partition("-")
    return int(ms), int(n)


def _text(value: bytes | str | None) -> str:
    return value.decode() if isinstance(value, bytes) else str(value)
