"""Operator records: JSON by (kind, id), written atomically with the commands that go with them."""

from __future__ import annotations

from inngest_lab.engine.model import Enqueue
from inngest_lab.store.ports import Store

from .records import an_item


async def test_a_record_is_read_back_and_listed_newest_first(store: Store) -> None:
    await store.put_record("cancellation", "a", 1, {"id": "a"})
    await store.put_record("cancellation", "b", 2, {"id": "b"})
    await store.put_record("function_pause", "a", 3, {"fn": "a"})

    assert await store.get_record("cancellation", "a") == {"id": "a"}
    assert await store.get_record("cancellation", "zzz") is None
    assert await store.list_records("cancellation") == [{"id": "b"}, {"id": "a"}]
    assert await store.list_records("function_pause") == [{"fn": "a"}]


async def test_replacing_a_record_keeps_its_place_in_the_listing(store: Store) -> None:
    await store.put_record("cancellation", "a", 1, {"v": 1})
    await store.put_record("cancellation", "b", 2, {"v": 2})
    await store.put_record("cancellation", "a", 9, {"v": 3})

    assert await store.list_records("cancellation") == [{"v": 2}, {"v": 3}]


async def test_put_applies_its_commands_in_the_same_write(store: Store) -> None:
    await store.put_record("cancellation", "a", 1, {"id": "a"}, [Enqueue(an_item("bulk/a", due_at_ms=5))])

    assert store.next_due_ms() == 5
    [lease] = await store.lease(5, 10, 1000)
    assert lease.item.item_id == "bulk/a"


async def test_delete_says_whether_the_record_existed(store: Store) -> None:
    await store.put_record("function_pause", "app-fn", 1, {"paused_at": 1})

    assert await store.delete_record("function_pause", "app-fn") is True
    assert await store.delete_record("function_pause", "app-fn") is False
    assert await store.get_record("function_pause", "app-fn") is None
