"""A read sees every write submitted before it, even one still in flight, and nothing rolled back.

The SQLite store answers recent runs and "no pause" from memory instead of its writer thread; these
pin that such answers are exactly what a read queued behind the writes would return.
"""

from __future__ import annotations

import asyncio
from collections.abc import Coroutine, Sequence
from pathlib import Path
from typing import Any

import pytest

from inngest_lab.engine.model import Command, ConsumePause, CreatePause, DeletePause, Run, SaveRun, SaveStep
from inngest_lab.store.ports import Decide, Store
from inngest_lab.store.sqlite import SqliteStore

from .records import a_pause, a_run, an_item


def append(step_id: str) -> Decide:
    def decide(run: Run | None) -> Sequence[Command]:
        assert run is not None
        return [SaveStep(run.run_id, step_id, {"data": step_id})]

    return decide


async def in_flight(store: Store, write: Coroutine[Any, Any, Any]) -> asyncio.Task[Any]:
    """Start ``write`` and return once it has been submitted (SQLite: it has not settled yet)."""
    task = asyncio.ensure_future(write)
    await asyncio.sleep(0)
    if isinstance(store, SqliteStore):  # the memory store settles writes at once
        assert not task.done()
    return task


async def test_load_run_sees_a_transact_still_in_flight(store: Store) -> None:
    await store.apply([SaveRun(a_run("run-1"))])
    await store.transact("run-1", append("a"))
    assert (await store.load_run("run-1")) is not None  # the run is now held in memory

    pending = await in_flight(store, store.transact("run-1", append("b")))
    run = await store.load_run("run-1")

    assert run is not None
    assert run.stack == ("a", "b")
    await pending


async def test_load_run_never_sees_a_rolled_back_transact(store: Store) -> None:
    await store.apply([SaveRun(a_run("run-1"))])
    await store.transact("run-1", append("a"))

    def boom(run: Run | None) -> Sequence[Command]:
        raise RuntimeError("decide failed")

    with pytest.raises(RuntimeError):
        await store.transact("run-1", boom)
    run = await store.load_run("run-1")

    assert run is not None
    assert run.stack == ("a",)


async def test_pauses_for_event_sees_a_pause_created_by_a_write_in_flight(store: Store) -> None:
    pending = await in_flight(store, store.apply([CreatePause(a_pause("p1", event_name="test/approved"))]))

    assert [p.pause_id for p in await store.pauses_for_event("test/approved")] == ["p1"]
    assert [p.pause_id for p in await store.pauses_for_run("run-1")] == ["p1"]
    await pending


async def test_pauses_disappear_once_deleted_or_consumed(store: Store) -> None:
    await store.apply([CreatePause(a_pause("p1")), CreatePause(a_pause("p2", run_id="run-2"))])
    await store.apply([DeletePause("p1"), ConsumePause("p2", an_item("resume", run_id="run-2"))])
    await store.apply([ConsumePause("p2", an_item("resume-again", run_id="run-2"))])  # already gone: no-op

    assert await store.pauses_for_event("test/approved") == []
    assert await store.pauses_for_run("run-1") == []
    assert await store.pauses_for_run("run-2") == []
    assert [lease.item.item_id for lease in await store.lease(0, 10, 1_000)] == ["resume"]


async def test_pauses_stored_before_reopening_are_found_after_it(tmp_path: Path) -> None:
    path = str(tmp_path / "engine.sqlite3")
    store = SqliteStore(path)
    await store.open()
    await store.apply([CreatePause(a_pause("p1"))])
    await store.close()

    reopened = SqliteStore(path)
    await reopened.open()
    try:
        assert [p.pause_id for p in await reopened.pauses_for_event("test/approved")] == ["p1"]
        assert [p.pause_id for p in await reopened.pauses_for_run("run-1")] == ["p1"]
    finally:
        await reopened.close()
