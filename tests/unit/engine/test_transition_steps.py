"""The run state machine, one signal at a time."""

from __future__ import annotations

from collections.abc import Sequence

from inngest_lab.engine.model import Command, CreatePause, Enqueue, ItemKind
from inngest_lab.engine.signals import CancelRequested, SdkResponded, TimerFired
from inngest_lab.engine.transition import transition
from inngest_lab.protocol.consts import InternalEvent, RunStatus

from .transition_helpers import FN, NOW, SDK, call_item, final_run, make_run, of_type, op, ops, saved


def _enqueued(commands: Sequence[Command]) -> list[Enqueue]:
    return of_type(commands, Enqueue)


def test_step_run_saves_data_memo_and_enqueues_discovery() -> None:
    out = transition(make_run(), call_item(), ops(op("StepRun", "h1", data="A")), FN, NOW, 0.0)
    assert saved(out) == {"h1": {"data": "A"}}
    [item] = _enqueued(out)
    assert (item.item.kind, item.item.step_id, item.item.attempt) == (ItemKind.CALL, "step", 0)
    assert final_run(out).stack == ("h1",)


def test_memoized_step_is_never_saved_again() -> None:
    run = make_run(steps={"h1": {"data": "A"}}, stack=("h1",))
    out = transition(run, call_item(), ops(op("StepRun", "h1", data="B")), FN, NOW, 0.0)
    assert saved(out) == {}


def test_step_error_with_attempts_left_retries_same_request_with_backoff() -> None:
    err = {"name": "ValueError", "message": "kaboom"}
    out = transition(make_run(), call_item(), ops(op("StepError", "h1", error=err)), FN, NOW, 0.0)
    assert saved(out) == {}
    [retry] = _enqueued(out)
    assert retry.item.attempt == 1 and retry.item.step_id == "step"
    assert retry.item.due_at_ms == NOW + 15_000


def test_step_error_on_last_attempt_saves_error_memo() -> None:
    err = {"name": "ValueError", "message": "kaboom"}
    out = transition(make_run(), call_item(attempt=2), ops(op("StepError", "h1", error=err)), FN, NOW, 0.0)
    assert saved(out) == {"h1": {"error": err}}


def test_retry_after_header_sets_next_attempt_time() -> None:
    out = transition(
        make_run(), call_item(), SdkResponded(500, {**SDK, "retry-after": "120"}, {"message": "x"}), FN, NOW, 0.0
    )
    [retry] = _enqueued(out)
    assert retry.item.due_at_ms == NOW + 120_000


def test_no_retry_header_fails_the_run_and_emits_failed_events() -> None:
    body = {"code": "non_retriable_error", "message": "nope", "name": "NonRetriableError"}
    out = transition(
        make_run(), call_item(), SdkResponded(500, {**SDK, "x-inngest-no-retry": "true"}, body), FN, NOW, 0.0
    )
    run = final_run(out)
    assert run.status is RunStatus.FAILED and run.error["message"] == "nope"
    names = [e.item.payload["event"]["name"] for e in _enqueued(out)]
    assert names == [InternalEvent.FUNCTION_FINISHED, InternalEvent.FUNCTION_FAILED]
    assert _enqueued(out)[1].item.payload["event"]["id"] == "r1"


def test_transport_error_is_retried_then_fails_when_attempts_run_out() -> None:
    down = SdkResponded(status=0, transport_error="connection refused")
    first = transition(make_run(), call_item(), down, FN, NOW, 0.5)
    assert _enqueued(first)[0].item.attempt == 1
    last = transition(make_run(), call_item(attempt=2), down, FN, NOW, 0.5)
    assert final_run(last).status is RunStatus.FAILED


def test_function_return_completes_run_with_output() -> None:
    out = transition(make_run(), call_item(), SdkResponded(200, SDK, "AA2"), FN, NOW, 0.0)
    run = final_run(out)
    assert run.status is RunStatus.COMPLETED and run.output == "AA2"
    [finished] = _enqueued(out)
    assert finished.item.payload["event"]["data"]["result"] == "AA2"


