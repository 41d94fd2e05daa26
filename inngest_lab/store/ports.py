"""Ports: what the executor and server need from storage. Every adapter passes tests/contract.

Writes go through ``Store.apply``: a list of engine commands applied atomically (one transaction).
``Store.transact`` is the read-decide-write primitive: it loads the run inside the transaction
(serialized per run, across processes for shared databases), calls the pure ``decide`` function and
applies what it returns, all before committing. Adapters may group several callers' work into one
physical transaction (group commit) as long as each caller sees the writes of those before it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Protocol, runtime_checkable

from inngest_lab.engine.flow.state import FlowView
from inngest_lab.engine.model import (
    App,
    Command,
    EventRecord,
    FlowEntry,
    FunctionDef,
    HistoryEntry,
    Json,
    Lease,
    Pause,
    Run,
)
from inngest_lab.protocol.consts import RunStatus


class LeaseLost(RuntimeError):
    """A batch acked a queue item whose lease its worker no longer holds; nothing was written."""


class StoreUnavailable(RuntimeError):
    """A shared store (Redis, Postgres) cannot be reached right now; the caller may retry."""


Decide = Callable[[Run | None], Sequence[Command]]
FlowDecide = Callable[[FlowView], Sequence[Command]]


class RunQuery(Protocol):
    """Read side of run state."""

    async def load_run(self, run_id: str) -> Run | None: ...

    async def list_runs(
        self,
        *,
        fn_id: str | None = None,
        status: Sequence[RunStatus] | None = None,
        event_id: str | None = None,
        since_ms: int | None = None,
        until_ms: int | None = None,
        limit: int = 100,
    ) -> list[Run]:
        """Newest first."""
        ...

    async def history(self, run_id: str) -> list[HistoryEntry]:
        """Timeline entries in insertion order."""
        ...


class EventQuery(Protocol):
    async def get_event(self, internal_id: str) -> EventRecord | None: ...

    async def list_events(
        self,
        *,
        name: str | None = None,
        since_ms: int | None = None,
        until_ms: int | None = None,
        limit: int = 20,
        before_id: str | None = None,
    ) -> list[EventRecord]:
        """Newest first; ``before_id`` is a cursor (internal ids sort by time)."""
        ...


class PauseQuery(Protocol):
    async def pauses_for_event(self, event_name: str) -> list[Pause]:
        """Pending pauses waiting for ``event_name``."""
        ...

    async def pauses_matching(self, events: Sequence[Mapping[str, Json]]) -> list[list[Pause]]:
        """For each wire event, the pending pauses it may resume or cancel, oldest first.

        Found through the pause index (``engine.pause_index``), not by evaluating every pause: the pauses
        of the event's name whose equality predicates the event satisfies, plus those with no indexable
        predicate. A superset of the pauses whose expression holds; the caller evaluates each candidate.
        """
        ...

    async def pauses_for_run(self, run_id: str) -> list[Pause]: ...


class Registry(Protocol):
    """Apps and functions (synced configuration)."""

    async def upsert_app(self, app: App, functions: Sequence[FunctionDef]) -> bool:
        """Store the app and replace its functions; return True when anything changed."""
        ...

    async def list_apps(self) -> list[App]: ...

    async def list_functions(self) -> list[FunctionDef]: ...

    async def get_function(self, fn_id: str) -> FunctionDef | None: ...

    async def delete_app(self, app_id: str) -> None: ...


class Queue(Protocol):
    """Due-time ordered work with leases. A lease that expires makes its item available again."""

    async def lease(self, now_ms: int, limit: int, lease_ms: int) -> list[Lease]:
        """Lease up to ``limit`` items due at or before ``now_ms``, earliest first."""
        ...

    async def extend(self, lease: Lease, now_ms: int, lease_ms: int) -> Lease | None:
        """Extend a lease; None when it was lost."""
        ...

    async def release(self, lease: Lease, due_at_ms: int) -> None:
        """Give the item back, due at ``due_at_ms`` (not an ack)."""
        ...

    def next_due_ms(self) -> int | None:
        """Earliest due time of an unleased item known to this process, for timer wake-ups."""
        ...

    def subscribe(self, wake: Callable[[], None]) -> None:
        """Call ``wake`` whenever new work may be ready (after enqueue commits)."""
        ...

    async def depth(self) -> int: ...


class FlowStore(Protocol):
    """Flow-control state (``PutFlowState``/``DeleteFlowState`` write it) and its read-decide-write primitive."""

    async def flow_state(self, key: str) -> FlowEntry | None:
        """The stored entry under ``key``, expired or not."""
        ...

    async def transact_flow(self, decide: FlowDecide) -> Sequence[Command]:
        """Call ``decide`` with a view that reads inside the transaction, apply its result atomically, return it.

        Serialized against every other ``transact_flow``, so a decision never races another on the same state.
        """
        ...


class OpsRecords(Protocol):
    """Operator state (paused functions, bulk cancellations): JSON records by ``(kind, record_id)``.

    ``put_record``/``delete_record`` apply ``commands`` in the same transaction, so a record and the queue
    item that processes it are written together.
    """

    async def put_record(
        self, kind: str, record_id: str, created_at_ms: int, record: Json, commands: Sequence[Command] = ()
    ) -> None:
        """Insert or replace the record (a replaced record keeps its first ``created_at_ms``)."""
        ...

    async def delete_record(self, kind: str, record_id: str, commands: Sequence[Command] = ()) -> bool:
        """Delete the record; True when it existed. ``commands`` are applied either way."""
        ...

    async def get_record(self, kind: str, record_id: str) -> Json:
        """The record, or None."""
        ...

    async def list_records(self, kind: str) -> list[Json]:
        """Every record of ``kind``, newest first (``created_at_ms``, then ``record_id``, descending)."""
        ...


class Store(RunQuery, EventQuery, PauseQuery, Registry, Queue, OpsRecords, FlowStore, Protocol):
    """Everything an engine process needs, applied atomically through ``apply``/``transact``."""

    async def open(self) -> None:
        """Create or migrate the schema; load what must be in memory."""
        ...

    async def close(self) -> None: ...

    async def apply(self, commands: Sequence[Command]) -> None:
        """Apply commands atomically. ``ConsumePause`` enqueues its item only if the pause still existed."""
        ...

    async def transact(self, run_id: str, decide: Decide) -> Sequence[Command]:
        """Load ``run_id``, call ``decide`` with it (None if missing), apply the result atomically, return it."""
        ...

    def subscribe_changes(self, listener: Callable[[Sequence[Command]], None]) -> None:
        """Change feed: ``listener`` gets every committed command batch (live views use this)."""
        ...


@runtime_checkable
class SharedStore(Protocol):
    """A store several processes share: it tells each one when another changed shared configuration."""

    def subscribe_config(self, listener: Callable[[str], None]) -> None:
        """``listener(what)`` after another process changed ``registry`` (apps, functions) or
        ``records:<kind>`` (operator records); per-process caches reload on it."""
        ...
