"""The timeline projection: one span per step, attempts with queue delay, pauses, and runs that ended."""

from __future__ import annotations

from typing import Any

from inngest_lab.engine.model import HistoryEntry, HistoryKind, Json, Run
from inngest_lab.engine.timeline import build_timeline
from inngest_lab.protocol.consts import RunStatus

T0 = 1_000_000


def _run(status: RunStatus = RunStatus.RUNNING, ended: int | None = None, **kw: Any) -> Run:
    return Run(
        run_id="r1",
        fn_id="app-fn",
        app_id="app",
        status=status,
        events=({"name": "demo/go", "data": {}},),
        event_ids=("e1",),
        created_at_ms=T0,
        max_attempts=3,
        started_at_ms=T0 + 5,
        ended_at_ms=ended,
        **kw,
    )


def _h(
    at: int, what: HistoryKind, step: str | None = None, name: str | None = None, attempt: int = 0, /, **data: Json
) -> HistoryEntry:
    return HistoryEntry("r1", T0 + at, what, step, name, attempt, data or None)


def _spans(run: Run, *history: HistoryEntry) -> list[dict[str, Json]]:
    spans: list[dict[str, Json]] = build_timeline(run, history, T0 + 10_000)["spans"]
    return spans


def test_a_step_that_succeeds_on_retry_has_two_attempts_with_their_queue_delays() -> None:
    [span] = _spans(
        _run(),
        _h(0, HistoryKind.RUN_SCHEDULED),
        _h(
            5,
            HistoryKind.STEP_ERRORED,
            "s1",
            "charge",
            0,
            error={"message": "boom"},
            retry_at_ms=T0 + 100,
            started_at_ms=T0 + 5,
        ),
        _h(130, HistoryKind.STEP_COMPLETED, "s1", "charge", 1, output=42, started_at_ms=T0 + 120),
    )
    assert (span["name"], span["kind"], span["status"], span["output"]) == ("charge", "run", "completed", 42)
    first, second = span["attempts"]
    assert (first["status"], first["queued_at_ms"], first["started_at_ms"], first["ended_at_ms"]) == (
        "errored",
        T0,
        T0 + 5,
        T0 + 5,
    )
    assert first["error"] == {"message": "boom"}
    assert (second["status"], second["queued_at_ms"], second["started_at_ms"], second["ended_at_ms"]) == (
        "completed",
        T0 + 100,
        T0 + 120,
        T0 + 130,
    )
    assert (span["queued_at_ms"], span["started_at_ms"], span["ended_at_ms"]) == (T0, T0 + 5, T0 + 130)


def test_a_step_between_retries_shows_as_queued() -> None:
    [span] = _spans(
        _run(),
        _h(5, HistoryKind.STEP_ERRORED, "s1", "charge", 0, error={"message": "boom"}, retry_at_ms=T0 + 100),
    )
    assert span["status"] == "queued"
    assert span["ended_at_ms"] is None


def test_the_next_step_is_queued_when_the_previous_one_ended() -> None:
    a, b = _spans(
        _run(),
        _h(10, HistoryKind.STEP_COMPLETED, "a", "first", started_at_ms=T0 + 8),
        _h(30, HistoryKind.STEP_COMPLETED, "b", "second", started_at_ms=T0 + 25),
    )
    assert (a["name"], b["name"]) == ("first", "second")
    assert b["queued_at_ms"] == T0 + 10
    assert b["attempts"][0]["started_at_ms"] == T0 + 25


def test_sleep_and_wait_spans_carry_their_pause_details() -> None:
    sleep, wait = _spans(
        _run(),
        _h(10, HistoryKind.STEP_SLEEPING, "z", "nap", until_ms=T0 + 60_000),
        _h(60_000, HistoryKind.STEP_RESUMED, "z", reason="sleep"),
        _h(60_001, HistoryKind.STEP_WAITING, "w", "approval", event="demo/ok", expression=None, expires_at_ms=T0 + 99),
        _h(60_050, HistoryKind.STEP_RESUMED, "w", event_id="ev9", kind="wait"),
    )
    assert (sleep["kind"], sleep["status"], sleep["ended_at_ms"]) == ("sleep", "completed", T0 + 60_000)
    assert sleep["detail"] == {"sleep_until_ms": T0 + 60_000}
    assert (wait["kind"], wait["status"], wait["detail"]["event"]) == ("wait", "completed", "demo/ok")
    assert wait["detail"]["matched_event_id"] == "ev9"


def test_a_wait_that_times_out_is_marked_timed_out() -> None:
    [wait] = _spans(
        _run(),
        _h(1, HistoryKind.STEP_WAITING, "w", "approval", event="demo/ok", expires_at_ms=T0 + 50),
        _h(50, HistoryKind.STEP_TIMED_OUT, "w", kind="wait"),
    )
    assert (wait["status"], wait["ended_at_ms"]) == ("timed_out", T0 + 50)


def test_a_cancelled_run_closes_its_open_spans() -> None:
    [sleep] = _spans(
        _run(RunStatus.CANCELLED, ended=T0 + 500, error={"name": "Cancelled"}),
        _h(10, HistoryKind.STEP_SLEEPING, "z", "nap", until_ms=T0 + 60_000),
        _h(500, HistoryKind.RUN_CANCELLED, error={"name": "Cancelled"}),
    )
    assert (sleep["status"], sleep["ended_at_ms"]) == ("cancelled", T0 + 500)


def test_planned_parallel_steps_are_queued_from_when_they_were_planned() -> None:
    a, b = _spans(
        _run(),
        _h(10, HistoryKind.STEP_PLANNED, "a", "left"),
        _h(10, HistoryKind.STEP_PLANNED, "b", "right"),
        _h(40, HistoryKind.STEP_COMPLETED, "a", "left", started_at_ms=T0 + 30),
    )
    assert (a["status"], a["queued_at_ms"], a["started_at_ms"]) == ("completed", T0 + 10, T0 + 30)
    assert (b["status"], b["queued_at_ms"], b["started_at_ms"]) == ("queued", T0 + 10, None)


def test_a_function_level_error_is_its_own_errored_span() -> None:
    [call] = _spans(
        _run(),
        _h(
            7, HistoryKind.FUNCTION_ERRORED, "step", None, 0, error={"message": "oops"}, status=500, retry_at_ms=T0 + 70
        ),
    )
    assert (call["kind"], call["status"], call["error"]) == ("call", "errored", {"message": "oops"})


def test_the_run_summary_carries_status_trigger_and_output() -> None:
    run = _run(RunStatus.COMPLETED, ended=T0 + 50, output={"ok": True})
    timeline = build_timeline(run, [], T0 + 60)
    assert timeline["status"] == "Completed"
    assert timeline["event_name"] == "demo/go"
    assert timeline["output"] == {"ok": True}
    assert (timeline["queued_at_ms"], timeline["ended_at_ms"], timeline["now_ms"]) == (T0, T0 + 50, T0 + 60)
