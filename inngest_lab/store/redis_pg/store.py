"""``RedisPgStore``: the production ``Store``, shared by any number of processes (docs/architecture/production.md).

Redis holds what every step touches (the queue and its leases, hot run state, pauses, flow-control
state, operator records); Postgres holds what the API and the dashboard read (apps, functions, events,
runs, steps, history). Every write is one ``apply.lua`` call: its checks, Redis writes, outbox append
(the Postgres rows, flushed by ``outbox.py``) and feed message happen atomically.

Read-decide-write (``transact``, ``transact_flow``) is optimistic: read the state with its versions,
run the pure decision, and commit only if no version changed (the script's checks); on a conflict the
decision runs again on fresh state. Acks that name a lease are refused once that lease is lost.
"""

from __future__ import annotations

import asyncio
import logging
from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import replace
from typing import Any

from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import RedisError
from redis.exceptions import TimeoutError as RedisTimeoutError

from inngest_lab.engine.model import (
    App,
    Command,
    FunctionDef,
    Json,
    Lease,
    Run,
)
from inngest_lab.store import codec
from inngest_lab.store.ports import Decide, FlowDecide, LeaseLost, Purged, StoreUnavailable
from inngest_lab.store.redis_pg import retention
from inngest_lab.store.redis_pg.autopipe import ScriptPipe
from inngest_lab.store.redis_pg.bus import FeedBus, feed_message
from inngest_lab.store.redis_pg.config import RedisPgConfig
from inngest_lab.store.redis_pg.connect import connect
from inngest_lab.store.redis_pg.encode import Encoded, encode, item_from_text, item_text
from inngest_lab.store.redis_pg.flow_view import FlowSnapshot, NeedsRead
from inngest_lab.store.redis_pg.hot import HotReads
from inngest_lab.store.redis_pg.outbox import Outbox
from inngest_lab.store.redis_pg.pg import Postgres
from inngest_lab.store.redis_pg.reads import RedisPgReads
from inngest_lab.store.redis_pg.run_memo import written_runs
from inngest_lab.store.redis_pg.scripts import Scripts

log = logging.getLogger(__name__)

HANDOFF_MAX = 32  # leases a process may hold from its own commits before it leases through Redis again
MAX_ATTEMPTS = 200  # optimistic retries of one decision before giving up (never reached without a bug)
TICK_S = 1.0  # dispatchers look at the queue at least this often (timers armed by other processes)


