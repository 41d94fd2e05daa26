"""Processes that start together on a new Postgres database apply each migration once: the advisory lock is
held until the migration has committed, so the others find it done."""

from __future__ import annotations

import subprocess
import sys

import psycopg

from inngest_lab.store.redis_pg.pg_schema import MIGRATIONS

SCRIPT = """
import asyncio, sys
from psycopg_pool import AsyncConnectionPool
from inngest_lab.store.redis_pg.pg_schema import migrate

async def main() -> None:
    async with AsyncConnectionPool(sys.argv[1], min_size=1, max_size=1, open=False) as pool:
        async with pool.connection() as conn:
            print(await migrate(conn))

asyncio.run(main())
"""


def test_four_processes_starting_together_apply_each_migration_once(postgres_uri: str) -> None:
    procs = [
        subprocess.Popen([sys.executable, "-c", SCRIPT, postgres_uri], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        for _ in range(4)
    ]
    results = [
        (p.wait(timeout=60), p.stdout.read().decode(), p.stderr.read().decode()) for p in procs if p.stdout and p.stderr
    ]

    assert [code for code, _, _ in results] == [0, 0, 0, 0], [err for _, _, err in results]
    applied = sorted(out.strip() for _, out, _ in results)
    assert applied == sorted(["[]", "[]", "[]", str([m.version for m in MIGRATIONS])])
    with psycopg.connect(postgres_uri) as conn:
        rows = conn.execute("SELECT version FROM schema_migrations ORDER BY version").fetchall()
    assert [r[0] for r in rows] == [m.version for m in MIGRATIONS]
