"""In-memory queue index: pending items ordered by due time, plus lease bookkeeping.

Both the memory and the SQLite adapters keep their queue here; SQLite persists the items and
reloads them on ``open()`` (without leases, so work a dead process held becomes available again).

Contract:

* An item is *leasable* when it is due (``due_at_ms <= now_ms``) and holds no unexpired lease.
  Leasable items come out ordered by ``(due_at_ms - priority_ms, insertion order)``.
* A lease expires at ``expires_at_ms``; from that instant (``<= now_ms``) the item is leasable again
  and the old lease can neither be extended nor released.
* ``remove`` deletes an item whatever its lease state (ack and dequeue are the same here).

Heaps use lazy deletion: an entry is valid only while its ``gen`` matches the item's current one,
so removing or re-scheduling an item is O(1) and stale heap entries are skipped when they surface.
"""

from __future__ import annotations

import heapq
import itertools
import uuid
from dataclasses import dataclass, replace

from inngest_lab.engine.model import Lease, QueueItem

_HeapEntry = tuple[int, int, int, str]  # (key ms, insertion seq, gen, item_id)

# Rebuild a heap once stale entries outnumber live ones by this much (plus a floor).
_COMPACT_FACTOR = 2
_COMPACT_FLOOR = 1024


@dataclass(slots=True)
class _Entry:
    """Mutable bookkeeping for one queued item (never leaves this module)."""

    item: QueueItem
    seq: int
    gen: int
    lease: Lease | None = None


def score(item: QueueItem) -> int:
    """Ordering key: priority moves an item ahead of work due up to ``priority_ms`` earlier."""
    return item.due_at_ms - item.priority_ms


