"""Read-side SQLite queries. Each takes the writer's connection and runs on the writer thread."""

from __future__ import annotations

import sqlite3
from collections.abc import Mapping, Sequence

from inngest_lab.engine.model import App, EventRecord, FunctionDef, HistoryEntry, Json, Pause, Run
from inngest_lab.engine.pause_index import probe
from inngest_lab.engine.pauses import pause_from_json
from inngest_lab.protocol.consts import RunStatus
from inngest_lab.store import codec
from inngest_lab.store.sql_select import events_query, runs_query


def list_runs(
    conn: sqlite3.Connection,
    *,
    fn_id: str | None,
    status: Sequence[RunStatus] | None,
    event_id: str | None,
    since_ms: int | None,
    until_ms: int | None,
    limit: int,
) -> list[Run]:
    """Newest first (``sql_select.runs_query``), each with its steps."""
    query = runs_query(
        "?", fn_id=fn_id, status=status, event_id=event_id, since_ms=since_ms, until_ms=until_ms, limit=limit
    )
    if query is None:
        return []
    rows = conn.execute(*query).fetchall()
    if not rows:
        return []
    steps: dict[str, dict[str, Json]] = {run_id: {} for run_id, _ in rows}
    marks = ", ".join("?" * len(rows))
    step_rows = conn.execute(
        f"SELECT run_id, step_id, memo_json FROM steps WHERE run_id IN ({marks}) ORDER BY seq",  # noqa: S608
        [run_id for run_id, _ in rows],
    )
    for run_id, step_id, memo in step_rows:
        steps[run_id][step_id] = codec.loads(memo)
    return [codec.run_from_meta(codec.loads(meta), steps[run_id], tuple(steps[run_id])) for run_id, meta in rows]


def history(conn: sqlite3.Connection, run_id: str) -> list[HistoryEntry]:
    rows = conn.execute(
        "SELECT run_id, at_ms, kind, step_id, name, attempt, data_json FROM history WHERE run_id = ? ORDER BY seq",
        (run_id,),
    )
    return [codec.history_from_row(*row) for row in rows]


def get_event(conn: sqlite3.Connection, internal_id: str) -> EventRecord | None:
    row = conn.execute(
        "SELECT internal_id, payload_json, received_at_ms FROM events WHERE internal_id = ?", (internal_id,)
    ).fetchone()
    return codec.event_from_row(*row) if row is not None else None


def list_events(
    conn: sqlite3.Connection,
    *,
    name: str | None,
    since_ms: int | None,
    until_ms: int | None,
    limit: int,
    before_id: str | None,
) -> list[EventRecord]:
    """Newest first (``sql_select.events_query``)."""
    query = events_query("?", name=name, since_ms=since_ms, until_ms=until_ms, limit=limit, before_id=before_id)
    return [codec.event_from_row(*row) for row in conn.execute(*query)]


def pauses_for_event(conn: sqlite3.Connection, event_name: str) -> list[Pause]:
    rows = conn.execute(
        "SELECT pause_json FROM pauses WHERE event_name = ? ORDER BY created_at_ms, pause_id", (event_name,)
    )
    return [pause_from_json(codec.loads(row[0])) for row in rows]


def pauses_matching(conn: sqlite3.Connection, event: Mapping[str, Json]) -> list[Pause]:
    """Candidates through the pause index: unindexed pauses of the name plus one lookup per signature in use."""
    name = event.get("name")
    rows = conn.execute(
        "SELECT pause_json FROM pauses WHERE event_name = ? AND index_signature IS NULL", (name,)
    ).fetchall()
    signatures = conn.execute(
        "SELECT signature FROM pause_signatures WHERE event_name = ? AND pauses > 0", (name,)
    ).fetchall()
    for (signature,) in signatures:
        key = probe(event, signature)
        if key is not None:
            rows.extend(
                conn.execute(
                    "SELECT pause_json FROM pauses WHERE event_name = ? AND index_signature = ? AND index_values = ?",
                    (name, key.signature, key.values),
                )
            )
    found = [pause_from_json(codec.loads(row[0])) for row in rows]
    found.sort(key=lambda p: (p.created_at_ms, p.pause_id))
    return found


def pause_for_signal(conn: sqlite3.Connection, signal: str) -> Pause | None:
    row = conn.execute(
        "SELECT p.pause_json FROM signals s JOIN pauses p ON p.pause_id = s.pause_id WHERE s.signal = ?", (signal,)
    ).fetchone()
    return pause_from_json(codec.loads(row[0])) if row is not None else None


def pauses_for_run(conn: sqlite3.Connection, run_id: str) -> list[Pause]:
    rows = conn.execute("SELECT pause_json FROM pauses WHERE run_id = ? ORDER BY created_at_ms, pause_id", (run_id,))
    return [pause_from_json(codec.loads(row[0])) for row in rows]


def list_apps(conn: sqlite3.Connection) -> list[App]:
    return [codec.app_from_json(codec.loads(r[0])) for r in conn.execute("SELECT app_json FROM apps ORDER BY app_id")]


def list_functions(conn: sqlite3.Connection) -> list[FunctionDef]:
    rows = conn.execute("SELECT fn_json FROM functions ORDER BY fn_id")
    return [codec.function_from_json(codec.loads(r[0])) for r in rows]


def get_function(conn: sqlite3.Connection, fn_id: str) -> FunctionDef | None:
    row = conn.execute("SELECT fn_json FROM functions WHERE fn_id = ?", (fn_id,)).fetchone()
    return codec.function_from_json(codec.loads(row[0])) if row is not None else None
