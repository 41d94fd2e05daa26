"""Postgres schema: numbered, append-only migrations, run on open under an advisory lock.

Never edit a released migration: add the next number. Two processes starting together both call
``migrate``; the advisory lock makes the second wait until the first has committed, and it then finds
nothing left to do. Epoch-ms columns are ``*_at_ms``; JSON is compact TEXT written by ``store.codec``.

History and events are keyed so that they can later be partitioned by time (``PARTITION BY RANGE``
on ``at_ms`` / ``received_at_ms``), letting retention drop partitions instead of deleting rows.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from psycopg import AsyncConnection

MIGRATION_LOCK = 0x1A6E57  # pg_advisory_lock key of inngest-lab's migrations


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
        -- ids are compared byte-wise (COLLATE "C"), as Python and SQLite compare them: cursors depend on it
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
            internal_id TEXT COLLATE "C" PRIMARY KEY,
            name TEXT COLLATE "C" NOT NULL,
            received_at_ms BIGINT NOT NULL,
            payload_json TEXT NOT NULL
        );
        CREATE INDEX events_name ON events (name, internal_id);
        CREATE TABLE runs (
            run_id TEXT COLLATE "C" PRIMARY KEY,
            fn_id TEXT NOT NULL,
            status TEXT NOT NULL,
            created_at_ms BIGINT NOT NULL,
            ended BOOLEAN NOT NULL,
            outbox_seq BIGINT NOT NULL,
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
        CREATE TABLE history (
            run_id TEXT NOT NULL,
            seq BIGINT NOT NULL,
            at_ms BIGINT NOT NULL,
            kind TEXT NOT NULL,
            step_id TEXT,
            name TEXT,
            attempt INTEGER NOT NULL,
            data_json TEXT NOT NULL,
            PRIMARY KEY (run_id, seq)
        );
        """,
    ),
)


async def migrate(conn: AsyncConnection[tuple[object, ...]]) -> list[int]:
    """Apply every migration not applied yet, in order; return the versions applied now.

    Autocommit for the duration: each migration is then a real transaction that commits before the advisory
    lock is released (inside an implicit transaction it would be a savepoint, committed only after the
    unlock, and a second process could run it again).
    """
    applied_now: list[int] = []
    autocommit = conn.autocommit
    await conn.set_autocommit(True)
    await conn.execute("SELECT pg_advisory_lock(%s)", (MIGRATION_LOCK,))
    try:
        await conn.execute(
            "CREATE TABLE IF NOT EXISTS schema_migrations"
            " (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at_ms BIGINT NOT NULL)"
        )
        cur = await conn.execute("SELECT version FROM schema_migrations")
        done = {int(str(row[0])) for row in await cur.fetchall()}
        for migration in MIGRATIONS:
            if migration.version in done:
                continue
            async with conn.transaction():
                await conn.execute(migration.sql.encode())
                await conn.execute(
                    "INSERT INTO schema_migrations (version, name, applied_at_ms) VALUES (%s, %s, %s)",
                    (migration.version, migration.name, int(time.time() * 1000)),
                )
            applied_now.append(migration.version)
    finally:
        await conn.execute("SELECT pg_advisory_unlock(%s)", (MIGRATION_LOCK,))
        await conn.set_autocommit(autocommit)
    return applied_now
