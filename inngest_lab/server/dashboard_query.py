"""The runs page's query: filters, a CEL search and cursor paging over ``Store.list_runs``. Pure except the store.

Paging is keyset, never offset: a cursor is the last run shown (``created_at_ms`` and ``run_id``, the store's
own order), so page 2,000 costs what page 1 costs even with 100,000 runs stored. Filters the store cannot
apply (app, started/ended time, the CEL search) are applied to batches as they are read, and one request reads
at most ``SCAN_BUDGET`` runs: a search that matches nothing in a huge store answers with a cursor to carry on
from instead of scanning everything (the page says how far it looked).
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum

from inngest_lab.engine.expressions import CompiledExpression, ExpressionError, compile_expression
from inngest_lab.engine.model import Json, Run
from inngest_lab.protocol.consts import RunStatus
from inngest_lab.store.ports.runs import RunQuery

SCAN_BUDGET = 5_000
"""Runs one page request may read while filtering before it answers with a cursor."""
BATCH = 200
"""Runs read per store call while filtering."""


class TimeField(StrEnum):
    """Which instant the time range applies to. Sent by the runs page."""

    QUEUED = "queued"
    STARTED = "started"
    ENDED = "ended"


class QueryError(ValueError):
    """A bad query argument; the message names it (the handler answers 400)."""


@dataclass(frozen=True, slots=True)
class Cursor:
    """The last run of the previous page: the next page holds runs strictly older in the store's order."""

    created_at_ms: int
    run_id: str

    def encode(self) -> str:
        return base64.urlsafe_b64encode(f"{self.created_at_ms}:{self.run_id}".encode()).decode().rstrip("=")

    @staticmethod
    def decode(text: str) -> Cursor:
        try:
            raw = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4)).decode()
            ms, _, run_id = raw.partition(":")
            if not run_id:
                raise ValueError(raw)
            return Cursor(int(ms), run_id)
        except (ValueError, binascii.Error, UnicodeDecodeError):
            raise QueryError("cursor is not one this server returned") from None

    def before(self, run: Run) -> bool:
        """True when ``run`` comes after this cursor in newest-first order."""
        return (run.created_at_ms, run.run_id) < (self.created_at_ms, self.run_id)


@dataclass(frozen=True, slots=True)
class RunFilter:
    """What the runs page asks for. ``search`` is CEL over ``event`` (the trigger) and ``output``."""

    statuses: tuple[RunStatus, ...] = ()
    app_id: str | None = None
    fn_id: str | None = None
    time_field: TimeField = TimeField.QUEUED
    from_ms: int | None = None
    to_ms: int | None = None
    search: str | None = None
    _program: CompiledExpression | None = field(default=None, compare=False, repr=False)

    @staticmethod
    def build(
        *,
        statuses: Sequence[RunStatus] = (),
        app_id: str | None = None,
        fn_id: str | None = None,
        time_field: TimeField = TimeField.QUEUED,
        from_ms: int | None = None,
        to_ms: int | None = None,
        search: str | None = None,
    ) -> RunFilter:
        """Validate and compile once; raises :class:`QueryError`."""
        if from_ms is not None and to_ms is not None and from_ms >= to_ms:
            raise QueryError("from must be before to")
        program = None
        if search:
            try:
                program = compile_expression(search)
            except ExpressionError as exc:
                raise QueryError(f"search is not a valid CEL expression: {exc}") from None
        return RunFilter(tuple(statuses), app_id, fn_id, time_field, from_ms, to_ms, search or None, program)

    def matches(self, run: Run) -> bool:
        """Everything the store did not already apply."""
        if self.app_id and run.app_id != self.app_id:
            return False
        if self.time_field is not TimeField.QUEUED:
            at = run.started_at_ms if self.time_field is TimeField.STARTED else run.ended_at_ms
            if at is None or (self.from_ms is not None and at < self.from_ms):
                return False
            if self.to_ms is not None and at >= self.to_ms:
                return False
        if self._program is not None:
            variables: Mapping[str, Json] = {
                "event": dict(run.events[0]) if run.events else {},
                "output": run.error if run.error is not None else run.output,
            }
            return self._program.matches(variables)
        return True

    @property
    def filters_in_memory(self) -> bool:
        return bool(self.app_id or self._program is not None or self.time_field is not TimeField.QUEUED)


@dataclass(frozen=True, slots=True)
class RunPage:
    runs: list[Run]
    next_cursor: Cursor | None  # None: nothing older matches
    scanned: int  # runs read to fill the page


async def run_page(store: RunQuery, f: RunFilter, limit: int, cursor: Cursor | None = None) -> RunPage:
    """Up to ``limit`` matching runs older than ``cursor``, newest first.

    The store filters by function, status and (for queued times) the range; the store's ``until_ms`` is
    exclusive, so the cursor's own millisecond is re-read and the runs at or after the cursor dropped.
    Runs created after ``to`` cannot have started or ended before it, so ``to`` bounds every time field.
    """
    since = f.from_ms if f.time_field is TimeField.QUEUED else None
    found: list[Run] = []
    scanned = 0
    batch = limit + 1 if not f.filters_in_memory else max(BATCH, limit + 1)
    position = cursor
    while True:
        until = f.to_ms
        if position is not None:
            until = position.created_at_ms + 1 if until is None else min(until, position.created_at_ms + 1)
        rows = await store.list_runs(
            fn_id=f.fn_id, status=f.statuses or None, since_ms=since, until_ms=until, limit=batch
        )
        fresh = [r for r in rows if position is None or position.before(r)]
        if rows and not fresh:
            if len(rows) < batch:  # only runs already shown are left
                return RunPage(found, None, scanned)
            batch *= 2  # a whole batch inside one millisecond, already shown: read a bigger one
            continue
        for run in fresh:
            scanned += 1
            position = Cursor(run.created_at_ms, run.run_id)
            if f.matches(run):
                found.append(run)
                if len(found) > limit:
                    last = found[limit - 1]
                    return RunPage(found[:limit], Cursor(last.created_at_ms, last.run_id), scanned)
            if scanned >= SCAN_BUDGET and f.filters_in_memory:
                return RunPage(found, position, scanned)
        if len(rows) < batch:
            return RunPage(found, None, scanned)
