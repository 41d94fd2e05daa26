"""Bulk cancellation (``POST /v1/cancellations``): cancel a function's runs started in a time range, optionally
only those whose event matches a CEL ``if``.

A cancellation is a record (``OpsRecords`` kind ``cancellation``) plus one queue item that works through the
matching runs in batches of ``BATCH``, newest first; each batch re-enqueues the item with a cursor, so a crash
resumes where it stopped and a huge range never holds the queue. It matches runs that exist and have not ended
(Queued or Running) and were created in ``[started_after, started_before)``; like Inngest it never stops runs
created later (pause the function for that). ``if`` sees the run's triggering event as ``event``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from inngest_lab.engine.expressions import ExpressionError, compile_expression
from inngest_lab.engine.model import ItemKind, Json, QueueItem, Run
from inngest_lab.engine.operations import OperationError
from inngest_lab.protocol.consts import RunStatus

CANCELLATION_KIND = "cancellation"
BATCH = 100
CANCELLABLE = (RunStatus.QUEUED, RunStatus.RUNNING)


@dataclass(frozen=True, slots=True)
class Cancellation:
    """One bulk cancellation. ``function_id`` is the app's own id (``"send-email"``), ``fn_id`` the composite."""

    cancellation_id: str
    app_id: str
    function_id: str
    started_before_ms: int
    created_at_ms: int
    started_after_ms: int | None = None
    if_exp: str | None = None
    cancelled: int = 0  # runs cancelled so far
    done: bool = False

    @property
    def fn_id(self) -> str:
        return f"{self.app_id}-{self.function_id}"

    def to_json(self) -> dict[str, Json]:
        return {
            "id": self.cancellation_id,
            "app_id": self.app_id,
            "function_id": self.function_id,
            "started_after_ms": self.started_after_ms,
            "started_before_ms": self.started_before_ms,
            "if": self.if_exp,
            "created_at_ms": self.created_at_ms,
            "cancelled": self.cancelled,
            "done": self.done,
        }

    @staticmethod
    def from_json(data: Json) -> Cancellation:
        return Cancellation(
            cancellation_id=data["id"],
            app_id=data["app_id"],
            function_id=data["function_id"],
            started_before_ms=data["started_before_ms"],
            created_at_ms=data["created_at_ms"],
            started_after_ms=data["started_after_ms"],
            if_exp=data["if"],
            cancelled=data["cancelled"],
            done=data["done"],
        )


def new_cancellation(
    cancellation_id: str,
    *,
    app_id: str,
    function_id: str,
    started_before_ms: int,
    now_ms: int,
    started_after_ms: int | None = None,
    if_exp: str | None = None,
) -> Cancellation:
    """Validate a request as Inngest does. Raises :class:`OperationError` with every problem found."""
    problems: list[str] = []
    if not app_id:
        problems.append("app_id is required")
    if not function_id:
        problems.append("function_id is required")
    if started_before_ms > now_ms:
        problems.append("started_before must be in the past")
    if started_after_ms is not None and started_after_ms > started_before_ms:
        problems.append("started_after must be before started_before")
    if if_exp is not None:
        try:
            compile_expression(if_exp)
        except ExpressionError as exc:
            problems.append(f"invalid expression: {exc}")
    if problems:
        raise OperationError("; ".join(problems))
    return Cancellation(
        cancellation_id=cancellation_id,
        app_id=app_id,
        function_id=function_id,
        started_before_ms=started_before_ms,
        created_at_ms=now_ms,
        started_after_ms=started_after_ms,
        if_exp=if_exp or None,
    )


@dataclass(frozen=True, slots=True)
class Cursor:
    """Where a cancellation's scan stands: runs created before ``before_ms`` remain, minus ``seen`` (ids already
    handled that were created at ``before_ms - 1``, the newest instant left)."""

    before_ms: int
    seen: tuple[str, ...] = field(default=())

    def to_json(self) -> dict[str, Json]:
        return {"before_ms": self.before_ms, "seen": list(self.seen)}

    @staticmethod
    def from_json(data: Json) -> Cursor:
        return Cursor(int(data["before_ms"]), tuple(data["seen"]))

    @property
    def fetch_limit(self) -> int:
        """How many runs to list so that ``BATCH`` unseen ones come back whenever they exist."""
        return BATCH + len(self.seen)


def work_item(c: Cancellation, cursor: Cursor, batch: int, due_at_ms: int) -> QueueItem:
    """The queue item that processes batch number ``batch`` (0, 1, …) of ``c`` from ``cursor``."""
    return QueueItem(
        item_id=f"bulk-cancel/{c.cancellation_id}/{batch}",
        run_id=c.cancellation_id,
        fn_id=c.fn_id,
        kind=ItemKind.BULK_CANCEL,
        due_at_ms=due_at_ms,
        payload={"cancellation_id": c.cancellation_id, "batch": batch, "cursor": cursor.to_json()},
    )


def first_cursor(c: Cancellation) -> Cursor:
    return Cursor(c.started_before_ms)


@dataclass(frozen=True, slots=True)
class Batch:
    """The outcome of one batch: runs to cancel, the updated record, and the cursor of the next batch (None: done)."""

    cancel: list[str]
    cancellation: Cancellation
    next_cursor: Cursor | None


def next_batch(c: Cancellation, cursor: Cursor, listed: Sequence[Run]) -> Batch:
    """Decide one batch from ``listed``: up to ``cursor.fetch_limit`` cancellable runs of the function created in
    ``[started_after, cursor.before_ms)``, newest first (as ``RunQuery.list_runs`` returns them)."""
    fresh = [r for r in listed if r.run_id not in cursor.seen][:BATCH]
    condition = compile_expression(c.if_exp) if c.if_exp else None
    cancel = [r.run_id for r in fresh if condition is None or condition.matches({"event": dict(r.event)})]
    updated = replace(c, cancelled=c.cancelled + len(cancel))
    if len(fresh) < BATCH:
        return Batch(cancel, replace(updated, done=True), None)
    last = fresh[-1].created_at_ms
    edge = tuple(r.run_id for r in fresh if r.created_at_ms == last)
    seen = edge + cursor.seen if last + 1 == cursor.before_ms else edge
    return Batch(cancel, updated, Cursor(last + 1, seen))


def reason(c: Cancellation) -> str:
    return f"cancelled by bulk cancellation {c.cancellation_id}"
