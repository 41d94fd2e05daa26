"""The SELECTs behind ``list_runs`` and ``list_events``, for every SQL adapter (pure: text and arguments).

``mark`` is the driver's placeholder: ``?`` for sqlite3, ``%s`` for psycopg. Both adapters order ids byte-wise
(Postgres declares them ``COLLATE "C"``), so the cursors mean the same everywhere.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from inngest_lab.protocol.consts import RunStatus

Query = tuple[str, list[Any]]


def _where(sql: str, conditions: Sequence[tuple[str, Any]], mark: str) -> Query:
    clauses = [clause.replace("?", mark) for clause, value in conditions if value is not None]
    args = [value for _, value in conditions if value is not None]
    return (f"{sql} WHERE {' AND '.join(clauses)}" if clauses else sql), args


def runs_query(
    mark: str,
    *,
    fn_id: str | None,
    status: Sequence[RunStatus] | None,
    event_id: str | None,
    since_ms: int | None,
    until_ms: int | None,
    limit: int,
) -> Query | None:
    """``run_id, run_json`` newest first (``created_at_ms`` then ``run_id``, descending); ``since`` inclusive,
    ``until`` exclusive. None when no run can match (an empty status list)."""
    if status is not None and not status:
        return None
    conditions: list[tuple[str, Any]] = [
        ("fn_id = ?", fn_id),
        ("run_id IN (SELECT run_id FROM run_events WHERE event_id = ?)", event_id),
        ("created_at_ms >= ?", since_ms),
        ("created_at_ms < ?", until_ms),
    ]
    sql, args = _where("SELECT run_id, run_json FROM runs", conditions, mark)
    if status is not None:
        marks = ", ".join([mark] * len(status))
        sql += (" AND " if args else " WHERE ") + f"status IN ({marks})"
        args.extend(s.value for s in status)
    return f"{sql} ORDER BY created_at_ms DESC, run_id DESC LIMIT {mark}", [*args, limit]


def events_query(
    mark: str,
    *,
    name: str | None,
    since_ms: int | None,
    until_ms: int | None,
    limit: int,
    before_id: str | None,
) -> Query:
    """``internal_id, payload_json, received_at_ms`` newest first by internal id (ULIDs sort by time);
    ``before_id`` is an exclusive cursor."""
    conditions: list[tuple[str, Any]] = [
        ("name = ?", name),
        ("received_at_ms >= ?", since_ms),
        ("received_at_ms < ?", until_ms),
        ("internal_id < ?", before_id),
    ]
    sql, args = _where("SELECT internal_id, payload_json, received_at_ms FROM events", conditions, mark)
    return f"{sql} ORDER BY internal_id DESC LIMIT {mark}", [*args, limit]