class QueueIndex:
    """Due-time heap of queue items with in-memory leases. Not thread-safe: use from one thread."""

    def __init__(self) -> None:
        self._entries: dict[str, _Entry] = {}
        self._waiting: list[_HeapEntry] = []  # keyed by due_at_ms: not yet known to be due
        self._ready: list[_HeapEntry] = []  # keyed by score: due as of the last lease() call
        self._expiry: list[tuple[int, str, str]] = []  # (expires_at_ms, item_id, lease_id)
        self._seq = itertools.count(1)
        self._gen = itertools.count(1)

    # ------------------------------------------------------------ membership

    def add(self, item: QueueItem) -> bool:
        """Add ``item`` unless its id is already queued; return True when added."""
        if item.item_id in self._entries:
            return False
        entry = _Entry(item=item, seq=next(self._seq), gen=next(self._gen))
        self._entries[item.item_id] = entry
        heapq.heappush(self._waiting, (item.due_at_ms, entry.seq, entry.gen, item.item_id))
        return True

    def remove(self, item_id: str) -> bool:
        """Forget ``item_id`` (and its lease); return True when it was queued."""
        removed = self._entries.pop(item_id, None) is not None
        if removed:
            self._maybe_compact()
        return removed

    def __contains__(self, item_id: object) -> bool:
        return item_id in self._entries

    def __len__(self) -> int:
        return len(self._entries)

    def get(self, item_id: str) -> QueueItem | None:
        entry = self._entries.get(item_id)
        return entry.item if entry is not None else None

    # ------------------------------------------------------------ leases

    def lease(self, now_ms: int, limit: int, lease_ms: int) -> list[Lease]:
        """Lease up to ``limit`` leasable items, best score first."""
        self._reclaim_expired(now_ms)
        self._promote_due(now_ms)
        leases: list[Lease] = []
        not_due: list[_Entry] = []
        while self._ready and len(leases) < limit:
            _, _, gen, item_id = heapq.heappop(self._ready)
            entry = self._valid(item_id, gen)
            if entry is None:
                continue
            if entry.item.due_at_ms > now_ms:  # only when a caller's clock went backwards
                not_due.append(entry)
                continue
            lease = Lease(item=entry.item, lease_id=uuid.uuid4().hex, expires_at_ms=now_ms + lease_ms)
            entry.lease = lease
            heapq.heappush(self._expiry, (lease.expires_at_ms, item_id, lease.lease_id))
            leases.append(lease)
        for entry in not_due:
            self._push_waiting(entry)
        return leases

    def extend(self, lease: Lease, now_ms: int, lease_ms: int) -> Lease | None:
        """Extend a lease still held at ``now_ms``; None when it expired or the item is gone."""
        entry = self._holder(lease)
        if entry is None or entry.lease is None or entry.lease.expires_at_ms <= now_ms:
            return None
        extended = replace(entry.lease, expires_at_ms=now_ms + lease_ms)
        entry.lease = extended
        heapq.heappush(self._expiry, (extended.expires_at_ms, lease.item.item_id, lease.lease_id))
        return extended

    def release(self, lease: Lease, due_at_ms: int) -> QueueItem | None:
        """Drop the lease and reschedule the item at ``due_at_ms``; return the rescheduled item.

        None when the lease is no longer the item's current one (nothing changes then).
        """
        entry = self._holder(lease)
        if entry is None:
            return None
        entry.item = replace(entry.item, due_at_ms=due_at_ms)
        entry.lease = None
        self._push_waiting(entry)
        return entry.item

    def next_due_ms(self) -> int | None:
        """Earliest instant something becomes leasable: a due time or a lease expiry."""
        candidates: list[int] = []
        ready = self._peek(self._ready)
        if ready is not None:
            candidates.append(ready.item.due_at_ms)
        waiting = self._peek(self._waiting)
        if waiting is not None:
            candidates.append(waiting.item.due_at_ms)
        while self._expiry:
            expires_at_ms, item_id, lease_id = self._expiry[0]
            if self._lease_current(item_id, lease_id, expires_at_ms):
                candidates.append(expires_at_ms)
                break
            heapq.heappop(self._expiry)
        return min(candidates) if candidates else None

    # ------------------------------------------------------------ internals

    def _holder(self, lease: Lease) -> _Entry | None:
        entry = self._entries.get(lease.item.item_id)
        if entry is None or entry.lease is None or entry.lease.lease_id != lease.lease_id:
            return None
        return entry

    def _lease_current(self, item_id: str, lease_id: str, expires_at_ms: int) -> bool:
        entry = self._entries.get(item_id)
        return (
            entry is not None
            and entry.lease is not None
            and entry.lease.lease_id == lease_id
            and entry.lease.expires_at_ms == expires_at_ms
        )

    def _valid(self, item_id: str, gen: int) -> _Entry | None:
        entry = self._entries.get(item_id)
        if entry is None or entry.gen != gen or entry.lease is not None:
            return None
        return entry

    def _peek(self, heap: list[_HeapEntry]) -> _Entry | None:
        while heap:
            entry = self._valid(heap[0][3], heap[0][2])
            if entry is not None:
                return entry
            heapq.heappop(heap)
        return None

    def _push_waiting(self, entry: _Entry) -> None:
        entry.gen = next(self._gen)
        heapq.heappush(self._waiting, (entry.item.due_at_ms, entry.seq, entry.gen, entry.item.item_id))

    def _push_ready(self, entry: _Entry) -> None:
        heapq.heappush(self._ready, (score(entry.item), entry.seq, entry.gen, entry.item.item_id))

    def _reclaim_expired(self, now_ms: int) -> None:
        while self._expiry and self._expiry[0][0] <= now_ms:
            expires_at_ms, item_id, lease_id = heapq.heappop(self._expiry)
            if self._lease_current(item_id, lease_id, expires_at_ms):
                entry = self._entries[item_id]
                entry.lease = None
                entry.gen = next(self._gen)
                self._push_ready(entry)

    def _promote_due(self, now_ms: int) -> None:
        while self._waiting and self._waiting[0][0] <= now_ms:
            _, _, gen, item_id = heapq.heappop(self._waiting)
            entry = self._valid(item_id, gen)
            if entry is not None:
                self._push_ready(entry)

    def _maybe_compact(self) -> None:
        """Drop stale heap entries left by removals (e.g. dequeued far-future timeouts)."""
        live = len(self._entries)
        for heap in (self._waiting, self._ready):
            if len(heap) > _COMPACT_FACTOR * live + _COMPACT_FLOOR:
                heap[:] = [e for e in heap if self._valid(e[3], e[2]) is not None]
                heapq.heapify(heap)
        if len(self._expiry) > _COMPACT_FACTOR * live + _COMPACT_FLOOR:
            self._expiry[:] = [e for e in self._expiry if self._lease_current(e[1], e[2], e[0])]
            heapq.heapify(self._expiry)
