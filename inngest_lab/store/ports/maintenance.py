"""The maintenance port: deployment-wide gauges for ``/metrics`` and retention (deleting finished runs)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Protocol

from inngest_lab.engine.ids import start_item_id
from inngest_lab.engine.model import HistoryEntry, HistoryKind, ItemKind, QueueItem

REPORTER_TTL_MS = 60_000
"""How long a process stays the deployment's gauge reporter without scraping (``claim_reporter``)."""

FLOW_REASONS = ("concurrency", "throttle", "debounce", "batch")
"""Why flow control can hold a run back (``StoreGauges.flow_waiting``). A rate limit, an idempotency key or a
singleton never holds a run: it is skipped (or the other run cancelled) at once."""

_TIMER_HOLDS = {ItemKind.DEBOUNCE: "debounce", ItemKind.BATCH: "batch"}


def timer_hold(item: QueueItem) -> str | None:
    """The reason a queued item holds a run back by being there (a debounce timer, a batch's timeout), or None."""
    return _TIMER_HOLDS.get(item.kind)


def throttled_start(entry: HistoryEntry) -> str | None:
    """The start item a ``RUN_THROTTLED`` entry says was delayed (enqueued earlier in the same batch), or None."""
    return start_item_id(entry.run_id) if entry.kind is HistoryKind.RUN_THROTTLED else None


@dataclass(frozen=True, slots=True)
class StoreGauges:
    """What the store holds right now, deployment-wide.

    ``queue_depth``: queue items (due, leased or in the future); ``oldest_due_ms``: the earliest due time of
    an item not leased (None: nothing waits); ``pending_pauses``: waits, invokes and ``cancel_on`` pauses.

    ``flow_waiting``: runs flow control holds back right now, by reason (every one of ``FLOW_REASONS``):

    * ``concurrency``: due call items that need a concurrency slot and do not hold one, counted from the first
      lease attempt that could not start them until they are leased (a run with parallel steps counts once
      per waiting step);
    * ``throttle``: runs whose start a throttle delayed, until their first call is leased;
    * ``debounce``, ``batch``: pending debounce timers and batches being collected (each starts one run).

    Counts kept in the same transaction that holds and releases, so reading them is O(1).
    """

    queue_depth: int
    oldest_due_ms: int | None
    pending_pauses: int
    flow_waiting: Mapping[str, int] = field(default_factory=dict)


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
