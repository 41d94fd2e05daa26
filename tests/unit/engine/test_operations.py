"""Operator decisions: skipping paused functions, rerun (from a step), replay."""

from __future__ import annotations

import pytest

from inngest_lab.engine import operations
from inngest_lab.engine.ingest import RunPlan
from inngest_lab.engine.model import (
    AppendHistory,
    EventRecord,
    FunctionDef,
    HistoryKind,
    Run,
    SaveRun,
    SaveStep,
    Trigger,
)
from inngest_lab.engine.operations import FromStep, OperationError
from inngest_lab.protocol.consts import RunStatus
from inngest_lab.protocol.step_ids import hash_step_id

FN = FunctionDef("app-f", "app", "f", "inproc://app", (Trigger(event="app/go"),))
EVENT = EventRecord("evt-1", {"name": "app/go", "data": {"x": 1}, "id": "evt-1", "ts": 5, "user": {}}, 5)
A, B, C = hash_step_id("a"), hash_step_id("b"), hash_step_id("b:1")


def original() -> Run:
    steps = {A: {"data": 1}, B: {"data": 2}, C: {"data": 3}}
    return Run(
        "run-1", "app-f", "app", RunStatus.COMPLETED, (EVENT.payload,), ("evt-1",), 5, 5, steps=steps, stack=(A, B, C)
    )


def test_paused_functions_are_skipped_and_others_start() -> None:
    other = FunctionDef("app-g", "app", "g", "inproc://app", (Trigger(event="app/go"),))
    plans = [RunPlan(FN, (EVENT,)), RunPlan(other, (EVENT,))]
    keep, skipped = operations.skip_paused(plans, {"app-f": 3}, 10, lambda: "skipped-1")
    assert [p.fn.fn_id for p in keep] == ["app-g"]
    [run] = [c.run for c in skipped if isinstance(c, SaveRun)]
    assert (run.run_id, run.status, run.skip_reason) == ("skipped-1", RunStatus.SKIPPED, "FunctionPaused")


def test_a_rerun_keeps_nothing_and_links_to_the_first_run_of_the_chain() -> None:
    commands = operations.rerun(original(), FN, 50, "run-2")
    [run] = [c.run for c in commands if isinstance(c, SaveRun)]
    assert (run.original_run_id, run.events, run.event_ids) == ("run-1", original().events, ("evt-1",))
    assert not [c for c in commands if isinstance(c, SaveStep)]
    again = operations.rerun(run, FN, 60, "run-3")
    assert [c.run.original_run_id for c in again if isinstance(c, SaveRun)] == ["run-1"]
    [link] = [c.entry for c in commands if isinstance(c, AppendHistory) and c.entry.kind is HistoryKind.RUN_RERUN]
    assert (link.run_id, link.data["rerun_run_id"]) == ("run-1", "run-2")


@pytest.mark.parametrize("step_id", ["b:1", C])
def test_rerun_from_a_step_keeps_the_steps_before_it_and_sets_its_input(step_id: str) -> None:
    commands = operations.rerun(original(), FN, 50, "run-2", FromStep(step_id, [7]))
    assert [(c.step_id, c.memo) for c in commands if isinstance(c, SaveStep)] == [(A, {"data": 1}), (B, {"data": 2})]
    [run] = [c.run for c in commands if isinstance(c, SaveRun)]
    assert run.step_inputs == {C: [7]}


def test_rerun_from_a_step_the_run_never_completed_is_an_error() -> None:
    with pytest.raises(OperationError, match="'zzz' is not a completed step"):
        operations.rerun(original(), FN, 50, "run-2", FromStep("zzz"))


def test_a_replay_is_the_same_event_with_a_new_id_and_time() -> None:
    payload = operations.replay_payload(EVENT, "evt-2", 99)
    assert payload == {"name": "app/go", "data": {"x": 1}, "user": {}, "id": "evt-2", "ts": 99}


def test_the_servers_own_events_cannot_be_replayed() -> None:
    finished = EventRecord("evt-9", {"name": "inngest/function.finished", "data": {}, "id": "evt-9", "ts": 1}, 1)
    with pytest.raises(OperationError, match="cannot be replayed"):
        operations.replay_payload(finished, "evt-10", 99)
