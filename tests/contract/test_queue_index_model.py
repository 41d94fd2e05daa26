"""The shared QueueIndex against a naive model: same leases, same order, same wake-up times."""

from __future__ import annotations

from dataclasses import dataclass, replace

from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

from inngest_lab.engine.model import Lease, QueueItem
from inngest_lab.store.queue_index import QueueIndex

from .records import an_item

IDS = st.sampled_from([f"i{n}" for n in range(6)])
LEASE_MS = 20


@dataclass
class ModelEntry:
    item: QueueItem
    seq: int
    lease: Lease | None = None


class QueueIndexMachine(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.index = QueueIndex()
        self.model: dict[str, ModelEntry] = {}
        self.seq = 0
        self.now = 0
        self.leases: list[Lease] = []

    @rule(item_id=IDS, delay=st.integers(0, 40), priority=st.integers(0, 30))
    def add(self, item_id: str, delay: int, priority: int) -> None:
        item = an_item(item_id, due_at_ms=self.now + delay, priority_ms=priority)
        added = self.index.add(item)
        assert added == (item_id not in self.model)
        if added:
            self.seq += 1
            self.model[item_id] = ModelEntry(item, self.seq)

    @rule(item_id=IDS)
    def remove(self, item_id: str) -> None:
        assert self.index.remove(item_id) == (self.model.pop(item_id, None) is not None)

    @rule(step=st.integers(0, 30))
    def advance(self, step: int) -> None:
        self.now += step

    @rule(limit=st.integers(1, 4))
    def lease(self, limit: int) -> None:
        for entry in self.model.values():
            if entry.lease is not None and entry.lease.expires_at_ms <= self.now:
                entry.lease = None
        ready = sorted(
            (e for e in self.model.values() if e.lease is None and e.item.due_at_ms <= self.now),
            key=lambda e: (e.item.due_at_ms - e.item.priority_ms, e.seq),
        )[:limit]
        leases = self.index.lease(self.now, limit, LEASE_MS)
        assert [lease.item.item_id for lease in leases] == [e.item.item_id for e in ready]
        for entry, lease in zip(ready, leases, strict=True):
            assert lease.item == entry.item
            assert lease.expires_at_ms == self.now + LEASE_MS
            entry.lease = lease
        self.leases.extend(leases)

    @precondition(lambda self: bool(self.leases))
    @rule(pick=st.integers(0, 1_000), delay=st.integers(0, 40))
    def release(self, pick: int, delay: int) -> None:
        lease = self.leases[pick % len(self.leases)]
        entry = self.model.get(lease.item.item_id)
        current = entry is not None and entry.lease is not None and entry.lease.lease_id == lease.lease_id
        released = self.index.release(lease, self.now + delay)
        assert (released is not None) == current
        if entry is not None and current:
            entry.item = replace(entry.item, due_at_ms=self.now + delay)
            entry.lease = None

    @precondition(lambda self: bool(self.leases))
    @rule(pick=st.integers(0, 1_000))
    def extend(self, pick: int) -> None:
        lease = self.leases[pick % len(self.leases)]
        entry = self.model.get(lease.item.item_id)
        held = (
            entry is not None
            and entry.lease is not None
            and entry.lease.lease_id == lease.lease_id
            and entry.lease.expires_at_ms > self.now
        )
        extended = self.index.extend(lease, self.now, LEASE_MS)
        assert (extended is not None) == held
        if entry is not None and extended is not None:
            entry.lease = extended

    @invariant()
    def depth_matches(self) -> None:
        assert len(self.index) == len(self.model)

    @invariant()
    def next_due_matches(self) -> None:
        times = [e.item.due_at_ms if e.lease is None else e.lease.expires_at_ms for e in self.model.values()]
        expected = min(times, default=None)
        actual = self.index.next_due_ms()
        if expected is None or expected > self.now:
            assert actual == expected
        else:  # something is leasable already: any time not after now means "now"
            assert actual is not None
            assert actual <= self.now


QueueIndexMachine.TestCase.settings = settings(max_examples=300, stateful_step_count=40, deadline=None)
test_queue_index_behaves_like_the_naive_model = QueueIndexMachine.TestCase
