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
import uuid
from collections import deque
from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from typing import Any

from psycopg_pool import AsyncConnectionPool
from redis.asyncio import BlockingConnectionPool, Redis
from redis.asyncio.retry import Retry
from redis.backoff import ExponentialBackoff
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import RedisError
from redis.exceptions import TimeoutError as RedisTimeoutError

from inngest_lab.engine.model import (
    App,
    Command,
    EventRecord,
    FlowEntry,
    FunctionDef,
    HistoryEntry,
    Json,
    Lease,
    Pause,
    Run,
)
from inngest_lab.protocol.consts import RunStatus
from inngest_lab.store import codec
from inngest_lab.store.feed import Feed
from inngest_lab.store.ports import Decide, FlowDecide, LeaseLost, Purged, StoreGauges, StoreUnavailable
from inngest_lab.store.redis_pg import retention
from inngest_lab.store.redis_pg.autopipe import ScriptPipe
from inngest_lab.store.redis_pg.bus import FeedBus, feed_message
from inngest_lab.store.redis_pg.config import RedisPgConfig
from inngest_lab.store.redis_pg.encode import Encoded, encode, item_from_text, item_text
from inngest_lab.store.redis_pg.event_runs import EventRuns
from inngest_lab.store.redis_pg.flow_view import FlowSnapshot, NeedsRead
from inngest_lab.store.redis_pg.hot import HotReads
from inngest_lab.store.redis_pg.keys import Keys
from inngest_lab.store.redis_pg.outbox import Outbox
from inngest_lab.store.redis_pg.pg import Conn, Postgres
from inngest_lab.store.redis_pg.pg_schema import migrate
from inngest_lab.store.redis_pg.run_memo import RunMemo, written_runs
from inngest_lab.store.redis_pg.scripts import Scripts

log = logging.getLogger(__name__)

HANDOFF_MAX = 32  # leases a process may hold from its own commits before it leases through Redis again
MAX_ATTEMPTS = 200  # optimistic retries of one decision before giving up (never reached without a bug)
TICK_S = 1.0
OPEN_TIMEOUT_S = 5.0  # dispatchers look at the queue at least this often (timers armed by other processes)


