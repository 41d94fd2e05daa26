"""The maintenance port: deployment-wide gauges for ``/metrics`` and retention (deleting finished runs)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

REPORTER_TTL_MS = 60_000
"""How long a process stays the deployment's gauge reporter without scraping (``claim_reporter``)."""


@dataclass(frozen=True, slots=True)
class StoreGauges:
    """What the store holds right now, deployment-wide.

    ``queue_depth``: queue items (due, leased or in the future); ``oldest_due_ms``: the earliest due time of
    an item not leased (None: nothing waits); ``pending_pauses``: waits, invokes and ``cancel_on`` pauses.
    """

    queue_depth: int
    oldest_due_ms: int | None
    pending_pauses: int


@dataclass(frozen=True, slots=True)
class Purged:
    """One retention batch: runs and events deleted; ``more`` when the batch was full (call again)."""

    runs: int
    events: int
    more: bool


class Maintenance(Protocol):
    async def gauges(self, now_ms: int) -> StoreGauges:
        """Deployment-wide gauges (one read; cheap enough for every scrape)."""
        ...

    async def claim_reporter(self, owner: str, now_ms: int, ttl_ms: int = REPORTER_TTL_MS) -> bool:
        """Whether ``owner`` (one process) reports the deployment-wide gauges: True for a store one process
        owns; on a shared store, the first process to ask holds the role until it stops asking for ``ttl_ms``.
        So summing every process's ``/metrics`` counts each queue item once."""
        ...

    async def purge_finished(self, before_ms: int, limit: int) -> Purged:
        """Delete up to ``limit`` runs that ended (Completed, Failed, Cancelled, Skipped) before ``before_ms``,
        with their steps and history, then up to ``limit`` events received before ``before_ms`` that no
        remaining run refers to. One short transaction; a run still going is never touched."""
        ...
