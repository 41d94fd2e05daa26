"""In-memory queue index: pending items ordered by due time, plus lease bookkeeping.

Both the memory and the SQLite adapters keep their queue here; SQLite persists the items and
reloads them on ``open()`` (without leases, so work a dead process held becomes available again).

Contract:

* An item is *leasable* when it is due (``due_at_ms <= now_ms``) and holds no unexpired lease.
  Leasable items come out ordered by ``(due_at_ms - priority_ms, insertion order)``.
* A lease expires at ``expires_at_ms``; from that instant (``<= now_ms``) the item is leasable again
  and the old lease can neither be extended nor released.
* ``remove`` deletes an item whatever its lease state (ack and dequeue are the same here).
* Items whose ``keys`` name concurrency slots (``engine.flow.concurrency``) wait, once due, in the
  fair per-key backlogs of ``engine.flow.backlogs`` instead of the ready heap, and are leased only while
  their slots are below their limits; a lease of such an item holds its slots until it is removed,
  released or expires. Under contention, slotted and other items take turns. A lease of an item that
  waited for a slot says so in ``Lease.delayed``.

Heaps use lazy deletion: an entry is valid only while its ``gen`` matches the item's current one,
so removing or re-scheduling an item is O(1) and stale heap entries are skipped when they surface.
"""

from __future__ import annotations

import heapq
import itertools
import uuid
from dataclasses import dataclass, replace

from inngest_lab.engine.flow import concurrency
from inngest_lab.engine.flow.backlogs import Backlogs, Started
from inngest_lab.engine.model import ItemKind, Json, Lease, QueueItem
from inngest_lab.store.ports.maintenance import FLOW_REASONS, timer_hold

