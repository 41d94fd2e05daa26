"""Ports: what the executor and server need from storage, one module per concern. Every adapter passes
tests/contract (one suite per port: test_queue, test_runs, test_events, test_pauses, test_flow_state,
test_registry, test_ops_records, test_transactions, feed tests).

Writes go through ``Store.apply``: a list of engine commands applied atomically (one transaction).
``Store.transact`` is the read-decide-write primitive: it loads the run inside the transaction
(serialized per run, across processes for shared databases), calls the pure ``decide`` function and
applies what it returns, all before committing. Adapters may group several callers' work into one
physical transaction (group commit) as long as each caller sees the writes of those before it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Protocol

from inngest_lab.engine.model import Command, Run
from inngest_lab.store.ports.events import EventQuery
from inngest_lab.store.ports.feed import ChangeFeed, SharedStore
from inngest_lab.store.ports.flow import FlowDecide, FlowStore
from inngest_lab.store.ports.maintenance import Maintenance, Purged, StoreGauges
from inngest_lab.store.ports.pauses import PauseQuery
from inngest_lab.store.ports.queue import LeaseLost, Queue
from inngest_lab.store.ports.registry import OpsRecords, Registry
from inngest_lab.store.ports.runs import RunQuery

Decide = Callable[[Run | None], Sequence[Command]]


class StoreUnavailable(RuntimeError):
    """A shared store (Redis, Postgres) cannot be reached right now; the caller may retry."""


class Store(
    RunQuery, EventQuery, PauseQuery, Registry, Queue, OpsRecords, FlowStore, ChangeFeed, Maintenance, Protocol
):
    """Everything an engine process needs, applied atomically through ``apply``/``transact``."""

    async def open(self) -> None:
        """Create or migrate the schema; load what must be in memory."""
        ...

    async def close(self) -> None: ...

    async def apply(self, commands: Sequence[Command]) -> None:
        """Apply commands atomically. ``ConsumePause`` enqueues its item only if the pause still existed."""
        ...

    async def transact(self, run_id: str, decide: Decide, *, now_ms: int | None = None) -> Sequence[Command]:
        """Load ``run_id``, call ``decide`` with it (None if missing), apply the result atomically, return it.

        ``now_ms`` is the caller's clock: a shared store may lease the items the result enqueues that are due
        by then straight to this process (its next ``lease`` returns them), where the run's state is warm.
        """
        ...


__all__ = [
    "ChangeFeed",
    "Decide",
    "EventQuery",
    "FlowDecide",
    "FlowStore",
    "LeaseLost",
    "Maintenance",
    "OpsRecords",
    "PauseQuery",
    "Purged",
    "Queue",
    "Registry",
    "RunQuery",
    "SharedStore",
    "Store",
    "StoreGauges",
    "StoreUnavailable",
]
