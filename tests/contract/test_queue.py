"""The queue: idempotent enqueue, due-time ordering, leases, release, wake-ups."""

from __future__ import annotations

from inngest_lab.engine.model import Ack, Dequeue, Enqueue, SaveRun
from inngest_lab.store.ports import Store

from .records import a_run, an_item

LEASE_MS = 1_000


async def leased_ids(store: Store, now_ms: int, limit: int = 10) -> list[str]:
    return [lease.item.item_id for lease in await store.lease(now_ms, limit, LEASE_MS)]


async def test_enqueueing_an_existing_item_id_is_a_no_op(store: Store) -> None:
    await store.apply([Enqueue(an_item("i", due_at_ms=5, payload="first"))])
    await store.apply([Enqueue(an_item("i", due_at_ms=1, payload="second"))])

    leases = await store.lease(10, 10, LEASE_MS)

    assert [(lease.item.payload, lease.item.due_at_ms) for lease in leases] == [("first", 5)]
    assert await store.depth() == 1


async def test_lease_returns_due_items_earliest_first_then_in_insertion_order(store: Store) -> None:
    await store.apply([Enqueue(an_item(i, due_at_ms=due)) for i, due in [("c", 30), ("a", 10), ("b1", 20)]])
    await store.apply([Enqueue(an_item("b2", due_at_ms=20))])

    assert await leased_ids(store, now_ms=30) == ["a", "b1", "b2", "c"]


async def test_lease_leaves_items_that_are_not_due_yet(store: Store) -> None:
    await store.apply([Enqueue(an_item("now", due_at_ms=100)), Enqueue(an_item("later", due_at_ms=101))])

    assert await leased_ids(store, now_ms=100) == ["now"]
    assert await leased_ids(store, now_ms=101) == ["later"]


async def test_lease_respects_the_limit(store: Store) -> None:
    await store.apply([Enqueue(an_item(f"i{n}", due_at_ms=n)) for n in range(5)])

    assert await leased_ids(store, now_ms=10, limit=2) == ["i0", "i1"]
    assert await leased_ids(store, now_ms=10, limit=2) == ["i2", "i3"]


async def test_priority_moves_an_item_ahead_of_work_due_up_to_that_much_earlier(store: Store) -> None:
    await store.apply(
        [
            Enqueue(an_item("old", due_at_ms=100)),
            Enqueue(an_item("urgent", due_at_ms=150, priority_ms=80)),
            Enqueue(an_item("older", due_at_ms=80)),
        ]
    )

    assert await leased_ids(store, now_ms=200) == ["urgent", "older", "old"]


async def test_priority_does_not_make_a_future_item_due_early(store: Store) -> None:
    await store.apply([Enqueue(an_item("future", due_at_ms=500, priority_ms=1_000))])

    assert await leased_ids(store, now_ms=100) == []


async def test_a_leased_item_is_not_leased_again_while_the_lease_holds(store: Store) -> None:
    await store.apply([Enqueue(an_item("i", due_at_ms=0))])
    [lease] = await store.lease(0, 10, LEASE_MS)

    assert lease.expires_at_ms == LEASE_MS
    assert await leased_ids(store, now_ms=LEASE_MS - 1) == []


async def test_an_expired_lease_makes_the_item_available_again(store: Store) -> None:
    await store.apply([Enqueue(an_item("i", due_at_ms=0))])
    [first] = await store.lease(0, 10, LEASE_MS)

    [second] = await store.lease(LEASE_MS, 10, LEASE_MS)

    assert second.item.item_id == "i"
    assert second.lease_id != first.lease_id
    assert await store.extend(first, LEASE_MS, LEASE_MS) is None  # the dead worker lost it


async def test_extending_a_held_lease_keeps_the_item_leased(store: Store) -> None:
    await store.apply([Enqueue(an_item("i", due_at_ms=0))])
    [lease] = await store.lease(0, 10, LEASE_MS)

    extended = await store.extend(lease, 900, LEASE_MS)

    assert extended is not None
    assert extended.expires_at_ms == 1_900
    assert await leased_ids(store, now_ms=1_500) == []
    assert await leased_ids(store, now_ms=1_900) == ["i"]


