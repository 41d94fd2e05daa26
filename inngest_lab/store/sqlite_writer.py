"""One SQLite connection on one dedicated thread, with group commit.

Why not aiosqlite: it hops to its thread once per *statement*; a step here is a dozen statements,
so we hop once per *batch* of callers instead. Callers hand in a function of the connection; the
event loop collects every function that arrives while the thread is busy and the thread runs them
all in one ``BEGIN IMMEDIATE … COMMIT`` on its next turn (group commit: one fsync-free WAL commit
for many callers). A caller whose function raises rolls back only its own writes and gets its
exception alone; callers later in the batch see the writes of those before them. Reads run on the
same thread, in arrival order.

Isolation without a SAVEPOINT per caller: a SAVEPOINT/RELEASE pair per caller was ~15% of an embedded
step's cost (two more statements, each a GIL hand-off, plus sub-journal copies). A caller that fails
before writing anything (``total_changes`` unchanged: a failing ``decide``, a rejected command) has
nothing to undo. Only when a caller fails after some of its writes is the batch rolled back and run
again with a SAVEPOINT per caller, so in that (rare) case every function of the batch runs twice.

After a batch commits, ``on_commit`` runs on the event loop with the results of the committed
writes (in commit order) *before* any caller resumes, so post-commit bookkeeping (queue index,
change feed) is always ahead of the code that awaited the write.
"""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any, TypeVar

T = TypeVar("T")

_Outcome = tuple[bool, Any]  # (succeeded, result or exception)


@dataclass(slots=True)
class _Op:
    fn: Callable[[sqlite3.Connection], Any]
    writes: bool
    future: asyncio.Future[Any]
    on_settled: Callable[[], None] | None = None


