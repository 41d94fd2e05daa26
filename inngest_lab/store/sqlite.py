"""SQLite ``Store``: durable, embedded, one process per database file (enforced: ``sqlite_lock``).

Threading: the stdlib ``sqlite3`` module on ONE dedicated thread (``sqlite_writer``), bridged with
asyncio futures. This is aiosqlite's model, but with one thread hop per *batch of callers* instead
of one per statement, and with group commit: every ``apply``/``transact`` that arrives while the
thread is busy shares the next ``BEGIN IMMEDIATE … COMMIT``. Reads run on the same thread.

Queue: the ``queue`` table is the durable truth; a ``QueueIndex`` in memory orders it by due time
and holds the leases. Leases are memory-only because a single process owns a SQLite file: ``open()`` takes
an OS lock on it and a second process (or a second store in this one) gets ``DatabaseInUseError``. On
``open()`` every queue row is loaded with no lease, so after a crash or restart every unfinished
item becomes available again: that is how a killed process resumes all its unfinished runs.
The index follows a commit on the event loop before any caller of that commit resumes; a ``lease``
running in between can still hand out an item the commit just deleted (a Dequeue'd timeout), so
workers must tolerate stale items (``transact`` sees the real state).

Reads: ``load_run`` of a recently written run and ``pauses_for_*`` when no such pause exists are answered
on the event loop from ``CommittedViews`` (kept like the queue index, after each commit); every other
read runs on the writer thread.

Connection settings and the WAL-from-birth file creation live in ``sqlite_connect``.
"""

from __future__ import annotations

import functools
import sqlite3
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from inngest_lab.engine.ids import start_item_id
from inngest_lab.engine.model import (
    App,
    AppendHistory,
    Command,
    ConsumePause,
    CreatePause,
    DeletePause,
    EventRecord,
    FlowEntry,
    FunctionDef,
    HistoryEntry,
    Json,
    Lease,
    Pause,
    Run,
    SaveRun,
    SaveStep,
)
from inngest_lab.protocol.consts import RunStatus
from inngest_lab.store import sqlite_ops, sqlite_retention
from inngest_lab.store import sqlite_queries as q
from inngest_lab.store.committed import CommittedViews
from inngest_lab.store.feed import Feed
from inngest_lab.store.memory import reject_emit
from inngest_lab.store.ports import Decide, FlowDecide, Purged, StoreGauges
from inngest_lab.store.ports.maintenance import throttled_start
from inngest_lab.store.queue_index import QueueIndex
from inngest_lab.store.sqlite_checkpoint import BackgroundCheckpointer
from inngest_lab.store.sqlite_connect import connect_loop_reader, connect_writer, is_on_disk
from inngest_lab.store.sqlite_lock import DatabaseLock
from inngest_lab.store.sqlite_txn import Effects, SqliteTxn
from inngest_lab.store.sqlite_writer import GroupCommitWriter


