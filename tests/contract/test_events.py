"""Stored events: lookup, newest-first listing, filters and the cursor."""

from __future__ import annotations

from inngest_lab.engine.model import StoreEvent
from inngest_lab.store.ports import Store

from .records import an_event


async def test_a_stored_event_is_found_by_internal_id(store: Store) -> None:
    event = an_event("01A")
    await store.apply([StoreEvent(event)])

    assert await store.get_event("01A") == event
    assert await store.get_event("01B") is None


async def test_storing_an_event_id_twice_keeps_the_first(store: Store) -> None:
    first = an_event("01A", name="test/first")
    await store.apply([StoreEvent(first)])
    await store.apply([StoreEvent(an_event("01A", name="test/second"))])

    assert await store.get_event("01A") == first


async def test_list_events_is_newest_first_with_a_cursor(store: Store) -> None:
    await store.apply([StoreEvent(an_event(i)) for i in ["01C", "01A", "01D", "01B"]])

    page1 = await store.list_events(limit=2)
    page2 = await store.list_events(limit=2, before_id=page1[-1].internal_id)

    assert [e.internal_id for e in page1] == ["01D", "01C"]
    assert [e.internal_id for e in page2] == ["01B", "01A"]


async def test_list_events_filters_by_name_and_time_window(store: Store) -> None:
    await store.apply(
        [
            StoreEvent(an_event("01A", name="test/a", received_at_ms=100)),
            StoreEvent(an_event("01B", name="test/b", received_at_ms=200)),
            StoreEvent(an_event("01C", name="test/a", received_at_ms=300)),
        ]
    )

    assert [e.internal_id for e in await store.list_events(name="test/a")] == ["01C", "01A"]
    assert [e.internal_id for e in await store.list_events(since_ms=200, until_ms=300)] == ["01B"]