class RedisPgStore:
    """A ``Store`` on Postgres + Redis. Any number of instances (processes) with one config form one deployment."""

    def __init__(self, config: RedisPgConfig) -> None:
        self.config = config
        self.keys = Keys.for_deployment(config.deployment)
        self.owner = uuid.uuid4().hex[:12]  # this process's id in leases, locks and feed messages
        self.duplicate_steps = 0  # step writes dropped because the step was already recorded
        self.conflicts = 0  # optimistic decisions that had to run again
        self._feed = Feed()
        self._memo = RunMemo()
        self._event_runs = EventRuns()  # serves the runs of events this process stored (event_runs.py)
        self._config_listeners: list[Callable[[str], None]] = []
        self._next_due: int | None = None
        self._due_version = 0
        # this process's writes in flight, by what they touch (``_settled`` waits for them)
        self._writes_to_run: dict[str, list[asyncio.Future[None]]] = {}
        self._writes_to_pauses: set[asyncio.Future[None]] = set()
        self._writes_to_flow: set[asyncio.Future[None]] = set()
        self._run_locks: dict[str, tuple[asyncio.Lock, int]] = {}  # per run: the lock and its callers
        self._lease_seq = 0
        self._lease_ms: int | None = None  # the engine's lease length, learnt from its first lease call
        self._handed: deque[Lease] = deque()  # leased to this process at commit time, not yet taken
        self._redis: Redis | None = None
        self._scripts: Scripts | None = None
        self._pipe_: ScriptPipe | None = None
        self._pool: AsyncConnectionPool[Conn] | None = None
        self._pg: Postgres | None = None
        self._hot: HotReads | None = None
        self._outbox_: Outbox | None = None
        self._bus: FeedBus | None = None
        self._ticker: asyncio.Task[None] | None = None

    # ------------------------------------------------------------ lifecycle

    async def open(self) -> None:
        if self._redis is not None:
            return
        cfg = self.config
        # A bounded pool whose callers wait for a free connection instead of failing under bursts; commands
        # retry with backoff across a Redis restart.
        redis = Redis(
            connection_pool=BlockingConnectionPool.from_url(
                cfg.redis_uri,
                decode_responses=True,
                max_connections=cfg.redis_max_conns,
                timeout=30,
                retry=Retry(ExponentialBackoff(cap=1.0, base=0.05), 40),
                retry_on_error=[RedisConnectionError, RedisTimeoutError, ConnectionResetError],
                health_check_interval=30,
            )
        )
        pool: AsyncConnectionPool[Conn] = AsyncConnectionPool(
            cfg.postgres_uri,
            min_size=max(1, min(cfg.postgres_max_idle_conns, cfg.postgres_max_open_conns)),
            max_size=cfg.postgres_max_open_conns,
            max_idle=cfg.postgres_conn_max_idle_time_s,
            max_lifetime=cfg.postgres_conn_max_lifetime_s,
            open=False,
            check=AsyncConnectionPool.check_connection,
        )
        try:
            # At start, an unreachable store is a configuration error: say so within seconds instead of
            # retrying as a running process does through a restart of Redis or Postgres.
            probe = Redis.from_url(cfg.redis_uri, socket_connect_timeout=OPEN_TIMEOUT_S, socket_timeout=OPEN_TIMEOUT_S)
            try:
                await probe.ping()
            finally:
                await probe.aclose()
            await pool.open(wait=True, timeout=OPEN_TIMEOUT_S * 2)
            async with pool.connection() as conn:
                await migrate(conn)
        except Exception as exc:
            await pool.close()
            await redis.aclose()
            raise StoreUnavailable(f"cannot open the stores: {type(exc).__name__}: {exc}") from exc
        self._redis, self._pool = redis, pool
        self._scripts = Scripts.register(redis)
        self._pipe_ = ScriptPipe(redis)
        self._pg = Postgres(pool)
        self._hot = HotReads(redis, self.keys)
        self._outbox_ = Outbox(redis, self.keys, self._scripts, self._pipe_, self._pg, self.owner)
        self._outbox_.start()
        self._bus = FeedBus(redis, self.keys.feed, self.owner, self._remote_commit)
        await self._bus.start()
        self._ticker = asyncio.create_task(self._tick(), name="inngest-lab-tick")

    async def close(self) -> None:
        if self._redis is None:
            return
        if self._ticker is not None:
            self._ticker.cancel()
            await asyncio.gather(self._ticker, return_exceptions=True)
        if self._bus is not None:
            await self._bus.close()
        await self._outbox.close()
        assert self._pool is not None
        await self._pool.close()
        await self._redis.aclose()
        self._redis = None

    async def _tick(self) -> None:
        while True:
            await asyncio.sleep(TICK_S)
            self._feed.wake()

    @property
    def r(self) -> Redis:
        if self._redis is None:
            raise RuntimeError("RedisPgStore is not open")
        return self._redis

    @property
    def s(self) -> Scripts:
        assert self._scripts is not None
        return self._scripts

    @property
    def pg(self) -> Postgres:
        assert self._pg is not None
        return self._pg

    @property
    def pipe(self) -> ScriptPipe:
        """Script calls through here share their loop turn's round trip (``autopipe.py``)."""
        assert self._pipe_ is not None
        return self._pipe_

    @property
    def _outbox(self) -> Outbox:
        assert self._outbox_ is not None
        return self._outbox_

    @property
    def hot(self) -> HotReads:
        assert self._hot is not None
        return self._hot

    # ------------------------------------------------------------ the one write path

    async def _commit(
        self, enc: Encoded, extra_ops: Sequence[list[Json]] = (), *, handoff_now_ms: int | None = None
    ) -> list[Any] | None:
        """Run ``apply.lua``; None on a version conflict. Raises ``LeaseLost`` when an ack's lease is gone."""
        runs = frozenset(str(op[1]) for op in enc.ops if op[0] in ("run", "step"))
        pauses = any(op[0] in ("pc", "pd", "pcons", "sclaim") for op in enc.ops)
        flow = any(op[0] in ("fput", "fdel", "fpurge") for op in enc.ops)
        done: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        for run_id in runs:
            self._writes_to_run.setdefault(run_id, []).append(done)
        if pauses:
            self._writes_to_pauses.add(done)
        if flow:
            self._writes_to_flow.add(done)
        try:
            return await self._commit_now(enc, extra_ops, handoff_now_ms)
        finally:
            for run_id in runs:
                waiting = self._writes_to_run[run_id]
                waiting.remove(done)
                if not waiting:
                    del self._writes_to_run[run_id]
            self._writes_to_pauses.discard(done)
            self._writes_to_flow.discard(done)
            done.set_result(None)

    async def _settled(self, run_id: str | None = None, *, pauses: bool = False, flow: bool = False) -> None:
        """Wait for this process's writes in flight to ``run_id`` (or to pauses, or flow state): a read then sees
        every write submitted before it, as a read queued behind them in one connection would."""
        waits = list(self._writes_to_run.get(run_id, ())) if run_id is not None else []
        if pauses:
            waits.extend(self._writes_to_pauses)
        if flow:
            waits.extend(self._writes_to_flow)
        if waits:
            await asyncio.gather(*waits)

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
        await self._settled(run_id)
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
        await self._settled(flow=True)
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

    async def flow_state(self, key: str) -> FlowEntry | None:
        await self._settled(flow=True)
        return (await self.hot.flow([key]))[key].entry

    def subscribe_changes(self, listener: Callable[[Sequence[Command]], None]) -> None:
        self._feed.subscribe_changes(listener)

    def subscribe_local_changes(self, listener: Callable[[Sequence[Command]], None]) -> None:
        self._feed.subscribe_local_changes(listener)

    # ------------------------------------------------------------ runs and history

    def _remembered(self, run_id: str) -> Run | None:
        """The memo's state of ``run_id`` (``run_memo.py``: live, or finished moments ago), when the feed is live.

        With the feed live, other processes' commits evict memo entries as they happen; a call built in the
        moment before an eviction arrives is tolerated like any response to stale state (steps are saved once,
        and the decision on it is version-checked), so the per-step version read is skipped."""
        if self._bus is None or not self._bus.live:
            return None
        known = self._memo.get(run_id)
        return known[0] if known is not None else self._memo.finished(run_id)

    async def load_run(self, run_id: str) -> Run | None:
        await self._settled(run_id)
        remembered = self._remembered(run_id)
        if remembered is not None:
            return remembered
        known = self._memo.get(run_id)
        if known is not None and known[1] == await self.hot.run_version(run_id):
            return known[0]
        hot = (await self.hot.runs([run_id])).get(run_id)
        return hot.run if hot is not None else await self.pg.finished_run(run_id)

    async def list_runs(
        self,
        *,
        fn_id: str | None = None,
        status: Sequence[RunStatus] | None = None,
        event_id: str | None = None,
        since_ms: int | None = None,
        until_ms: int | None = None,
        limit: int = 100,
    ) -> list[Run]:
        if event_id is not None and fn_id is None and status is None and since_ms is None and until_ms is None:
            found = await self._runs_of_stored_event(event_id, limit)
            if found is not None:
                return found
        await self._outbox.barrier()
        rows = await self.pg.list_run_ids(
            fn_id=fn_id, status=status, event_id=event_id, since_ms=since_ms, until_ms=until_ms, limit=limit
        )
        hot = await self.hot.runs([run_id for run_id, _ in rows])  # a live run's state is Redis's
        cold = await self.pg.with_steps([row for row in rows if row[0] not in hot])
        return [hot[run_id].run if run_id in hot else cold[run_id] for run_id, _ in rows]

    async def _runs_of_stored_event(self, event_id: str, limit: int) -> list[Run] | None:
        """The runs of an event this process stored, by id (``event_runs.py``), without the outbox barrier: a run
        Redis no longer holds left it only once the outbox had written it to Postgres. None when the index cannot
        answer (the feed is not live, or the event is not held) or a run is in neither store (retention)."""
        if self._bus is None or not self._bus.live:
            return None
        run_ids = self._event_runs.runs_of(event_id, limit)
        if run_ids is None:
            return None
        found = {run_id: run for run_id in run_ids if (run := self._remembered(run_id)) is not None}
        for read in (self._hot_runs, self.pg.finished_runs):
            missing = [run_id for run_id in run_ids if run_id not in found]
            if not missing:
                break
            found |= await read(missing)
        if len(found) < len(run_ids):
            return None
        return [found[run_id] for run_id in run_ids]

    async def _hot_runs(self, run_ids: Sequence[str]) -> dict[str, Run]:
        return {run_id: hot.run for run_id, hot in (await self.hot.runs(run_ids)).items()}

    async def history(self, run_id: str) -> list[HistoryEntry]:
        await self._outbox.barrier()
        return await self.pg.history(run_id)

    # ------------------------------------------------------------ events and pauses

    async def get_event(self, internal_id: str) -> EventRecord | None:
        await self._outbox.barrier()
        return await self.pg.get_event(internal_id)

    async def list_events(
        self,
        *,
        name: str | None = None,
        since_ms: int | None = None,
        until_ms: int | None = None,
        limit: int = 20,
        before_id: str | None = None,
    ) -> list[EventRecord]:
        await self._outbox.barrier()
        return await self.pg.list_events(
            name=name, since_ms=since_ms, until_ms=until_ms, limit=limit, before_id=before_id
        )

    async def pauses_for_event(self, event_name: str) -> list[Pause]:
        await self._settled(pauses=True)
        return await self.hot.pauses_for_event(event_name)

    async def pauses_matching(self, events: Sequence[Mapping[str, Json]]) -> list[list[Pause]]:
        await self._settled(pauses=True)
        return await self.hot.pauses_matching(events)

    async def pauses_for_run(self, run_id: str) -> list[Pause]:
        await self._settled(pauses=True)
        return await self.hot.pauses_for_run(run_id)

    async def pause_for_signal(self, signal: str) -> Pause | None:
        await self._settled(pauses=True)
        return await self.hot.pause_for_signal(signal)

    # ------------------------------------------------------------ registry (Postgres)

    async def upsert_app(self, app: App, functions: Sequence[FunctionDef]) -> bool:
        changed = await self.pg.upsert_app(app, functions)
        await self._publish_config("registry")
        return changed

    async def list_apps(self) -> list[App]:
        return await self.pg.list_apps()

    async def list_functions(self) -> list[FunctionDef]:
        return await self.pg.list_functions()

    async def get_function(self, fn_id: str) -> FunctionDef | None:
        return await self.pg.get_function(fn_id)

    async def delete_app(self, app_id: str) -> None:
        await self.pg.delete_app(app_id)
        await self._publish_config("registry")

    # ------------------------------------------------------------ operator records (Redis)

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

    async def get_record(self, kind: str, record_id: str) -> Json:
        return await self.hot.record(kind, record_id)

    async def list_records(self, kind: str) -> list[Json]:
        return await self.hot.records(kind)

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

    def subscribe(self, wake: Callable[[], None]) -> None:
        self._feed.subscribe(wake)

    async def depth(self) -> int:
        return int(await self.r.hlen(self.keys.items))

    # ------------------------------------------------------------ maintenance (retention.py)

    async def gauges(self, now_ms: int) -> StoreGauges:
        return await retention.gauges(self.r, self.keys)

    async def claim_reporter(self, owner: str, now_ms: int, ttl_ms: int = 60_000) -> bool:
        return await retention.claim_reporter(self.r, self.keys, owner, ttl_ms)

    async def purge_finished(self, before_ms: int, limit: int) -> Purged:
        await self._outbox.barrier()  # every run this process ended so far is in Postgres
        purged, run_ids = await retention.purge(self.pg, before_ms, limit)
        self._memo.forget(run_ids)
        return purged
