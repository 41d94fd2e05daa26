"""SQLite statements for ``OpsRecords`` (operator state: paused functions, bulk cancellations).

The write halves run inside the writer's transaction (``SqliteStore._write``) and apply their commands with the
same ``SqliteTxn``, so a record and its queue item commit together; the read halves run on the writer thread.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence

from inngest_lab.engine.model import Command, Json
from inngest_lab.store import codec
from inngest_lab.store.sqlite_txn import Effects, SqliteTxn


def put_record(
    t: SqliteTxn, kind: str, record_id: str, created_at_ms: int, record: Json, commands: Sequence[Command]
) -> Effects:
    t.conn.execute(
        "INSERT INTO ops_records (kind, record_id, created_at_ms, record_json) VALUES (?, ?, ?, ?)"
        " ON CONFLICT (kind, record_id) DO UPDATE SET record_json = excluded.record_json",
        (kind, record_id, created_at_ms, codec.dumps(record)),
    )
    return t.apply(commands)


def delete_record(t: SqliteTxn, kind: str, record_id: str, commands: Sequence[Command]) -> Effects:
    deleted = t.conn.execute("DELETE FROM ops_records WHERE kind = ? AND record_id = ?", (kind, record_id)).rowcount
    effects = t.apply(commands)
    effects.result = deleted == 1
    return effects


def get_record(conn: sqlite3.Connection, kind: str, record_id: str) -> Json:
    row = conn.execute(
        "SELECT record_json FROM ops_records WHERE kind = ? AND record_id = ?", (kind, record_id)
    ).fetchone()
    return codec.loads(row[0]) if row is not None else None


def list_records(conn: sqlite3.Connection, kind: str) -> list[Json]:
    rows = conn.execute(
        "SELECT record_json FROM ops_records WHERE kind = ? ORDER BY created_at_ms DESC, record_id DESC", (kind,)
    )
    return [codec.loads(row[0]) for row in rows]
