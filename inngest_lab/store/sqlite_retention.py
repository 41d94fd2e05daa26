"""Retention and gauges on SQLite: bounded deletes in one short write, then freed pages handed back.

A purge is one caller of the group-commit writer (``SqliteStore._write``), so it shares a transaction with
the engine's writes instead of locking them out, and it deletes at most ``limit`` runs. Only runs whose row
says they ended before the cut-off are deleted, in the same statement that checks it, so a run that is still
going (or that a concurrent caller just resumed) is never touched.

Space: files created by this version use ``auto_vacuum = INCREMENTAL`` (``sqlite_connect``); after a purge,
``incremental_vacuum`` returns free pages to the file system a few hundred at a time, each step a separate
short turn of the writer thread, so the engine's commits interleave with it. Older files (no auto-vacuum)
reuse the freed pages: they stop growing but do not shrink.
"""

from __future__ import annotations

import sqlite3

from inngest_lab.protocol.consts import RunStatus
from inngest_lab.store.ports import Purged
from inngest_lab.store.sqlite_txn import Effects, SqliteTxn

VACUUM_PAGES_PER_STEP = 256  # 1 MiB of 4 KiB pages per writer turn
MAX_VACUUM_STEPS = 4096  # per purge: the rest is returned after the next one
_ENDED = tuple(s.value for s in RunStatus if s.is_terminal)
_ENDED_SQL = ",".join("?" for _ in _ENDED)


def doomed_runs(conn: sqlite3.Connection, before_ms: int, limit: int) -> list[str]:
    """Up to ``limit`` runs that ended before ``before_ms`` (read before the write, to name them to the views).

    ``created_at_ms < before_ms`` first: a run ends after it was created, and that column is indexed.
    """
    rows = conn.execute(
        f"SELECT run_id FROM runs WHERE created_at_ms < ? AND status IN ({_ENDED_SQL})"  # noqa: S608 - placeholders
        " AND json_extract(run_json, '$.ended_at_ms') < ? ORDER BY created_at_ms LIMIT ?",
        (before_ms, *_ENDED, before_ms, limit),
    ).fetchall()
    return [str(r[0]) for r in rows]


def purge(txn: SqliteTxn, run_ids: list[str], before_ms: int, limit: int) -> Effects:
    """Delete ``run_ids`` (re-checked: still ended before ``before_ms``) with their steps, history and event
    links, then up to ``limit`` old events no remaining run refers to. ``Effects.result`` is a ``Purged``."""
    conn = txn.conn
    deleted: list[str] = []
    for run_id in run_ids:
        cur = conn.execute(
            f"DELETE FROM runs WHERE run_id = ? AND status IN ({_ENDED_SQL})"  # noqa: S608 - placeholders
            " AND json_extract(run_json, '$.ended_at_ms') < ?",
            (run_id, *_ENDED, before_ms),
        )
        if cur.rowcount:
            deleted.append(run_id)
    for table in ("steps", "history", "run_events"):
        conn.executemany(f"DELETE FROM {table} WHERE run_id = ?", [(r,) for r in deleted])  # noqa: S608 - fixed
    cur = conn.execute(
        "DELETE FROM events WHERE internal_id IN (SELECT internal_id FROM events e WHERE e.received_at_ms < ?"
        " AND NOT EXISTS (SELECT 1 FROM run_events re WHERE re.event_id = e.internal_id) LIMIT ?)",
        (before_ms, limit),
    )
    events = max(cur.rowcount, 0)
    txn.forget_runs(deleted)
    return Effects(result=Purged(len(deleted), events, more=len(run_ids) == limit or events == limit))


def vacuum_step(conn: sqlite3.Connection) -> int:
    """Hand up to ``VACUUM_PAGES_PER_STEP`` free pages back to the file system; return the free pages left."""
    conn.execute(f"PRAGMA incremental_vacuum({VACUUM_PAGES_PER_STEP})").fetchall()
    if conn.execute("PRAGMA auto_vacuum").fetchone()[0] != 2:
        return 0  # an older file: freed pages are reused, never returned
    return int(conn.execute("PRAGMA freelist_count").fetchone()[0])


def pending_pauses(conn: sqlite3.Connection) -> int:
    return int(conn.execute("SELECT COUNT(*) FROM pauses").fetchone()[0])
