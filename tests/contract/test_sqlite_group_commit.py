"""SQLite only: callers sharing one commit stay isolated without a savepoint each.

A caller that fails before writing leaves nothing to undo; one that fails after writing makes the
writer roll the batch back and run it again with a savepoint per caller.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Sequence
from pathlib import Path

import pytest

from inngest_lab.engine.model import Command, Run, SaveRun, SaveStep
from inngest_lab.store.ports import Decide
from inngest_lab.store.sqlite import SqliteStore

from .records import a_run


class Unserializable:
    """A memo the JSON encoder rejects: its caller fails after its first write."""


class DecideFailed(Exception):
    pass


def append(step_id: str) -> Decide:
    def decide(run: Run | None) -> Sequence[Command]:
        assert run is not None
        return [SaveStep(run.run_id, step_id, {"data": len(run.stack)})]

    return decide


@pytest.fixture
async def store(tmp_path: Path) -> AsyncIterator[SqliteStore]:
    s = SqliteStore(str(tmp_path / "engine.sqlite3"))
    await s.open()
    await s.apply([SaveRun(a_run("run-1")), SaveRun(a_run("run-2"))])
    try:
        yield s
    finally:
        await s.close()


async def shared_commit(store: SqliteStore, *writes: object) -> list[object]:
    """Run ``writes`` in one batch: a read goes first and alone, the writes queue behind it together."""
    results = await asyncio.gather(store.history("run-0"), *writes, return_exceptions=True)
    return list(results[1:])


async def test_a_caller_failing_after_writing_does_not_undo_the_callers_around_it(store: SqliteStore) -> None:
    committed: list[list[Command]] = []
    store.subscribe_changes(lambda commands: committed.append(list(commands)))

    outcomes = await shared_commit(
        store,
        store.transact("run-1", append("a")),
        store.apply([SaveStep("run-2", "x", 1), SaveStep("run-2", "y", Unserializable())]),
        store.transact("run-1", append("b")),
    )

    assert [type(o) for o in outcomes] == [list, TypeError, list]
    run_1, run_2 = await store.load_run("run-1"), await store.load_run("run-2")
    assert run_1 is not None and run_2 is not None
    assert run_1.stack == ("a", "b")
    assert dict(run_1.steps) == {"a": {"data": 0}, "b": {"data": 1}}  # b's decide saw a, once committed
    assert run_2.stack == ()
    assert committed == [[SaveStep("run-1", "a", {"data": 0})], [SaveStep("run-1", "b", {"data": 1})]]


async def test_a_decide_failing_before_writing_leaves_the_shared_commit_alone(store: SqliteStore) -> None:
    calls: list[str] = []

    def counted(step_id: str) -> Decide:
        inner = append(step_id)

        def decide(run: Run | None) -> Sequence[Command]:
            calls.append(step_id)
            return inner(run)

        return decide

    def boom(run: Run | None) -> Sequence[Command]:
        raise DecideFailed

    outcomes = await shared_commit(
        store,
        store.transact("run-1", counted("a")),
        store.transact("run-2", boom),
        store.transact("run-1", counted("b")),
    )

    assert isinstance(outcomes[1], DecideFailed)
    assert calls == ["a", "b"]  # no rollback and no second run of anyone's decide
    run = await store.load_run("run-1")
    assert run is not None
    assert run.stack == ("a", "b")
