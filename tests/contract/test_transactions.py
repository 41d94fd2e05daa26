"""apply/transact atomicity, per-run serialization and the change feed."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence

import pytest

from inngest_lab.engine.model import (
    Command,
    EmitEvent,
    Enqueue,
    Run,
    SaveRun,
    SaveStep,
)
from inngest_lab.store.ports import Decide, Store

from .records import a_run, an_item


class DecideFailed(Exception):
    pass


async def test_transact_passes_none_when_the_run_does_not_exist(store: Store) -> None:
    seen: list[Run | None] = []

    def decide(run: Run | None) -> Sequence[Command]:
        seen.append(run)
        return [SaveRun(a_run("run-1"))]

    await store.transact("run-1", decide)

    assert seen == [None]
    assert await store.load_run("run-1") is not None


async def test_transact_returns_the_commands_it_applied(store: Store) -> None:
    await store.apply([SaveRun(a_run("run-1"))])
    commands = [SaveStep("run-1", "a", {"data": 1})]

    returned = await store.transact("run-1", lambda run: commands)

    assert list(returned) == commands
    loaded = await store.load_run("run-1")
    assert loaded is not None
    assert loaded.stack == ("a",)


async def test_concurrent_transacts_on_one_run_are_serialized(store: Store) -> None:
    await store.apply([SaveRun(a_run("run-1"))])

    def append_step(run: Run | None) -> Sequence[Command]:
        assert run is not None
        return [SaveStep("run-1", f"step-{len(run.stack)}", {"data": len(run.stack)})]

    results = await asyncio.gather(*(store.transact("run-1", append_step) for _ in range(20)))

    run = await store.load_run("run-1")
    assert run is not None
    assert run.stack == tuple(f"step-{i}" for i in range(20))  # each decide saw every earlier commit
    assert [r[0].step_id for r in results if isinstance(r[0], SaveStep)] == list(run.stack)


async def test_a_failing_decide_rolls_back_only_its_own_writes(store: Store) -> None:
    await store.apply([SaveRun(a_run("run-1")), SaveRun(a_run("run-2"))])

    def ok(step_id: str) -> Decide:
        return lambda run: [SaveStep("run-1", step_id, 1), Enqueue(an_item(f"item-{step_id}"))]

    def boom(run: Run | None) -> Sequence[Command]:
        raise DecideFailed

    outcomes = await asyncio.gather(
        store.transact("run-1", ok("a")),
        store.transact("run-2", boom),
        store.transact("run-1", ok("b")),
        return_exceptions=True,
    )

    assert isinstance(outcomes[1], DecideFailed)
    assert not isinstance(outcomes[0], BaseException)
    assert not isinstance(outcomes[2], BaseException)
    run = await store.load_run("run-1")
    assert run is not None
    assert run.stack == ("a", "b")
    assert await store.depth() == 2


async def test_a_decide_that_returns_an_emit_event_writes_nothing(store: Store) -> None:
    await store.apply([SaveRun(a_run("run-1"))])

    def emits(run: Run | None) -> Sequence[Command]:
        return [SaveStep("run-1", "a", 1), EmitEvent({"name": "inngest/function.finished"})]

    with pytest.raises(ValueError, match="EmitEvent"):
        await store.transact("run-1", emits)

    run = await store.load_run("run-1")
    assert run is not None
    assert run.stack == ()


async def test_apply_rejects_emit_event_and_writes_nothing(store: Store) -> None:
    with pytest.raises(ValueError, match="EmitEvent"):
        await store.apply([SaveRun(a_run("run-1")), EmitEvent({"name": "x"})])

    assert await store.load_run("run-1") is None


async def test_change_feed_gets_every_committed_batch_in_commit_order(store: Store) -> None:
    seen: list[list[Command]] = []
    store.subscribe_changes(lambda commands: seen.append(list(commands)))
    first: list[Command] = [SaveRun(a_run("run-1"))]
    second: list[Command] = [SaveStep("run-1", "a", 1)]

    def boom(run: Run | None) -> Sequence[Command]:
        raise DecideFailed

    await asyncio.gather(
        store.apply(first),
        store.transact("run-1", boom),
        store.transact("run-1", lambda run: second),
        return_exceptions=True,
    )

    assert seen == [first, second]


async def test_change_feed_has_delivered_a_batch_by_the_time_its_writer_resumes(store: Store) -> None:
    seen: list[Sequence[Command]] = []
    store.subscribe_changes(seen.append)

    await store.apply([SaveRun(a_run("run-1"))])

    assert len(seen) == 1
