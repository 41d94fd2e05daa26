"""Flow-control state: PutFlowState/DeleteFlowState, ``flow_state`` and the ``transact_flow`` primitive."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence

from inngest_lab.engine.flow.state import FlowView
from inngest_lab.engine.model import Command, DeleteFlowState, FlowEntry, PurgeFlowState, PutFlowState, SaveRun
from inngest_lab.protocol.consts import RunStatus
from inngest_lab.store.ports import Store

from .records import a_run


async def test_put_flow_state_stores_value_and_expiry_and_replaces_the_previous(store: Store) -> None:
    await store.apply([PutFlowState(FlowEntry("k", {"tat": 1}, 5_000))])
    await store.apply([PutFlowState(FlowEntry("k", [1, 2, "x"], None))])

    assert await store.flow_state("k") == FlowEntry("k", [1, 2, "x"], None)
    assert await store.flow_state("missing") is None


async def test_delete_flow_state_removes_the_entry_and_ignores_missing_keys(store: Store) -> None:
    await store.apply([PutFlowState(FlowEntry("k", 1, None)), DeleteFlowState("k"), DeleteFlowState("other")])

    assert await store.flow_state("k") is None


async def test_transact_flow_reads_state_and_runs_then_applies_the_decision(store: Store) -> None:
    await store.apply([PutFlowState(FlowEntry("count", 1, 9_000)), SaveRun(a_run("run-1"))])
    seen: list[object] = []

    def decide(view: FlowView) -> Sequence[Command]:
        entry = view.flow_state("count")
        run = view.run("run-1")
        seen.append((entry, run.status if run else None, view.run("nope")))
        assert entry is not None
        return [PutFlowState(FlowEntry("count", entry.value + 1, 9_000))]

    applied = await store.transact_flow(decide)

    assert seen == [(FlowEntry("count", 1, 9_000), RunStatus.RUNNING, None)]
    assert list(applied) == [PutFlowState(FlowEntry("count", 2, 9_000))]
    assert await store.flow_state("count") == FlowEntry("count", 2, 9_000)


async def test_concurrent_transact_flow_calls_never_lose_an_update(store: Store) -> None:
    await store.apply([PutFlowState(FlowEntry("n", 0))])

    def increment(view: FlowView) -> Sequence[Command]:
        entry = view.flow_state("n")
        assert entry is not None
        return [PutFlowState(FlowEntry("n", entry.value + 1))]

    await asyncio.gather(*(store.transact_flow(increment) for _ in range(25)))

    assert await store.flow_state("n") == FlowEntry("n", 25)


async def test_transact_flow_sees_writes_of_an_earlier_apply_in_the_same_batch(store: Store) -> None:
    first = store.apply([PutFlowState(FlowEntry("k", "a"))])

    def decide(view: FlowView) -> Sequence[Command]:
        entry = view.flow_state("k")
        return [PutFlowState(FlowEntry("seen", entry.value if entry else None))]

    await asyncio.gather(first, store.transact_flow(decide))

    assert await store.flow_state("seen") == FlowEntry("seen", "a")


async def test_purge_deletes_only_entries_expired_by_then(store: Store) -> None:
    await store.apply(
        [
            PutFlowState(FlowEntry("old", 1, 1_000)),
            PutFlowState(FlowEntry("edge", 2, 2_000)),
            PutFlowState(FlowEntry("young", 3, 2_001)),
            PutFlowState(FlowEntry("forever", 4, None)),
        ]
    )
    await store.apply([PurgeFlowState(2_000)])

    assert [await store.flow_state(k) for k in ("old", "edge")] == [None, None]
    assert await store.flow_state("young") == FlowEntry("young", 3, 2_001)
    assert await store.flow_state("forever") == FlowEntry("forever", 4, None)