class SqliteStore:
    """A ``Store`` on a SQLite file (or ``":memory:"``)."""

    def __init__(self, path: str) -> None:
        self.path = path
        self._queue = QueueIndex()
        self._views = CommittedViews()
        self._feed = Feed()
        self._writer: GroupCommitWriter | None = None
        self._txn: SqliteTxn | None = None
        self._checkpointer: BackgroundCheckpointer | None = None
        self._loop_reader: sqlite3.Connection | None = None
        self._lock: DatabaseLock | None = None

    # ------------------------------------------------------------ lifecycle

    async def open(self) -> None:
        """Open (creating and migrating) the file. Raises ``DatabaseInUseError`` when another process, or
        another open store of this one, owns it; nothing is left open then."""
        if self._writer is not None:
            return
        on_disk = is_on_disk(self.path)
        if on_disk:
            Path(self.path).parent.mkdir(parents=True, exist_ok=True)
            lock = DatabaseLock(self.path)
            lock.acquire()  # before touching the file: a refused process must not change it (migrations)
            self._lock = lock
        try:
            await self._open(on_disk)
        except BaseException:
            await self.close()
            raise

    async def _open(self, on_disk: bool) -> None:
        if on_disk:
            self._checkpointer = BackgroundCheckpointer(self.path)
        self._queue = QueueIndex()  # a reopened store starts without leases, like a restarted process
        self._views = CommittedViews()
        writer = GroupCommitWriter(self._after_commit, on_abort=lambda: self._t.cache.clear())
        self._writer = writer
        await writer.start(functools.partial(connect_writer, self.path))
        self._txn = await writer.read(SqliteTxn)
        loaded_at_ms = int(time.time() * 1000)
        for item in await writer.read(lambda _conn: self._t.queued_items()):
            self._queue.add(item)  # no leases: whatever a previous process held is available again
            if item.due_at_ms > loaded_at_ms and item.item_id == start_item_id(item.run_id):
                self._queue.hold(item.item_id, "throttle")  # only a throttle puts a run's first call in the future
        self._views.load_pauses(await writer.read(lambda _conn: self._t.pause_keys()))
        if on_disk:
            # Pause lookups for incoming events run here, on the event loop, when no pause write is in flight:
            # a WAL reader sees every committed write, and skipping the writer thread's hop keeps them sub-ms.
            self._loop_reader = connect_loop_reader(self.path)

    async def close(self) -> None:
        reader, self._loop_reader = self._loop_reader, None
        if reader is not None:
            reader.close()
        checkpointer, self._checkpointer = self._checkpointer, None
        if checkpointer is not None:
            await checkpointer.close()
        writer, self._writer = self._writer, None
        if writer is not None:
            await writer.close()
        self._txn = None
        lock, self._lock = self._lock, None
        if lock is not None:
            lock.release()  # last: the file is closed, another process may take it over

    @property
    def _w(self) -> GroupCommitWriter:
        if self._writer is None:
            raise RuntimeError("SqliteStore is not open")
        return self._writer

    @property
    def _t(self) -> SqliteTxn:
        assert self._txn is not None
        return self._txn

    async def _write(
        self, fn: Callable[[SqliteTxn], Effects], runs: Iterable[str] = (), *, pauses: bool = False
    ) -> Any:
        """Run ``fn`` in the next group commit. ``runs``/``pauses``: what it may change, so the committed
        views stop answering for those until it has settled."""
        writer = self._w
        settled = self._views.writing(runs, pauses=pauses)
        try:
            future = writer.write(lambda _conn: self._t.run_op(fn), settled)
        except BaseException:
            settled()
            raise
        effects = await future
        return effects.result

    def _after_commit(self, committed: list[Any]) -> None:
        """On the event loop, after COMMIT, before any caller resumes: index first, then the feed."""
        enqueued = False
        for effects in committed:
            assert isinstance(effects, Effects)
            for op in effects.queue_ops:
                if isinstance(op, str):
                    self._queue.remove(op)
                else:
                    enqueued = self._queue.add(op) or enqueued
            self._views.runs_changed(effects.runs)
            self._views.pauses_changed(effects.pauses)
            for command in effects.commands:
                if type(command) is AppendHistory and (held := throttled_start(command.entry)) is not None:
                    self._queue.hold(held, "throttle")
        for effects in committed:
            self._feed.publish(effects.commands)
        if enqueued:
            self._feed.wake()
        if committed and self._checkpointer is not None:
            self._checkpointer.committed()

    # ------------------------------------------------------------ writes

    async def apply(self, commands: Sequence[Command]) -> None:
        reject_emit(commands)  # fail fast, before the write queue
        batch = list(commands)
        runs = {run_id for c in batch if (run_id := _written_run(c)) is not None}
        pauses = any(isinstance(c, CreatePause | DeletePause | ConsumePause) for c in batch)
        await self._write(lambda t: t.apply(batch), runs, pauses=pauses)

    async def transact(self, run_id: str, decide: Decide, *, now_ms: int | None = None) -> Sequence[Command]:
        # decide may create or delete pauses of its run, for any event name
        result: Sequence[Command] = await self._write(lambda t: t.transact(run_id, decide), (run_id,), pauses=True)
        return result

    async def transact_flow(self, decide: FlowDecide) -> Sequence[Command]:
        # decide creates runs (new ids, so no committed view is stale) and their cancel_on pauses
        result: Sequence[Command] = await self._write(lambda t: t.transact_flow(decide), pauses=True)
        return result

    def subscribe_changes(self, listener: Callable[[Sequence[Command]], None]) -> None:
        self._feed.subscribe_changes(listener)

    def subscribe_local_changes(self, listener: Callable[[Sequence[Command]], None]) -> None:
        self._feed.subscribe_local_changes(listener)

    # ------------------------------------------------------------ reads

    async def flow_state(self, key: str) -> FlowEntry | None:
        return await self._w.read(lambda _conn: self._t.flow_state(key))

    async def load_run(self, run_id: str) -> Run | None:
        committed = self._views.run(run_id)  # no thread round trip for a run written recently
        if committed is not None:
            return committed
        return await self._w.read(lambda _conn: self._t.load_run(run_id))

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
        return await self._w.read(
            lambda conn: q.list_runs(
                conn, fn_id=fn_id, status=status, event_id=event_id, since_ms=since_ms, until_ms=until_ms, limit=limit
            )
        )

    async def history(self, run_id: str) -> list[HistoryEntry]:
        return await self._w.read(lambda conn: q.history(conn, run_id))

    async def get_event(self, internal_id: str) -> EventRecord | None:
        return await self._w.read(lambda conn: q.get_event(conn, internal_id))

    async def list_events(
        self,
        *,
        name: str | None = None,
        since_ms: int | None = None,
        until_ms: int | None = None,
        limit: int = 20,
        before_id: str | None = None,
    ) -> list[EventRecord]:
        return await self._w.read(
            lambda conn: q.list_events(
                conn, name=name, since_ms=since_ms, until_ms=until_ms, limit=limit, before_id=before_id
            )
        )

    async def pauses_for_event(self, event_name: str) -> list[Pause]:
        if self._views.no_pauses_for_event(event_name):
            return []
        return await self._w.read(lambda conn: q.pauses_for_event(conn, event_name))

    async def pauses_matching(self, events: Sequence[Mapping[str, Json]]) -> list[list[Pause]]:
        if all(self._views.no_pauses_for_event(str(event.get("name"))) for event in events):
            return [[] for _ in events]
        reader = self._loop_reader
        if reader is not None and self._views.pause_writes_settled():
            return [q.pauses_matching(reader, event) for event in events]
        return await self._w.read(lambda conn: [q.pauses_matching(conn, event) for event in events])

    async def pauses_for_run(self, run_id: str) -> list[Pause]:
        if self._views.no_pauses_for_run(run_id):
            return []
        return await self._w.read(lambda conn: q.pauses_for_run(conn, run_id))

    async def pause_for_signal(self, signal: str) -> Pause | None:
        return await self._w.read(lambda conn: q.pause_for_signal(conn, signal))

    # ------------------------------------------------------------ registry

    async def upsert_app(self, app: App, functions: Sequence[FunctionDef]) -> bool:
        fns = list(functions)
        changed: bool = await self._write(lambda t: t.upsert_app(app, fns))
        return changed

    async def list_apps(self) -> list[App]:
        return await self._w.read(q.list_apps)

    async def list_functions(self) -> list[FunctionDef]:
        return await self._w.read(q.list_functions)

    async def get_function(self, fn_id: str) -> FunctionDef | None:
        return await self._w.read(lambda conn: q.get_function(conn, fn_id))

    async def delete_app(self, app_id: str) -> None:
        await self._write(lambda t: t.delete_app(app_id))

    # ------------------------------------------------------------ operator records (store/sqlite_ops.py)

    async def put_record(
        self, kind: str, record_id: str, created_at_ms: int, record: Json, commands: Sequence[Command] = ()
    ) -> None:
        batch = list(commands)
        await self._write(lambda t: sqlite_ops.put_record(t, kind, record_id, created_at_ms, record, batch))

    async def delete_record(self, kind: str, record_id: str, commands: Sequence[Command] = ()) -> bool:
        batch = list(commands)
        deleted: bool = await self._write(lambda t: sqlite_ops.delete_record(t, kind, record_id, batch))
        return deleted

    async def get_record(self, kind: str, record_id: str) -> Json:
        return await self._w.read(lambda conn: sqlite_ops.get_record(conn, kind, record_id))

    async def list_records(self, kind: str) -> list[Json]:
        return await self._w.read(lambda conn: sqlite_ops.list_records(conn, kind))

    # ------------------------------------------------------------ queue (leases are in memory)

    async def lease(self, now_ms: int, limit: int, lease_ms: int) -> list[Lease]:
        return self._queue.lease(now_ms, limit, lease_ms)

    async def extend(self, lease: Lease, now_ms: int, lease_ms: int) -> Lease | None:
        return self._queue.extend(lease, now_ms, lease_ms)

    async def release(self, lease: Lease, due_at_ms: int) -> None:
        item = self._queue.release(lease, due_at_ms)
        if item is None:
            return
        self._feed.wake()
        await self._write(lambda t: t.reschedule(item))

    def next_due_ms(self) -> int | None:
        return self._queue.next_due_ms()

    def subscribe(self, wake: Callable[[], None]) -> None:
        self._feed.subscribe(wake)

    async def depth(self) -> int:
        return len(self._queue)

    # ------------------------------------------------------------ maintenance (sqlite_retention)

    async def gauges(self, now_ms: int) -> StoreGauges:
        pauses = await self._w.read(sqlite_retention.pending_pauses)
        queue = self._queue
        return StoreGauges(len(queue), queue.oldest_waiting_due_ms(), pauses, queue.flow_waiting())

    async def claim_reporter(self, owner: str, now_ms: int, ttl_ms: int = 60_000) -> bool:
        return True  # one process owns a SQLite file

    async def purge_finished(self, before_ms: int, limit: int) -> Purged:
        run_ids = await self._w.read(lambda conn: sqlite_retention.doomed_runs(conn, before_ms, limit))
        purged: Purged = await self._write(lambda t: sqlite_retention.purge(t, run_ids, before_ms, limit), run_ids)
        if purged.runs or purged.events:
            for _ in range(sqlite_retention.MAX_VACUUM_STEPS):  # short turns: the engine's commits run in between
                if not await self._w.read(sqlite_retention.vacuum_step):
                    break
        return purged

    # ------------------------------------------------------------ diagnostics

    def cache_stats(self) -> dict[str, int]:
        """How much the in-memory caches hold: runs and estimated bytes of the writer's run cache, runs of the
        committed views. For tests and diagnostics; approximate while a write is in flight (the run cache
        belongs to the writer thread)."""
        cache = self._txn.cache if self._txn is not None else None
        return {
            "run_cache_runs": len(cache) if cache is not None else 0,
            "run_cache_bytes": cache.size if cache is not None else 0,
            "committed_runs": len(self._views),
        }


def _written_run(command: Command) -> str | None:
    """The run whose ``load_run`` answer ``command`` may change."""
    if isinstance(command, SaveRun):
        return command.run.run_id
    if isinstance(command, SaveStep):
        return command.run_id
    return None
