"""The queue port: due-time ordered work with leases that expire (arq's model, Inngest's queue)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

from inngest_lab.engine.model import Lease


class LeaseLost(RuntimeError):
    """A batch acked a queue item whose lease its worker no longer holds; nothing was written."""


class Queue(Protocol):
    """Due-time ordered work with leases. A lease that expires makes its item available again.

    Items enter and leave through ``Store.apply`` (``Enqueue``, ``Dequeue``, ``Ack``), in the same atomic
    write as the run changes that caused them. With a shared store, any process may hold any lease; an
    ``Ack`` naming a lease that is no longer the item's current one refuses its whole batch (``LeaseLost``).
    """

    async def lease(self, now_ms: int, limit: int, lease_ms: int) -> list[Lease]:
        """Lease up to ``limit`` items due at or before ``now_ms``, earliest first."""
        ...

    async def extend(self, lease: Lease, now_ms: int, lease_ms: int) -> Lease | None:
        """Extend a lease; None when it was lost."""
        ...

    async def release(self, lease: Lease, due_at_ms: int) -> None:
        """Give the item back, due at ``due_at_ms`` (not an ack); nothing happens when the lease was lost."""
        ...

    def next_due_ms(self) -> int | None:
        """A hint for timer wake-ups: the earliest due time (or lease expiry) this process knows of.

        Kept current by this process's own commits and leases, and, on a shared store, by other
        processes' commits (the feed); dispatchers also look at the queue on a slow tick.
        """
        ...

    def subscribe(self, wake: Callable[[], None]) -> None:
        """Call ``wake`` whenever new work may be ready (after enqueue commits, here or in another process)."""
        ...

    async def depth(self) -> int: ...