class RedisPgStore(RedisPgReads):
    """A ``Store`` on Postgres + Redis. Any number of instances (processes) with one config form one deployment.

    This class holds the write path, the queue and the lifecycle; the reads are ``reads.py``'s."""

    def __init__(self, config: RedisPgConfig) -> None:
        super().__init__(config)
        self.duplicate_steps = 0  # step writes dropped because the step was already recorded
        self.conflicts = 0  # optimistic decisions that had to run again
        self._config_listeners: list[Callable[[str], None]] = []
        self._next_due: int | None = None
        self._due_version = 0
        self._run_locks: dict[str, tuple[asyncio.Lock, int]] = {}  # per run: the lock and its callers
        self._lease_seq = 0
        self._lease_ms: int | None = None  # the engine's lease length, learnt from its first lease call
        self._handed: deque[Lease] = deque()  # leased to this process at commit time, not yet taken
        self._ticker: asyncio.Task[None] | None = None

    # ------------------------------------------------------------ lifecycle

    async def open(self) -> None:
        if self._conn is not None:
            return
        self._conn = conn = await connect(self.config)
        redis = conn.redis
        self._scripts = Scripts.register(redis)
        self._pipe_ = ScriptPipe(redis)
        self._pg = Postgres(conn.pool)
        self._hot = HotReads(redis, self.keys)
        self._outbox_ = Outbox(redis, self.keys, self._scripts, self._pipe_, self._pg, self.owner)
        self._outbox_.start()
        self._bus = FeedBus(redis, self.keys.feed, self.owner, self._remote_commit)
        await self._bus.start()
        self._ticker = asyncio.create_task(self._tick(), name="inngest-lab-tick")

    async def close(self) -> None:
        if self._conn is None:
            return
        if self._ticker is not None:
            self._ticker.cancel()
            await asyncio.gather(self._ticker, return_exceptions=True)
        if self._bus is not None:
            await self._bus.close()
        await self._outbox.close()
        await self._conn.close()
        self._conn = None

    async def _tick(self) -> None:
        while True:
            await asyncio.sleep(TICK_S)
            self._feed.wake()

    # ------------------------------------------------------------ the one write path

    async def _commit(
        self, enc: Encoded, extra_ops: Sequence[list[Json]] = (), *, handoff_now_ms: int | None = None
    ) -> list[Any] | None:
        """Run ``apply.lua``; None on a version conflict. Raises ``LeaseLost`` when an ack's lease is gone."""
        runs = frozenset(str(op[1]) for op in enc.ops if op[0] in ("run", "step"))
        pauses = any(op[0] in ("pc", "pd", "pcons", "sclaim") for op in enc.ops)
        flow = any(op[0] in ("fput", "fdel", "fpurge") for op in enc.ops)
        with self._in_flight.writing(runs, pauses=pauses, flow=flow):
            return await self._commit_now(enc, extra_ops, handoff_now_ms)

    def _handoff_spec(self, now_ms: int | None) -> tuple[str, int]:
        """``apply.lua``'s hand-off argument, and the lease expiry it grants ("" when not handing off)."""
        room = HANDOFF_MAX - len(self._handed)
        if now_ms is None or self._lease_ms is None or room <= 0:
            return "", 0
        self._lease_seq += 1
        expires = now_ms + self._lease_ms
        return f"{self.owner}.h{self._lease_seq}.|{now_ms}|{expires}|{min(room, 8)}", expires

    async def _commit_now(
        self, enc: Encoded, extra_ops: Sequence[list[Json]], handoff_now_ms: int | None
    ) -> list[Any] | None:
        feed = feed_message(self.owner, enc.feed)
        handoff, expires = self._handoff_spec(handoff_now_ms if enc.items else None)
        try:
            reply = await self.pipe.run(
                self.s.apply,
                [self.keys.prefix],
                [
                    codec.dumps(enc.checks),
                    codec.dumps([*enc.ops, *extra_ops]),
                    codec.dumps(enc.outbox) if enc.outbox else "",
                    feed,
                    handoff,
                    "1" if enc.feed else "",
                ],
            )
        except (RedisConnectionError, RedisTimeoutError, OSError) as exc:
            raise StoreUnavailable(f"Redis: {exc}") from exc
        if reply[0] == "lease":
            raise LeaseLost(f"lease of queue item {reply[2]} was lost; its result is not recorded")
        if reply[0] == "conflict":
            self.conflicts += 1
            return None
        self.duplicate_steps += int(reply[1])
        if enc.outbox:
            self._outbox.kick()
        self._queue_said(reply[6])
        handed = reply[8]
        for i in range(0, len(handed), 2):
            self._handed.append(Lease(item=enc.items[handed[i]], lease_id=handed[i + 1], expires_at_ms=expires))
        if handed:
            self._feed.wake()
        if reply[5]:  # only items really enqueued (not an existing id, not a pause already consumed) wake anyone
            self._announce_due(int(reply[5]))
        return list(reply)

    def _published(self, commands: Sequence[Command]) -> None:
        """After this process committed ``commands``: the indexes, then the change feed's listeners."""
        self._event_runs.observe(commands, local=True)
        self._feed.publish(commands)

    def _queue_said(self, answer: str) -> None:
        """Take the queue's next due time (``"<version>:<ms>"``) unless a newer answer arrived first."""
        version, _, due = answer.partition(":")
        if int(version) > self._due_version:
            self._due_version = int(version)
            self._next_due = int(due) if due else None

    def _announce_due(self, due_ms: int) -> None:
        if self._next_due is None or due_ms < self._next_due:
            self._next_due = due_ms
        self._feed.wake()

    def _remote_commit(self, commands: list[Command], due: int | None, config: list[str]) -> None:
        self._memo.forget(written_runs(commands))
        if not commands and due is None and not config:  # (re)subscribed: messages may have been missed
            self._memo.clear()
            self._event_runs.clear()
            self._feed.wake()
        self._event_runs.observe(commands, local=False)
        self._feed.publish(commands, local=False)
        if due is not None:
            self._announce_due(due)
        for what in config:
            for listener in self._config_listeners:
                try:
                    listener(what)
                except Exception:
                    log.exception("configuration listener failed")

    async def _publish_config(self, what: str) -> None:
        await self.r.publish(self.keys.feed, feed_message(self.owner, [["cfg", what]]))

    def subscribe_config(self, listener: Callable[[str], None]) -> None:
        """``listener(what)`` when another process changed shared configuration: ``registry`` (apps and
        functions) or ``records:<kind>`` (operator records). Per-process caches reload on it."""
        self._config_listeners.append(listener)

    async def apply(self, commands: Sequence[Command]) -> None:
        enc = encode(commands)
        self._memo.forget(written_runs(commands))  # blind writes: the next decision reads the run afresh
        await self._commit(enc)
        self._memo.after_create(commands)  # so a new run's first step needs no read
        self._published(commands)

    async def transact(self, run_id: str, decide: Decide, *, now_ms: int | None = None) -> Sequence[Command]:
        # Decisions on one run from this process queue up (FIFO) rather than race: only other processes'
        # decisions can then conflict, and each decide sees every earlier local commit.
        lock, users = self._run_locks.get(run_id) or (asyncio.Lock(), 0)
        self._run_locks[run_id] = (lock, users + 1)
        try:
            async with lock:
                return await self._transact(run_id, decide, now_ms)
        finally:
            # dropped only once no caller holds or waits for it: a fresh lock beside a queued one would let
            # two of this process's decisions on the run race
            lock, users = self._run_locks[run_id]
            if users == 1:
                del self._run_locks[run_id]
            else:
                self._run_locks[run_id] = (lock, users - 1)

    async def _transact(self, run_id: str, decide: Decide, now_ms: int | None) -> Sequence[Command]:
        await self._in_flight.settled(run_id)
        known: tuple[Run | None, int] | None = self._memo.get(run_id)  # a guess: a stale one fails the check
        for _ in range(MAX_ATTEMPTS):
            if known is None:
                hot = (await self.hot.runs([run_id])).get(run_id)
                if hot is not None:
                    known = (hot.run, hot.version)
                else:  # finished (in Postgres) or not created yet; steps may exist before the run does
                    known = (await self.pg.finished_run(run_id), await self.hot.run_version(run_id))
            run, version = known
            commands = list(decide(run))
            enc = Encoded()
            enc.add_check("run", run_id, version)
            encode(commands, enc)
            reply = await self._commit(enc, handoff_now_ms=now_ms)
            if reply is not None:
                if int(reply[1]):
                    self._memo.forget([run_id])  # a step was recorded by someone else first: read it next time
                else:
                    self._memo.after_commit(run_id, run, commands, int(reply[7] or 0))
                self._memo.forget(written_runs(commands) - {run_id})
                self._published(commands)
                return commands
            self._memo.forget([run_id])
            known = None
        raise RuntimeError(f"run {run_id}: too much contention to commit a decision")

    async def transact_flow(self, decide: FlowDecide) -> Sequence[Command]:
        await self._in_flight.settled(flow=True)
        snapshot = FlowSnapshot()
        for _ in range(MAX_ATTEMPTS):
            try:
                commands = list(decide(snapshot))
            except NeedsRead as need:
                await self._read_into(snapshot, need)
                continue
            enc = Encoded()
            for key, version in snapshot.flow_versions().items():
                enc.add_check("flow", key, version)
            for run_id, version in snapshot.run_versions().items():
                enc.add_check("run", run_id, version)
            encode(commands, enc)
            if await self._commit(enc) is not None:
                self._published(commands)
                return commands
            snapshot = FlowSnapshot()  # something it read changed: decide again on fresh state
        raise RuntimeError("flow control: too much contention to commit a decision")

    async def _read_into(self, snapshot: FlowSnapshot, need: NeedsRead) -> None:
        if need.flow_keys:
            for key, read in (await self.hot.flow(need.flow_keys)).items():
                snapshot.put_flow(key, read.entry, read.version)
        for run_id in need.run_ids:
            hot = (await self.hot.runs([run_id], with_steps=False)).get(run_id)
            if hot is not None:
                snapshot.put_run(run_id, hot.run, hot.version)
            else:
                snapshot.put_run(run_id, await self.pg.finished_run(run_id), await self.hot.run_version(run_id))

    # ------------------------------------------------------------ registry and operator records (writes)

    async def upsert_app(self, app: App, functions: Sequence[FunctionDef]) -> bool:
        changed = await self.pg.upsert_app(app, functions)
        await self._publish_config("registry")
        return changed

    async def delete_app(self, app_id: str) -> None:
        await self.pg.delete_app(app_id)
        await self._publish_config("registry")

    async def put_record(
        self, kind: str, record_id: str, created_at_ms: int, record: Json, commands: Sequence[Command] = ()
    ) -> None:
        enc = encode(commands)
        await self._commit(enc, [["rput", kind, record_id, str(created_at_ms), codec.dumps(record)]])
        self._published(commands)
        await self._publish_config(f"records:{kind}")

    async def delete_record(self, kind: str, record_id: str, commands: Sequence[Command] = ()) -> bool:
        enc = encode(commands)
        reply = await self._commit(enc, [["rdel", kind, record_id]])
        self._published(commands)
        await self._publish_config(f"records:{kind}")
        return reply is not None and int(reply[2]) > 0

    # ------------------------------------------------------------ queue

    async def lease(self, now_ms: int, limit: int, lease_ms: int) -> list[Lease]:
        self._lease_ms = lease_ms
        if self._handed:  # handed to us by our own commits: no round trip
            return [self._handed.popleft() for _ in range(min(limit, len(self._handed)))]
        self._lease_seq += 1
        try:
            reply = await self.s.lease(
                keys=[self.keys.prefix], args=[now_ms, limit, lease_ms, f"{self.owner}.{self._lease_seq}."]
            )
        except (RedisError, OSError) as exc:
            log.warning("queue: lease failed (%s); retrying shortly", exc)
            self._next_due = now_ms + 250
            return []
        self._queue_said(reply[0])
        leases = []
        for i in range(1, len(reply), 4):
            item = item_from_text(reply[i], reply[i + 1])
            delayed: Json = None
            if reply[i + 3]:
                key, limit_, since = codec.loads(reply[i + 3])
                delayed = {"reason": "concurrency", "key": key, "limit": limit_, "since_ms": int(since)}
            leases.append(Lease(item=item, lease_id=reply[i + 2], expires_at_ms=now_ms + lease_ms, delayed=delayed))
        return leases

    async def extend(self, lease: Lease, now_ms: int, lease_ms: int) -> Lease | None:
        try:
            held = await self.pipe.run(
                self.s.extend, [self.keys.prefix], [lease.item.item_id, lease.lease_id, now_ms, lease_ms]
            )
        except (RedisError, OSError) as exc:
            log.warning("queue: extend failed (%s)", exc)
            return lease
        return replace(lease, expires_at_ms=now_ms + lease_ms) if held else None

    async def release(self, lease: Lease, due_at_ms: int) -> None:
        item = replace(lease.item, due_at_ms=due_at_ms)
        try:
            released = await self.s.release(
                keys=[self.keys.prefix],
                args=[item.item_id, lease.lease_id, due_at_ms, item_text(item)],
            )
        except (RedisError, OSError) as exc:  # the lease expires instead and the item comes back then
            log.warning("queue: release failed (%s); the item returns when its lease expires", exc)
            return
        if released:
            self._announce_due(due_at_ms)

    def next_due_ms(self) -> int | None:
        if self._handed:  # leased to this process already: due as soon as a worker is free
            due = min(lease.item.due_at_ms for lease in self._handed)
            return due if self._next_due is None else min(due, self._next_due)
        return self._next_due

    # ------------------------------------------------------------ maintenance (retention.py)

    async def purge_finished(self, before_ms: int, limit: int) -> Purged:
        await self._outbox.barrier()  # every run this process ended so far is in Postgres
        purged, run_ids = await retention.purge(self.pg, before_ms, limit)
        self._memo.forget(run_ids)
        return purged