_HeapEntry = tuple[int, int, int, str]  # (key ms, insertion seq, gen, item_id)
_Token = tuple[int, str]  # (gen, item_id) of an item in the backlogs

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
    slots: tuple[concurrency.Slot, ...] = ()  # concurrency slots the item needs to run
    started: Started[_Token] | None = None  # set while a lease holds the slots
    hold: str | None = None  # the flow-control reason it holds its run back for, until leased or removed


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
        self._backlogs: Backlogs[_Token] = Backlogs()
        self._slotted_turn = False  # under contention, slotted and other items alternate
        self._now_ms = 0  # the latest ``now_ms`` seen, for calls that carry none
        self._holds = dict.fromkeys(FLOW_REASONS, 0)  # entries whose ``hold`` is set, by reason

    # ------------------------------------------------------------ membership

    def add(self, item: QueueItem) -> bool:
        """Add ``item`` unless its id is already queued; return True when added."""
        if item.item_id in self._entries:
            return False
        entry = _Entry(item=item, seq=next(self._seq), gen=next(self._gen))
        if item.keys and item.kind is ItemKind.CALL:
            entry.slots = concurrency.slots(item.keys)
        self._entries[item.item_id] = entry
        heapq.heappush(self._waiting, (item.due_at_ms, entry.seq, entry.gen, item.item_id))
        reason = timer_hold(item)
        if reason is not None:
            self._set_hold(entry, reason)
        return True

    def hold(self, item_id: str, reason: str) -> None:
        """Count queued, unleased ``item_id`` as holding its run back for ``reason`` until it is leased or removed."""
        entry = self._entries.get(item_id)
        if entry is not None and entry.lease is None and entry.hold is None:
            self._set_hold(entry, reason)

    def flow_waiting(self) -> dict[str, int]:
        """Runs held back by flow control, by reason (``StoreGauges.flow_waiting``)."""
        return dict(self._holds)

    def _set_hold(self, entry: _Entry, reason: str) -> None:
        entry.hold = reason
        self._holds[reason] = self._holds.get(reason, 0) + 1

    def _clear_hold(self, entry: _Entry) -> None:
        if entry.hold is not None:
            self._holds[entry.hold] -= 1
            entry.hold = None

    def remove(self, item_id: str) -> bool:
        """Forget ``item_id`` (and its lease); return True when it was queued."""
        entry = self._entries.pop(item_id, None)
        if entry is None:
            return False
        self._clear_hold(entry)
        self._free_slots(entry)
        self._maybe_compact()
        return True

    def __contains__(self, item_id: object) -> bool:
        return item_id in self._entries

    def __len__(self) -> int:
        return len(self._entries)

    def get(self, item_id: str) -> QueueItem | None:
        entry = self._entries.get(item_id)
        return entry.item if entry is not None else None

    # ------------------------------------------------------------ leases

    def lease(self, now_ms: int, limit: int, lease_ms: int) -> list[Lease]:
        """Lease up to ``limit`` leasable items, best score first (slotted ones as their backlogs allow)."""
        self._now_ms = max(self._now_ms, now_ms)
        self._reclaim_expired(now_ms)
        self._promote_due(now_ms)
        leases: list[Lease] = []
        if not self._backlogs:
            while len(leases) < limit and (entry := self._pop_ready(now_ms)) is not None:
                leases.append(self._grant(entry, now_ms, lease_ms))
            return leases
        slotted_first = self._slotted_turn
        while len(leases) < limit:
            lease = self._lease_slotted(now_ms, lease_ms) if slotted_first else self._lease_ready(now_ms, lease_ms)
            if lease is not None:
                slotted_first = not slotted_first  # the other kind has the next turn
            else:
                lease = self._lease_ready(now_ms, lease_ms) if slotted_first else self._lease_slotted(now_ms, lease_ms)
                if lease is None:
                    break
            leases.append(lease)
        self._slotted_turn = slotted_first
        return leases

    def refuse(self, lease: Lease, retry_at_ms: int) -> bool:
        """Undo the lease of a slotted item whose slots a shared store refused; retry its backlog at ``retry_at_ms``.

        False (nothing changes) when ``lease`` is no longer the item's current lease.
        """
        entry = self._holder(lease)
        if entry is None or entry.started is None:
            return False
        started, entry.started, entry.lease = entry.started, None, None
        entry.gen = next(self._gen)
        self._clear_hold(entry)
        self._set_hold(entry, "concurrency")
        item = entry.item
        token = (entry.gen, item.item_id)
        self._backlogs.refused(
            Started(token, started.slots, started.waited, started.since_ms),
            item.fn_id,
            score(item),
            item.due_at_ms,
            retry_at_ms,
        )
        return True

    def _lease_ready(self, now_ms: int, lease_ms: int) -> Lease | None:
        entry = self._pop_ready(now_ms)
        return self._grant(entry, now_ms, lease_ms) if entry is not None else None

    def _lease_slotted(self, now_ms: int, lease_ms: int) -> Lease | None:
        started = self._backlogs.take(1, now_ms, self._valid_token)
        if not started:
            return None
        entry = self._entries[started[0].token[1]]
        entry.started = started[0]
        delayed: Json = None
        waited = started[0].waited
        if waited is not None:
            delayed = {"reason": "concurrency", "key": waited.key, "limit": waited.limit, "since_ms": waited.since_ms}
        return self._grant(entry, now_ms, lease_ms, delayed)

    def _pop_ready(self, now_ms: int) -> _Entry | None:
        while self._ready:
            _, _, gen, item_id = heapq.heappop(self._ready)
            entry = self._valid(item_id, gen)
            if entry is None:
                continue
            if entry.item.due_at_ms > now_ms:  # only when a caller's clock went backwards
                self._push_waiting(entry)
                continue
            return entry
        return None

    def _grant(self, entry: _Entry, now_ms: int, lease_ms: int, delayed: Json = None) -> Lease:
        if entry.hold is not None:
            self._clear_hold(entry)
        lease = Lease(item=entry.item, lease_id=uuid.uuid4().hex, expires_at_ms=now_ms + lease_ms, delayed=delayed)
        entry.lease = lease
        heapq.heappush(self._expiry, (lease.expires_at_ms, entry.item.item_id, lease.lease_id))
        return lease

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
        self._free_slots(entry)
        self._push_waiting(entry)
        return entry.item

    def oldest_waiting_due_ms(self) -> int | None:
        """The earliest due time of an item no lease holds (O(n): for metrics scrapes, not the hot path)."""
        return min((e.item.due_at_ms for e in self._entries.values() if e.lease is None), default=None)

    def next_due_ms(self) -> int | None:
        """Earliest instant something becomes leasable: a due time or a lease expiry."""
        candidates: list[int] = []
        ready = self._peek(self._ready)
        if ready is not None:
            candidates.append(ready.item.due_at_ms)
        waiting = self._peek(self._waiting)
        if waiting is not None:
            candidates.append(waiting.item.due_at_ms)
        if self._backlogs:
            slotted = self._backlogs.next_due_ms(self._valid_token)
            if slotted is not None:
                candidates.append(slotted)
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

    def _push_ready(self, entry: _Entry, now_ms: int) -> None:
        if entry.slots:
            item = entry.item
            if entry.hold != "concurrency":  # due, so waiting for its slots now (not for a throttle)
                self._clear_hold(entry)
                self._set_hold(entry, "concurrency")
            self._backlogs.push(item.fn_id, entry.slots, score(item), item.due_at_ms, now_ms, (entry.gen, item.item_id))
            return
        heapq.heappush(self._ready, (score(entry.item), entry.seq, entry.gen, entry.item.item_id))

    def _valid_token(self, token: _Token) -> bool:
        return self._valid(token[1], token[0]) is not None

    def _free_slots(self, entry: _Entry) -> None:
        """The item stops holding its concurrency slots (its lease ended one way or another)."""
        if entry.started is not None:
            self._backlogs.finished(entry.started.slots, self._now_ms)
            entry.started = None

    def _reclaim_expired(self, now_ms: int) -> None:
        while self._expiry and self._expiry[0][0] <= now_ms:
            expires_at_ms, item_id, lease_id = heapq.heappop(self._expiry)
            if self._lease_current(item_id, lease_id, expires_at_ms):
                entry = self._entries[item_id]
                entry.lease = None
                self._free_slots(entry)
                entry.gen = next(self._gen)
                self._push_ready(entry, now_ms)

    def _promote_due(self, now_ms: int) -> None:
        while self._waiting and self._waiting[0][0] <= now_ms:
            _, _, gen, item_id = heapq.heappop(self._waiting)
            entry = self._valid(item_id, gen)
            if entry is not None:
                self._push_ready(entry, now_ms)

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
