"""The gauge of runs flow control holds back, by reason (``StoreGauges.flow_waiting``), on every adapter."""

from __future__ import annotations

import time
from dataclasses import replace
from pathlib import Path

from inngest_lab.engine.ids import start_item_id
from inngest_lab.engine.model import Ack, AppendHistory, Dequeue, Enqueue, HistoryEntry, HistoryKind, ItemKind
from inngest_lab.store.ports import Store
from inngest_lab.store.sqlite import SqliteStore

from .records import an_item

LEASE_MS = 30_000
NONE_WAITING = {"concurrency": 0, "throttle": 0, "debounce": 0, "batch": 0}


async def _waiting(store: Store, now_ms: int) -> dict[str, int]:
    return dict((await store.gauges(now_ms)).flow_waiting)


async def test_steps_waiting_for_a_concurrency_slot_are_counted_until_leased(store: Store) -> None:
    slotted = [replace(an_item(f"call-{i}", run_id=f"run-{i}"), keys=("c:1:f:app-fn",)) for i in range(3)]
    await store.apply([Enqueue(item) for item in slotted])
    assert await _waiting(store, 100) == NONE_WAITING, "not yet found blocked"

    for left in (2, 1, 0):
        [lease] = await store.lease(100, 10, LEASE_MS)
        assert await _waiting(store, 100) == {**NONE_WAITING, "concurrency": left}
        await store.apply([Ack(lease.item.item_id)])

    assert await store.lease(100, 10, LEASE_MS) == []
    assert await _waiting(store, 100) == NONE_WAITING


async def test_a_throttled_start_is_counted_until_its_first_call_is_leased(store: Store) -> None:
    start = replace(an_item(start_item_id("run-t"), run_id="run-t"), due_at_ms=5_000)
    plain = an_item("other", run_id="run-p", due_at_ms=5_000)
    throttled = HistoryEntry("run-t", 100, HistoryKind.RUN_THROTTLED, data={"until_ms": 5_000})
    await store.apply([Enqueue(start), Enqueue(plain), AppendHistory(throttled)])
    assert await _waiting(store, 100) == {**NONE_WAITING, "throttle": 1}

    assert await store.lease(4_999, 10, LEASE_MS) == []
    assert await _waiting(store, 4_999) == {**NONE_WAITING, "throttle": 1}
    assert len(await store.lease(5_000, 10, LEASE_MS)) == 2
    assert await _waiting(store, 5_000) == NONE_WAITING


async def test_debounce_timers_and_collecting_batches_are_counted_until_they_fire_or_go(store: Store) -> None:
    debounce = replace(an_item("fn/debounce/0", run_id="debounce-key"), kind=ItemKind.DEBOUNCE, due_at_ms=1_000)
    later = replace(debounce, item_id="fn/debounce/1", due_at_ms=2_000)
    batch = replace(an_item("fn/batch/b1", run_id="batch-key"), kind=ItemKind.BATCH, due_at_ms=3_000)
    await store.apply([Enqueue(debounce), Enqueue(batch)])
    assert await _waiting(store, 100) == {**NONE_WAITING, "debounce": 1, "batch": 1}

    await store.apply([Dequeue(debounce.item_id), Enqueue(later)])  # a new event reset the debounce
    assert await _waiting(store, 100) == {**NONE_WAITING, "debounce": 1, "batch": 1}
    [fired] = await store.lease(2_000, 10, LEASE_MS)
    assert fired.item.item_id == later.item_id
    assert await _waiting(store, 2_000) == {**NONE_WAITING, "batch": 1}
    await store.apply([Ack(later.item_id), Dequeue(batch.item_id)])  # the batch filled up before its timeout
    assert await _waiting(store, 2_000) == NONE_WAITING


async def test_a_reopened_sqlite_store_counts_the_holds_it_reloads(tmp_path: Path) -> None:
    """SQLite keeps its queue index in memory: on open, timers hold by their kind, and a run's first call due in
    the future is a throttled start (nothing else delays it)."""
    path = str(tmp_path / "store.sqlite3")
    later = int(time.time() * 1000) + 3_600_000
    start = replace(an_item(start_item_id("run-t"), run_id="run-t"), due_at_ms=later)
    debounce = replace(an_item("fn/debounce/0", run_id="debounce-key"), kind=ItemKind.DEBOUNCE, due_at_ms=later)
    store = SqliteStore(path)
    await store.open()
    try:
        throttled = HistoryEntry("run-t", 100, HistoryKind.RUN_THROTTLED, data={"until_ms": later})
        await store.apply([Enqueue(start), Enqueue(debounce), AppendHistory(throttled)])
    finally:
        await store.close()

    reopened = SqliteStore(path)
    await reopened.open()
    try:
        assert await _waiting(reopened, 100) == {**NONE_WAITING, "throttle": 1, "debounce": 1}
    finally:
        await reopened.close()
