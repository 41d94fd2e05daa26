"""Pauses: creation, queries, deletion, and exactly-once consumption."""

from __future__ import annotations

import asyncio

from inngest_lab.engine.model import ConsumePause, CreatePause, DeletePause
from inngest_lab.store.ports import Store

from .records import a_pause, an_item


async def test_pauses_are_found_by_event_name_and_by_run(store: Store) -> None:
    p1 = a_pause("p1", run_id="run-1", event_name="test/approved", at_ms=2)
    p2 = a_pause("p2", run_id="run-2", event_name="test/approved", at_ms=1)
    p3 = a_pause("p3", run_id="run-1", event_name="test/rejected", at_ms=3)
    await store.apply([CreatePause(p1), CreatePause(p2), CreatePause(p3)])

    assert await store.pauses_for_event("test/approved") == [p2, p1]
    assert await store.pauses_for_event("test/other") == []
    assert await store.pauses_for_run("run-1") == [p1, p3]


async def test_deleted_pauses_are_gone(store: Store) -> None:
    await store.apply([CreatePause(a_pause("p1")), CreatePause(a_pause("p2"))])

    await store.apply([DeletePause("p1"), DeletePause("missing")])

    assert [p.pause_id for p in await store.pauses_for_event("test/approved")] == ["p2"]


async def test_consuming_a_pause_deletes_it_and_enqueues_the_resume(store: Store) -> None:
    await store.apply([CreatePause(a_pause("p1"))])

    await store.apply([ConsumePause("p1", an_item("resume", payload={"event": 1}))])

    assert await store.pauses_for_run("run-1") == []
    [lease] = await store.lease(0, 10, 1_000)
    assert (lease.item.item_id, lease.item.payload) == ("resume", {"event": 1})


async def test_consuming_a_missing_pause_enqueues_nothing(store: Store) -> None:
    await store.apply([ConsumePause("never-created", an_item("resume"))])

    assert await store.depth() == 0


async def test_two_concurrent_consumers_resume_a_pause_exactly_once(store: Store) -> None:
    wakes: list[int] = []
    store.subscribe(lambda: wakes.append(1))
    await store.apply([CreatePause(a_pause("p1"))])

    # Two events race for one pause; each would resume the run with its own item.
    await asyncio.gather(
        store.apply([ConsumePause("p1", an_item("resume-by-event-a"))]),
        store.apply([ConsumePause("p1", an_item("resume-by-event-b"))]),
    )

    assert await store.depth() == 1
    assert [lease.item.item_id for lease in await store.lease(0, 10, 1_000)] == ["resume-by-event-a"]
    assert wakes == [1]
