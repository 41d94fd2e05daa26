"""SQLite only: what survives closing and reopening the file (a crash or a restart), group commit, the run cache."""

from __future__ import annotations

import asyncio
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from inngest_lab.engine.model import CreatePause, Enqueue, SaveRun, SaveStep
from inngest_lab.store.migrations import MIGRATIONS
from inngest_lab.store.sqlite import SqliteStore
from inngest_lab.store.sqlite_writer import GroupCommitWriter

from .records import a_pause, a_run, an_item

LEASE_MS = 60_000


async def test_leased_but_unacked_items_are_leasable_again_after_reopening(tmp_path: Path) -> None:
    path = str(tmp_path / "engine.sqlite3")
    store = SqliteStore(path)
    await store.open()
    await store.apply([Enqueue(an_item("a", due_at_ms=1)), Enqueue(an_item("b", due_at_ms=2))])
    assert len(await store.lease(10, 10, LEASE_MS)) == 2
    await store.close()

    reopened = SqliteStore(path)
    await reopened.open()
    try:
        assert [lease.item.item_id for lease in await reopened.lease(10, 10, LEASE_MS)] == ["a", "b"]
    finally:
        await reopened.close()


async def test_runs_steps_pauses_and_released_due_times_survive_reopening(tmp_path: Path) -> None:
    path = str(tmp_path / "engine.sqlite3")
    store = SqliteStore(path)
    await store.open()
    await store.apply([SaveRun(a_run("run-1")), SaveStep("run-1", "a", {"data": 1}), CreatePause(a_pause("p1"))])
    await store.apply([Enqueue(an_item("retry", due_at_ms=0))])
    [lease] = await store.lease(0, 1, LEASE_MS)
    await store.release(lease, due_at_ms=5_000)
    await store.close()

    reopened = SqliteStore(path)
    await reopened.open()
    try:
        run = await reopened.load_run("run-1")
        assert run is not None
        assert run.stack == ("a",)
        assert [p.pause_id for p in await reopened.pauses_for_run("run-1")] == ["p1"]
        assert reopened.next_due_ms() == 5_000
        assert await reopened.lease(4_999, 1, LEASE_MS) == []
    finally:
        await reopened.close()


async def test_steps_saved_after_reopening_stay_after_earlier_steps(tmp_path: Path) -> None:
    path = str(tmp_path / "engine.sqlite3")
    store = SqliteStore(path)
    await store.open()
    await store.apply([SaveRun(a_run("run-1")), SaveStep("run-1", "z", 1)])
    await store.close()

    reopened = SqliteStore(path)
    await reopened.open()
    try:
        await reopened.apply([SaveStep("run-1", "a", 2)])
        run = await reopened.load_run("run-1")
        assert run is not None
        assert run.stack == ("z", "a")
    finally:
        await reopened.close()


async def test_open_creates_parent_directories_and_records_the_schema_version(tmp_path: Path) -> None:
    path = tmp_path / "deep" / "er" / "engine.sqlite3"
    store = SqliteStore(str(path))
    await store.open()
    await store.close()

    with sqlite3.connect(path) as conn:
        versions = [row[0] for row in conn.execute("SELECT version FROM schema_migrations ORDER BY version")]
        journal = conn.execute("PRAGMA journal_mode").fetchone()[0]
    assert versions == [m.version for m in MIGRATIONS]
    assert journal == "wal"


async def test_an_in_memory_database_works(tmp_path: Path) -> None:
    store = SqliteStore(":memory:")
    await store.open()
    try:
        await store.apply([SaveRun(a_run("run-1"))])
        assert await store.load_run("run-1") is not None
    finally:
        await store.close()


# ---------------------------------------------------------------- group commit and the run cache


class Unserializable:
    """A memo the JSON encoder rejects, to fail a caller after some of its writes ran."""


async def test_a_caller_failing_midway_leaves_no_trace_in_reads(tmp_path: Path) -> None:
    store = SqliteStore(str(tmp_path / "engine.sqlite3"))
    await store.open()
    try:
        await store.apply([SaveRun(a_run("run-1"))])
        await store.load_run("run-1")  # warm the cache

        with pytest.raises(TypeError):
            await store.transact(
                "run-1", lambda run: [SaveStep("run-1", "a", 1), SaveStep("run-1", "b", Unserializable())]
            )

        run = await store.load_run("run-1")
        assert run is not None
        assert run.stack == ()
    finally:
        await store.close()


async def test_concurrent_callers_share_one_commit_and_a_failure_stays_with_its_caller(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    batches: list[int] = []
    execute = GroupCommitWriter._execute

    def counting(conn: sqlite3.Connection, batch: list[Any]) -> list[Any]:
        batches.append(len(batch))
        return execute(conn, batch)

    monkeypatch.setattr(GroupCommitWriter, "_execute", staticmethod(counting))
    store = SqliteStore(str(tmp_path / "engine.sqlite3"))
    await store.open()
    try:
        await store.apply([SaveRun(a_run("run-1"))])
        await store.load_run("run-1")
        batches.clear()

        outcomes = await asyncio.gather(
            store.apply([SaveStep("run-1", "a", 1)]),
            store.apply([SaveStep("run-1", "b", 2), SaveStep("run-1", "c", Unserializable())]),
            store.apply([SaveStep("run-1", "d", 3)]),
            return_exceptions=True,
        )

        assert [type(o) for o in outcomes] == [type(None), TypeError, type(None)]
        assert sum(batches) == 3
        assert len(batches) <= 2  # the first caller may go alone; the rest share the next commit
        run = await store.load_run("run-1")
        assert run is not None
        assert run.stack == ("a", "d")
    finally:
        await store.close()

    reopened = SqliteStore(str(tmp_path / "engine.sqlite3"))
    await reopened.open()
    try:
        run = await reopened.load_run("run-1")
        assert run is not None
        assert run.stack == ("a", "d")
    finally:
        await reopened.close()
