"""Async checkpoints (``engine/checkpoint.py``): parsed strictly, applied as the same transition as a 206 carrying
the ops, without the next call a 206 would schedule."""

from __future__ import annotations

import pytest

from inngest_lab.engine.checkpoint import (
    AsyncCheckpoint,
    CheckpointInvalid,
    checkpoint_commands,
    dispatched_item,
    parse_async_checkpoint,
)
from inngest_lab.engine.model import AppendHistory, Enqueue, HistoryKind, Json
from inngest_lab.engine.transition import transition
from inngest_lab.protocol.consts import RunStatus
from tests.unit.engine.transition_helpers import FN, NOW, call_item, final_run, make_run, of_type, op, ops, saved

QI = "r1/c/step/0/0"


def body(*steps: dict[str, Json], **extra: Json) -> dict[str, Json]:
    return {"run_id": "r1", "fn_id": "app-main", "qi_id": QI, "request_id": "lease-1", "steps": list(steps), **extra}


def checkpoint(*steps: dict[str, Json]) -> AsyncCheckpoint:
    return parse_async_checkpoint("r1", body(*steps))


def test_the_body_is_parsed_with_unknown_op_keys_ignored() -> None:
    leaky = {**op("StepRun", "s1", data=1), "mode": 2, "hashedId": "x", "promise": {}, "fulfilled": True}
    cp = parse_async_checkpoint("r1", body(leaky, op("StepPlanned", "s2"), request_started_at=NOW))
    assert (cp.qi_id, cp.request_id, cp.started_at_ms) == (QI, "lease-1", NOW)
    assert [s["id"] for s in cp.steps] == ["s1"]  # StepPlanned is tracing only


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ([], "the body must be a JSON object"),
        (body(run_id="r2"), "does not match the path's run id"),
        (body(qi_id=""), "qi_id must be a non-empty string"),
        (body(steps={}), "steps must be an array"),
        (body(op("Sleep", "s1")), "steps[0].op 'Sleep' cannot be checkpointed"),
        (body({"op": "StepRun"}), "steps[0].id must be a non-empty string"),
    ],
)
def test_a_bad_body_names_its_problem(raw: Json, message: str) -> None:
    with pytest.raises(CheckpointInvalid, match=message.replace("[", r"\[").replace("]", r"\]")):
        parse_async_checkpoint("r1", raw)


def test_the_dispatched_item_is_rebuilt_from_its_id() -> None:
    item = dispatched_item(make_run(), "r1/c/step/3/2")
    assert (item.item_id, item.step_id, item.attempt) == ("r1/c/step/3/2", "step", 2)
    assert dispatched_item(make_run(), "other").step_id == "step"


def test_a_checkpoint_saves_its_steps_and_schedules_no_call() -> None:
    commands = checkpoint_commands(make_run(), checkpoint(op("StepRun", "s1", data={"a": 1})), FN, NOW, "js:v4")
    assert saved(commands) == {"s1": {"data": {"a": 1}}}
    assert of_type(commands, Enqueue) == [], "the SDK is still running: no discovery call"
    assert final_run(commands).stack == ("s1",)


def test_the_same_ops_as_a_206_schedule_the_next_call() -> None:
    commands = transition(make_run(), call_item(), ops(op("StepRun", "s1", data=1)), FN, NOW, 0.0)
    assert saved(commands) == {"s1": {"data": 1}}
    assert [e.item.step_id for e in of_type(commands, Enqueue)] == ["step"]


def test_first_write_wins_and_an_ended_run_changes_no_more() -> None:
    run = make_run(steps={"s1": {"data": "first"}}, stack=("s1",))
    assert saved(checkpoint_commands(run, checkpoint(op("StepRun", "s1", data="second")), FN, NOW, "js")) == {}
    ended = make_run(status=RunStatus.CANCELLED)
    assert checkpoint_commands(ended, checkpoint(op("StepRun", "s2", data=1)), FN, NOW, "js") == []


def test_steps_then_run_complete_in_the_final_answer_do_not_force_planning() -> None:
    answer = ops(op("StepRun", "s1", data=1), {"op": "RunComplete", "id": "c", "data": 7})
    run = final_run(transition(make_run(), call_item(), answer, FN, NOW, 0.0))
    assert (run.status, run.output, run.force_plan) == (RunStatus.COMPLETED, 7, False)
    sleep = ops(op("StepRun", "s1", data=1), op("Sleep", "nap", name="1s"))
    assert final_run(transition(make_run(), call_item(), sleep, FN, NOW, 0.0)).force_plan is False
    parallel = ops(op("StepPlanned", "a"), op("StepPlanned", "b"))
    assert final_run(transition(make_run(), call_item(), parallel, FN, NOW, 0.0)).force_plan is True


def test_the_timeline_shows_when_a_checkpointed_step_ran() -> None:
    started, took = NOW - 500, 120
    step = op("StepRun", "s1", data=1, timing={"a": started * 1_000_000, "b": took * 1_000_000})
    commands = checkpoint_commands(make_run(), checkpoint(step), FN, NOW, "js")
    [done] = [c.entry for c in of_type(commands, AppendHistory) if c.entry.kind is HistoryKind.STEP_COMPLETED]
    assert isinstance(done.data, dict)
    assert (done.at_ms, done.data["started_at_ms"]) == (started + took, started)