async def test_extending_an_expired_lease_fails(store: Store) -> None:
    await store.apply([Enqueue(an_item("i", due_at_ms=0))])
    [lease] = await store.lease(0, 10, LEASE_MS)

    assert await store.extend(lease, LEASE_MS, LEASE_MS) is None


async def test_release_reschedules_the_item_without_acking_it(store: Store) -> None:
    await store.apply([Enqueue(an_item("i", due_at_ms=0))])
    [lease] = await store.lease(0, 10, LEASE_MS)

    await store.release(lease, due_at_ms=500)

    assert await store.depth() == 1
    assert await leased_ids(store, now_ms=499) == []
    [again] = await store.lease(500, 10, LEASE_MS)
    assert again.item.due_at_ms == 500


async def test_releasing_a_lost_lease_changes_nothing(store: Store) -> None:
    await store.apply([Enqueue(an_item("i", due_at_ms=0))])
    [lost] = await store.lease(0, 10, LEASE_MS)
    [current] = await store.lease(LEASE_MS, 10, LEASE_MS)

    await store.release(lost, due_at_ms=0)

    assert await leased_ids(store, now_ms=LEASE_MS + 1) == []
    assert await store.extend(current, LEASE_MS + 1, LEASE_MS) is not None


async def test_ack_deletes_a_leased_item(store: Store) -> None:
    await store.apply([Enqueue(an_item("i", due_at_ms=0))])
    [lease] = await store.lease(0, 10, LEASE_MS)

    await store.apply([Ack("i")])

    assert await store.depth() == 0
    assert await leased_ids(store, now_ms=10 * LEASE_MS) == []
    assert await store.extend(lease, 1, LEASE_MS) is None


async def test_dequeue_deletes_a_pending_item_and_ignores_a_missing_one(store: Store) -> None:
    await store.apply([Enqueue(an_item("timeout", due_at_ms=100)), Enqueue(an_item("other", due_at_ms=100))])

    await store.apply([Dequeue("timeout"), Dequeue("never-queued")])

    assert await leased_ids(store, now_ms=100) == ["other"]


async def test_an_acked_item_id_can_be_enqueued_again(store: Store) -> None:
    await store.apply([Enqueue(an_item("i", due_at_ms=0))])
    await store.apply([Ack("i")])
    await store.apply([Enqueue(an_item("i", due_at_ms=5))])

    assert await leased_ids(store, now_ms=5) == ["i"]


async def test_next_due_ms_is_the_earliest_unleased_due_time(store: Store) -> None:
    assert store.next_due_ms() is None
    await store.apply([Enqueue(an_item("late", due_at_ms=300)), Enqueue(an_item("soon", due_at_ms=200))])

    assert store.next_due_ms() == 200


async def test_next_due_ms_includes_lease_expiry(store: Store) -> None:
    await store.apply([Enqueue(an_item("i", due_at_ms=0)), Enqueue(an_item("late", due_at_ms=5_000))])
    await store.lease(0, 1, LEASE_MS)

    assert store.next_due_ms() == LEASE_MS
    await store.apply([Ack("i")])
    assert store.next_due_ms() == 5_000


async def test_subscribers_are_woken_after_a_commit_that_enqueues(store: Store) -> None:
    wakes: list[int] = []
    store.subscribe(lambda: wakes.append(1))

    await store.apply([SaveRun(a_run("run-1"))])
    assert wakes == []
    await store.apply([Enqueue(an_item("i"))])
    assert wakes == [1]
    await store.apply([Enqueue(an_item("i"))])  # already queued: nothing new
    assert wakes == [1]


async def test_depth_counts_pending_and_leased_items(store: Store) -> None:
    await store.apply([Enqueue(an_item(f"i{n}", due_at_ms=n)) for n in range(3)])
    await store.lease(0, 1, LEASE_MS)

    assert await store.depth() == 3