class GroupCommitWriter:
    """Runs connection functions on one thread; concurrent writes share one transaction."""

    def __init__(self, on_commit: Callable[[list[Any]], None], on_abort: Callable[[], None] = lambda: None) -> None:
        """``on_abort`` runs on the writer thread when a whole batch rolled back (BEGIN or COMMIT failed)."""
        self._on_commit = on_commit
        self._on_abort = on_abort
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="inngest-lab-sqlite")
        self._conn: sqlite3.Connection | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._pending: list[_Op] = []
        self._busy = False
        self._idle = asyncio.Event()
        self._idle.set()

    async def start(self, connect: Callable[[], sqlite3.Connection]) -> None:
        """Open the connection on the writer thread (sqlite3 objects stay on the thread that made them)."""
        self._loop = asyncio.get_running_loop()
        self._conn = await asyncio.wrap_future(self._executor.submit(connect))

    def write(
        self, fn: Callable[[sqlite3.Connection], T], on_settled: Callable[[], None] | None = None
    ) -> asyncio.Future[T]:
        """Run ``fn`` inside the next group transaction; its result arrives after COMMIT.

        ``on_settled`` runs on the event loop once the write committed or failed (after ``on_commit``,
        before the caller resumes), even when the caller was cancelled meanwhile.
        """
        return self._submit(fn, writes=True, on_settled=on_settled)

    def read(self, fn: Callable[[sqlite3.Connection], T]) -> asyncio.Future[T]:
        """Run ``fn`` on the writer thread, after everything submitted before it."""
        return self._submit(fn, writes=False)

    async def close(self) -> None:
        """Finish queued work, then close the connection and stop the thread."""
        await self._idle.wait()
        conn, self._conn = self._conn, None
        if conn is not None:
            await asyncio.wrap_future(self._executor.submit(conn.close))
        self._executor.shutdown(wait=False)

    # ------------------------------------------------------------ event-loop side

    def _submit(
        self, fn: Callable[[sqlite3.Connection], Any], *, writes: bool, on_settled: Callable[[], None] | None = None
    ) -> asyncio.Future[Any]:
        if self._conn is None or self._loop is None:
            raise RuntimeError("store is not open")
        future: asyncio.Future[Any] = self._loop.create_future()
        self._pending.append(_Op(fn, writes, future, on_settled))
        if not self._busy:
            # The thread starts at the end of this loop turn, not now: callers woken together (the entries of
            # one checkpoint batch, the runs of one event batch) then share one transaction instead of the first
            # going alone and the rest waiting for its commit.
            self._busy = True
            self._idle.clear()
            self._loop.call_soon(self._kick)
        return future

    def _kick(self) -> None:
        batch, self._pending = self._pending, []
        self._busy = True
        self._idle.clear()
        self._executor.submit(self._run_batch, batch)

    def _finish(self, batch: list[_Op], outcomes: list[_Outcome]) -> None:
        self._busy = False
        if self._pending:
            self._kick()  # the thread starts the next batch while we deliver this one
        else:
            self._idle.set()
        try:
            self._on_commit([value for op, (ok, value) in zip(batch, outcomes, strict=True) if ok and op.writes])
        finally:
            for op, (ok, value) in zip(batch, outcomes, strict=True):
                if op.on_settled is not None:
                    op.on_settled()
                if op.future.done():  # the caller was cancelled; the work still happened
                    continue
                if ok:
                    op.future.set_result(value)
                else:
                    op.future.set_exception(value)

    # ------------------------------------------------------------ writer-thread side

    def _run_batch(self, batch: list[_Op]) -> None:
        assert self._conn is not None
        assert self._loop is not None
        try:
            try:
                outcomes = self._execute(self._conn, batch)
            except _PartialWrite:  # rolled back: nobody's writes happened; redo it, isolating each caller
                self._on_abort()
                outcomes = self._execute_isolated(self._conn, batch)
        except BaseException as exc:  # BEGIN or COMMIT failed: nobody's writes happened
            if self._conn.in_transaction:
                self._conn.execute("ROLLBACK")
            self._on_abort()
            outcomes = [(False, exc)] * len(batch)
        self._loop.call_soon_threadsafe(self._finish, batch, outcomes)

    @staticmethod
    def _execute(conn: sqlite3.Connection, batch: list[_Op]) -> list[_Outcome]:
        """Run ``batch`` in one transaction without savepoints; ``_PartialWrite`` (rolled back) when a caller
        failed after writing while others share the transaction."""
        writes = _begin(conn, batch)
        outcomes: list[_Outcome] = []
        for op in batch:
            if not op.writes:
                outcomes.append(_call(conn, op.fn))
                continue
            changes = conn.total_changes
            outcome = _call(conn, op.fn)
            if not outcome[0]:
                if not conn.in_transaction:  # SQLite itself rolled the transaction back (e.g. disk full)
                    raise outcome[1]
                if writes == 1:  # a lone writer: rolling the transaction back undoes exactly its writes
                    conn.execute("ROLLBACK")
                elif conn.total_changes != changes:
                    conn.execute("ROLLBACK")
                    raise _PartialWrite
            outcomes.append(outcome)
        if conn.in_transaction:
            conn.execute("COMMIT")
        return outcomes

    @staticmethod
    def _execute_isolated(conn: sqlite3.Connection, batch: list[_Op]) -> list[_Outcome]:
        """Run ``batch`` in one transaction with a SAVEPOINT per writer, so each failure undoes only its own."""
        writes = _begin(conn, batch)
        savepoints = writes > 1  # a lone writer can roll back the whole transaction
        outcomes: list[_Outcome] = []
        for op in batch:
            if not op.writes:
                outcomes.append(_call(conn, op.fn))
                continue
            if savepoints:
                conn.execute("SAVEPOINT caller")
            outcome = _call(conn, op.fn)
            if savepoints:
                if not outcome[0]:
                    conn.execute("ROLLBACK TO caller")
                conn.execute("RELEASE caller")
            elif not outcome[0]:
                conn.execute("ROLLBACK")
            outcomes.append(outcome)
        if conn.in_transaction:
            conn.execute("COMMIT")
        return outcomes


class _PartialWrite(Exception):
    """A caller failed after some of its writes, in a batch without savepoints (which was rolled back)."""


def _call(conn: sqlite3.Connection, fn: Callable[[sqlite3.Connection], Any]) -> _Outcome:
    try:
        return (True, fn(conn))
    except Exception as exc:
        return (False, exc)


def _begin(conn: sqlite3.Connection, batch: list[_Op]) -> int:
    """Open the batch's write transaction when any caller writes; return how many callers write."""
    writes = sum(1 for op in batch if op.writes)
    if writes:
        conn.execute("BEGIN IMMEDIATE")  # the write lock up front: no upgrade from a read lock can fail midway
    return writes