def test_parallel_steps_plan_each_and_discover_once_after_the_last() -> None:
    out = transition(make_run(), call_item(), ops(op("StepPlanned", "p1"), op("StepPlanned", "p2")), FN, NOW, 0.0)
    run = final_run(out)
    assert run.force_plan and run.pending == frozenset({"p1", "p2"})
    assert sorted(e.item.step_id for e in _enqueued(out)) == ["p1", "p2"]
    out1 = transition(run, call_item("p1"), ops(op("StepRun", "p1", data=1)), FN, NOW, 0.0)
    assert _enqueued(out1) == []  # p2 still pending: no discovery yet
    run1 = final_run(out1)
    out2 = transition(run1, call_item("p2"), ops(op("StepRun", "p2", data=2)), FN, NOW, 0.0)
    [disc] = _enqueued(out2)
    assert disc.item.step_id == "step" and final_run(out2).pending == frozenset()


def test_sleep_enqueues_wakeup_at_the_iso_time_in_name() -> None:
    out = transition(make_run(), call_item(), ops(op("Sleep", "z", name="2026-01-01T00:00:03.000Z")), FN, NOW, 0.0)
    [wake] = _enqueued(out)
    assert wake.item.kind is ItemKind.SLEEP and wake.item.due_at_ms == NOW + 3000


def test_sleep_duration_string_in_name_is_relative() -> None:
    out = transition(make_run(), call_item(), ops(op("Sleep", "z", name="3s")), FN, NOW, 0.0)
    assert _enqueued(out)[0].item.due_at_ms == NOW + 3000


def test_timer_fired_saves_null_and_discovers() -> None:
    item = call_item("z")
    out = transition(make_run(), item, TimerFired(), FN, NOW, 0.0)
    assert saved(out) == {"z": None}


def test_wait_for_event_creates_pause_with_trigger_values_interpolated() -> None:
    wait = op("WaitForEvent", "w", name="app/wait", opts={"if": "async.data.id == event.data.id", "timeout": "5m"})
    out = transition(make_run(), call_item(), ops(wait), FN, NOW, 0.0)
    [pause] = of_type(out, CreatePause)
    assert pause.pause.event_name == "app/wait"
    assert pause.pause.expression is not None and '"x1"' in pause.pause.expression
    assert pause.pause.expires_at_ms == NOW + 300_000
    [timeout] = _enqueued(out)
    assert timeout.item.kind is ItemKind.PAUSE_TIMEOUT and timeout.item.due_at_ms == NOW + 300_000


def test_invoke_emits_invoked_event_with_correlation_id() -> None:
    inv = op("InvokeFunction", "i1", opts={"function_id": "app-child", "payload": {"data": {"x": 1}}, "timeout": None})
    out = transition(make_run(), call_item(), ops(inv), FN, NOW, 0.0)
    emitted = [e.item.payload["event"] for e in _enqueued(out) if e.item.kind is ItemKind.EMIT]
    assert emitted[0]["name"] == InternalEvent.FUNCTION_INVOKED
    assert emitted[0]["data"]["_inngest"]["correlation_id"] == "r1.i1"
    assert emitted[0]["data"]["x"] == 1


def test_cancel_ends_run_as_cancelled() -> None:
    out = transition(make_run(), call_item(), CancelRequested("api"), FN, NOW, 0.0)
    assert final_run(out).status is RunStatus.CANCELLED


def test_step_limit_fails_run() -> None:
    stack = tuple(f"s{i}" for i in range(1000))
    run = make_run(stack=stack, steps={s: {"data": 1} for s in stack})
    out = transition(run, call_item(), ops(op("StepRun", "extra", data=1)), FN, NOW, 0.0)
    assert final_run(out).status is RunStatus.FAILED
    assert final_run(out).error["name"] == "InngestErrStepLimit"
