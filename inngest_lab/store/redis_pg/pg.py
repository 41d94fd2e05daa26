"""The Postgres half: apps and functions, events, run history and the finished-run record.

Runs, steps, events and history arrive through the outbox (``outbox.py``), in commit order, and every
write is idempotent (``ON CONFLICT``), so a batch flushed twice (its flusher died before trimming the
stream) changes nothing the second time. A run row is only replaced by a later outbox entry
(``outbox_seq``), so an old flusher that stalled cannot roll a run back.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from psycopg import AsyncConnection
from psycopg_pool import AsyncConnectionPool

from inngest_lab.engine.model import App, EventRecord, FunctionDef, HistoryEntry, Json, Run
from inngest_lab.protocol.consts import RunStatus
from inngest_lab.store import codec
from inngest_lab.store.sql_select import events_query, runs_query

Conn = AsyncConnection[tuple[Any, ...]]


@dataclass(slots=True)
class FlushBatch:
    """Rows of one flush, built from outbox entries in stream order (later entries win for runs)."""

    runs: dict[str, tuple[str, str, int, bool, int, str]] = field(default_factory=dict)
    run_events: set[tuple[str, str]] = field(default_factory=set)
    steps: list[tuple[str, str, int, str]] = field(default_factory=list)
    events: list[tuple[str, str, int, str]] = field(default_factory=list)
    history: list[tuple[str, int, int, str, str | None, str | None, int, str]] = field(default_factory=list)
    terminal_runs: set[str] = field(default_factory=set)

    def add(self, stream_id: str, records: Sequence[list[Json]]) -> None:
        ms, _, n = stream_id.partition("-")
        base = (int(ms) * 1000 + int(n)) * 1000  # stream order, then order inside the entry
        for idx, rec in enumerate(records):
            seq = base + idx
            kind = rec[0]
            if kind == "run":
                _, run_id, fn_id, status, created, meta, terminal = rec
                self.runs[str(run_id)] = (str(fn_id), str(status), int(str(created)), bool(terminal), seq, str(meta))
                for event_id in codec.loads(str(meta))["event_ids"]:
                    self.run_events.add((str(event_id), str(run_id)))
                if terminal:
                    self.terminal_runs.add(str(run_id))
                else:
                    self.terminal_runs.discard(str(run_id))
            elif kind == "step":
                self.steps.append((str(rec[1]), str(rec[2]), seq, str(rec[3])))
            elif kind == "ev":
                self.events.append((str(rec[1]), str(rec[2]), int(str(rec[3])), str(rec[4])))
            elif kind == "hist":
                _, run_id, at_ms, hkind, step_id, name, attempt, data = rec
                self.history.append(
                    (
                        str(run_id),
                        seq,
                        int(str(at_ms)),
                        str(hkind),
                        None if step_id is None else str(step_id),
                        None if name is None else str(name),
                        int(str(attempt)),
                        str(data),
                    )
                )


class Postgres:
    """Queries over a psycopg async pool. Every method owns its transaction."""

    def __init__(self, pool: AsyncConnectionPool[Conn]) -> None:
        self.pool = pool

    # ------------------------------------------------------------ outbox

    async def flush(self, batch: FlushBatch) -> None:
        async with self.pool.connection() as conn, conn.transaction(), conn.cursor() as cur:
            if batch.events:
                await cur.executemany(
                    "INSERT INTO events (internal_id, name, received_at_ms, payload_json) VALUES (%s, %s, %s, %s)"
                    " ON CONFLICT DO NOTHING",
                    batch.events,
                )
            if batch.runs:
                await cur.executemany(
                    "INSERT INTO runs (run_id, fn_id, status, created_at_ms, ended, outbox_seq, run_json)"
                    " VALUES (%s, %s, %s, %s, %s, %s, %s)"
                    " ON CONFLICT (run_id) DO UPDATE SET status = excluded.status, ended = excluded.ended,"
                    " outbox_seq = excluded.outbox_seq, run_json = excluded.run_json"
                    " WHERE runs.outbox_seq <= excluded.outbox_seq",
                    [(run_id, *row) for run_id, row in batch.runs.items()],
                )
            if batch.run_events:
                await cur.executemany(
                    "INSERT INTO run_events (event_id, run_id) VALUES (%s, %s) ON CONFLICT DO NOTHING",
                    sorted(batch.run_events),
                )
            if batch.steps:
                await cur.executemany(
                    "INSERT INTO steps (run_id, step_id, seq, memo_json) VALUES (%s, %s, %s, %s)"
                    " ON CONFLICT DO NOTHING",
                    batch.steps,
                )
            if batch.history:
                await cur.executemany(
                    "INSERT INTO history (run_id, seq, at_ms, kind, step_id, name, attempt, data_json)"
                    " VALUES (%s, %s, %s, %s, %s, %s, %s, %s) ON CONFLICT DO NOTHING",
                    batch.history,
                )

    # ------------------------------------------------------------ runs

    async def list_run_ids(
        self,
        *,
        fn_id: str | None,
        status: Sequence[RunStatus] | None,
        event_id: str | None,
        since_ms: int | None,
        until_ms: int | None,
        limit: int,
    ) -> list[tuple[str, str]]:
        """``(run_id, run_json)`` newest first (``sql_select.runs_query``)."""
        query = runs_query(
            "%s", fn_id=fn_id, status=status, event_id=event_id, since_ms=since_ms, until_ms=until_ms, limit=limit
        )
        if query is None:
            return []
        async with self.pool.connection() as conn:
            cur = await conn.execute(query[0].encode(), query[1])
            return [(str(r[0]), str(r[1])) for r in await cur.fetchall()]

    async def finished_run(self, run_id: str) -> Run | None:
        """The run as Postgres has it, with its steps in recorded order; None when it has none."""
        return (await self.finished_runs([run_id])).get(run_id)

    async def finished_runs(self, run_ids: Sequence[str]) -> dict[str, Run]:
        """Those of ``run_ids`` Postgres has, with their steps in recorded order, by id."""
        async with self.pool.connection() as conn:
            cur = await conn.execute("SELECT run_id, run_json FROM runs WHERE run_id = ANY(%s)", (list(run_ids),))
            rows = [(str(r[0]), str(r[1])) for r in await cur.fetchall()]
        return await self.with_steps(rows)

    async def with_steps(self, rows: Sequence[tuple[str, str]]) -> dict[str, Run]:
        """``(run_id, run_json)`` rows (as ``list_run_ids`` returns them) as runs with their steps, by id."""
        if not rows:
            return {}
        steps: dict[str, dict[str, Json]] = {run_id: {} for run_id, _ in rows}
        async with self.pool.connection() as conn:
            cur = await conn.execute(
                "SELECT run_id, step_id, memo_json FROM steps WHERE run_id = ANY(%s) ORDER BY seq", (list(steps),)
            )
            for run_id, step_id, memo in await cur.fetchall():
                steps[str(run_id)][str(step_id)] = codec.loads(str(memo))
        return {
            run_id: codec.run_from_meta(codec.loads(meta), steps[run_id], tuple(steps[run_id])) for run_id, meta in rows
        }

    async def history(self, run_id: str) -> list[HistoryEntry]:
        async with self.pool.connection() as conn:
            cur = await conn.execute(
                "SELECT run_id, at_ms, kind, step_id, name, attempt, data_json FROM history"
                " WHERE run_id = %s ORDER BY seq",
                (run_id,),
            )
            return [codec.history_from_row(*row) for row in await cur.fetchall()]

    # ------------------------------------------------------------ events

    async def get_event(self, internal_id: str) -> EventRecord | None:
        async with self.pool.connection() as conn:
            cur = await conn.execute(
                "SELECT internal_id, payload_json, received_at_ms FROM events WHERE internal_id = %s", (internal_id,)
            )
            row = await cur.fetchone()
        return None if row is None else codec.event_from_row(str(row[0]), str(row[1]), int(row[2]))

    async def list_events(
        self,
        *,
        name: str | None,
        since_ms: int | None,
        until_ms: int | None,
        limit: int,
        before_id: str | None,
    ) -> list[EventRecord]:
        sql, args = events_query(
            "%s", name=name, since_ms=since_ms, until_ms=until_ms, limit=limit, before_id=before_id
        )
        async with self.pool.connection() as conn:
            cur = await conn.execute(sql.encode(), args)
            return [codec.event_from_row(str(r[0]), str(r[1]), int(r[2])) for r in await cur.fetchall()]

    # ------------------------------------------------------------ registry

    async def upsert_app(self, app: App, functions: Sequence[FunctionDef]) -> bool:
        checksum = codec.registry_checksum(app, functions)
        async with self.pool.connection() as conn, conn.transaction():
            # one sync of an app at a time, across processes: the row lock orders them
            await conn.execute(
                "INSERT INTO apps (app_id, checksum, synced_at_ms, app_json) VALUES (%s, '', 0, '{}')"
                " ON CONFLICT DO NOTHING",
                (app.app_id,),
            )
            cur = await conn.execute("SELECT checksum FROM apps WHERE app_id = %s FOR UPDATE", (app.app_id,))
            row = await cur.fetchone()
            await conn.execute(
                "UPDATE apps SET checksum = %s, synced_at_ms = %s, app_json = %s WHERE app_id = %s",
                (checksum, app.synced_at_ms, codec.dumps(codec.app_to_json(app)), app.app_id),
            )
            await conn.execute("DELETE FROM functions WHERE app_id = %s", (app.app_id,))
            async with conn.cursor() as cur2:
                await cur2.executemany(
                    "INSERT INTO functions (fn_id, app_id, fn_json) VALUES (%s, %s, %s)"
                    " ON CONFLICT (fn_id) DO UPDATE SET app_id = excluded.app_id, fn_json = excluded.fn_json",
                    [(f.fn_id, f.app_id, codec.dumps(codec.function_to_json(f))) for f in functions],
                )
        return row is None or row[0] != checksum

    async def list_apps(self) -> list[App]:
        async with self.pool.connection() as conn:
            cur = await conn.execute("SELECT app_json FROM apps ORDER BY app_id")
            return [codec.app_from_json(codec.loads(str(r[0]))) for r in await cur.fetchall()]

    async def list_functions(self) -> list[FunctionDef]:
        async with self.pool.connection() as conn:
            cur = await conn.execute("SELECT fn_json FROM functions ORDER BY fn_id")
            return [codec.function_from_json(codec.loads(str(r[0]))) for r in await cur.fetchall()]

    async def get_function(self, fn_id: str) -> FunctionDef | None:
        async with self.pool.connection() as conn:
            cur = await conn.execute("SELECT fn_json FROM functions WHERE fn_id = %s", (fn_id,))
            row = await cur.fetchone()
        return None if row is None else codec.function_from_json(codec.loads(str(row[0])))

    async def delete_app(self, app_id: str) -> None:
        async with self.pool.connection() as conn, conn.transaction():
            await conn.execute("DELETE FROM apps WHERE app_id = %s", (app_id,))
            await conn.execute("DELETE FROM functions WHERE app_id = %s", (app_id,))
