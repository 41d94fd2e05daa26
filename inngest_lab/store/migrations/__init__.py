"""Numbered, append-only schema migrations for the SQL adapters.

Never edit a released migration: add the next number. ``schema_migrations`` records what ran.
Epoch-ms columns are named ``*_at_ms``; JSON is stored as compact TEXT (``codec.dumps``).
Ordering columns (``seq``) are assigned by the adapter, not by the database, so the same schema
fits SQLite and Postgres.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Migration:
    version: int
    name: str
    sql: str


MIGRATIONS: tuple[Migration, ...] = (
    Migration(
        1,
        "initial",
        """
        CREATE TABLE apps (
            app_id TEXT PRIMARY KEY,
            checksum TEXT NOT NULL,
            synced_at_ms BIGINT NOT NULL,
            app_json TEXT NOT NULL
        );
        CREATE TABLE functions (
            fn_id TEXT PRIMARY KEY,
            app_id TEXT NOT NULL,
            fn_json TEXT NOT NULL
        );
        CREATE INDEX functions_app ON functions (app_id);
        CREATE TABLE events (
            internal_id TEXT PRIMARY KEY,
            name TEXT NOT NULL,
            received_at_ms BIGINT NOT NULL,
            payload_json TEXT NOT NULL
        );
        CREATE INDEX events_name ON events (name, internal_id);
        CREATE TABLE runs (
            run_id TEXT PRIMARY KEY,
            fn_id TEXT NOT NULL,
            status TEXT NOT NULL,
            created_at_ms BIGINT NOT NULL,
            run_json TEXT NOT NULL
        );
        CREATE INDEX runs_created ON runs (created_at_ms, run_id);
        CREATE INDEX runs_fn_created ON runs (fn_id, created_at_ms);
        CREATE TABLE run_events (
            event_id TEXT NOT NULL,
            run_id TEXT NOT NULL,
            PRIMARY KEY (event_id, run_id)
        );
        CREATE TABLE steps (
            run_id TEXT NOT NULL,
            step_id TEXT NOT NULL,
            seq BIGINT NOT NULL,
            memo_json TEXT NOT NULL,
            PRIMARY KEY (run_id, step_id)
        );
        CREATE TABLE queue (
            item_id TEXT PRIMARY KEY,
            seq BIGINT NOT NULL,
            run_id TEXT NOT NULL,
            due_at_ms BIGINT NOT NULL,
            item_json TEXT NOT NULL
        );
        CREATE TABLE pauses (
            pause_id TEXT PRIMARY KEY,
            run_id TEXT NOT NULL,
            event_name TEXT NOT NULL,
            created_at_ms BIGINT NOT NULL,
            pause_json TEXT NOT NULL
        );
        CREATE INDEX pauses_event ON pauses (event_name);
        CREATE INDEX pauses_run ON pauses (run_id);
        CREATE TABLE history (
            seq BIGINT PRIMARY KEY,
            run_id TEXT NOT NULL,
            at_ms BIGINT NOT NULL,
            kind TEXT NOT NULL,
            step_id TEXT,
            name TEXT,
            attempt INTEGER NOT NULL,
            data_json TEXT NOT NULL
        );
        CREATE INDEX history_run ON history (run_id, seq);
        """,
    ),
    Migration(
        2,
        "flow_state",
        """
        CREATE TABLE flow_state (
            key TEXT PRIMARY KEY,
            value_json TEXT NOT NULL,
            expires_at_ms BIGINT
        );
        CREATE INDEX flow_state_expires ON flow_state (expires_at_ms);
        """,
    ),
    Migration(
        10,
        "pause index",
        # engine.pause_index: a pause is found by (event name, signature, values) instead of by evaluating
        # its expression; pause_signatures lists the signatures in use per event name (a NULL signature,
        # as on pauses stored before this migration, means "check against every event of the name").
        """
        ALTER TABLE pauses ADD COLUMN index_signature TEXT;
        ALTER TABLE pauses ADD COLUMN index_values TEXT;
        CREATE INDEX pauses_match ON pauses (event_name, index_signature, index_values);
        CREATE TABLE pause_signatures (
            event_name TEXT NOT NULL,
            signature TEXT NOT NULL,
            pauses BIGINT NOT NULL,
            PRIMARY KEY (event_name, signature)
        );
        """,
    ),
    Migration(
        11,
        "concurrency slots",
        # Concurrency slots shared by several processes on one file; unused since one process owns a file
        # (store.sqlite_lock), and dropped by migration 21.
        """
        CREATE TABLE concurrency_slots (
            slot_key TEXT NOT NULL,
            item_id TEXT NOT NULL,
            lease_id TEXT NOT NULL,
            expires_at_ms BIGINT NOT NULL,
            PRIMARY KEY (slot_key, item_id)
        );
        CREATE INDEX concurrency_slots_item ON concurrency_slots (item_id);
        """,
    ),
    Migration(
        20,
        "ops_records",
        """
        CREATE TABLE ops_records (
            kind TEXT NOT NULL,
            record_id TEXT NOT NULL,
            created_at_ms BIGINT NOT NULL,
            record_json TEXT NOT NULL,
            PRIMARY KEY (kind, record_id)
        );
        CREATE INDEX ops_records_created ON ops_records (kind, created_at_ms, record_id);
        """,
    ),
    Migration(
        21,
        "drop concurrency slots",
        # one process owns a file (store.sqlite_lock): its in-memory backlogs are the only slot holders
        """
        DROP TABLE IF EXISTS concurrency_slots;
        """,
    ),
    Migration(
        31,
        "signal index",
        # engine.signal_wait: which pending pause a signal name resumes (ClaimSignal); a row goes with its pause
        """
        CREATE TABLE signals (
            signal TEXT PRIMARY KEY,
            pause_id TEXT NOT NULL
        );
        CREATE UNIQUE INDEX signals_pause ON signals (pause_id);
        """,
    ),
)


def migrate_sqlite(conn: sqlite3.Connection) -> int:
    """Run pending migrations, each in its own transaction; return the schema version."""
    conn.execute("CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at_ms BIGINT)")
    done = {row[0] for row in conn.execute("SELECT version FROM schema_migrations")}
    version = max(done, default=0)
    for migration in MIGRATIONS:
        if migration.version in done:
            continue
        # BEGIN IMMEDIATE: a second process opening the same file waits (busy_timeout) instead of racing
        conn.execute("BEGIN IMMEDIATE")
        try:
            if conn.execute("SELECT 1 FROM schema_migrations WHERE version = ?", (migration.version,)).fetchone():
                conn.execute("ROLLBACK")
                continue
            for statement in migration.sql.split(";"):
                if statement.strip():
                    conn.execute(statement)
            conn.execute(
                "INSERT INTO schema_migrations (version, applied_at_ms)"
                " VALUES (?, CAST(strftime('%s', 'now') AS INTEGER) * 1000)",
                (migration.version,),
            )
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        version = migration.version
    return version
