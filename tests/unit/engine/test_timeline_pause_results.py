"""The timeline shows what a pause resumed with: a wait's matched event, an invoke's result or error."""

from __future__ import annotations

from typing import Any

from inngest_lab.engine.model import HistoryEntry, HistoryKind, Json, Run
from inngest_lab.engine.timeline import build_timeline
from inngest_lab.protocol.consts import RunStatus

T0 = 1_000_000


def _span(steps: dict[str, Any], *history: tuple[int, HistoryKind, Json]) -> dict[str, Json]:
    run = Run("r1", "app-fn", "app", RunStatus.RUNNING, ({"name": "a/b"},), ("e1",), T0, 3, steps=steps)
    entries = [HistoryEntry("r1", T0 + at, kind, "s1", "step-one", 0, data) for at, kind, data in history]
    [span] = build_timeline(run, entries, T0 + 100)["spans"]
    result: dict[str, Json] = span
    return result


def test_a_resumed_wait_shows_the_matched_event() -> None:
    event = {"id": "e2", "name": "app/approved", "data": {"by": "ada"}}
    span = _span(
        {"s1": event},
        (1, HistoryKind.STEP_WAITING, {"event": "app/approved", "expires_at_ms": T0 + 50}),
        (9, HistoryKind.STEP_RESUMED, {"event_id": "e2", "kind": "wait"}),
    )
    assert span["status"] == "completed" and span["output"] == event


def test_a_resumed_invoke_shows_the_child_output() -> None:
    span = _span(
        {"s1": {"data": {"rows": 3}}},
        (1, HistoryKind.STEP_INVOKING, {"function_id": "app-child"}),
        (9, HistoryKind.STEP_RESUMED, {"event_id": "e3", "kind": "invoke"}),
    )
    assert span["kind"] == "invoke" and span["output"] == {"rows": 3}


def test_an_invoke_whose_child_failed_shows_the_error() -> None:
    error = {"name": "ValueError", "message": "boom"}
    span = _span(
        {"s1": {"error": error}},
        (1, HistoryKind.STEP_INVOKING, {"function_id": "app-child"}),
        (9, HistoryKind.STEP_RESUMED, {"event_id": "e3", "kind": "invoke"}),
    )
    assert span["status"] == "failed" and span["error"] == error


def test_a_step_held_by_a_concurrency_limit_shows_how_long_it_waited() -> None:
    run = Run("r1", "app-fn", "app", RunStatus.RUNNING, ({"name": "a/b"},), ("e1",), T0, 3)
    delayed = {"reason": "concurrency", "key": "fn:app-fn", "limit": 1, "since_ms": T0, "waited_ms": 5_000}
    entries = [
        HistoryEntry("r1", T0 + 5_000, HistoryKind.FLOW_DELAYED, "step", None, 0, delayed),
        HistoryEntry("r1", T0 + 5_000, HistoryKind.RUN_STARTED),
        HistoryEntry("r1", T0 + 5_010, HistoryKind.STEP_COMPLETED, "s1", "build", 0, {"started_at_ms": T0 + 5_000}),
        HistoryEntry("r1", T0 + 5_020, HistoryKind.STEP_COMPLETED, "s2", "ship", 0, {"started_at_ms": T0 + 5_010}),
    ]
    build, ship = build_timeline(run, entries, T0 + 6_000)["spans"]
    assert build["attempts"][0]["flow_wait_ms"] == 5_000
    assert build["detail"] == {"delayed_by": "concurrency", "flow_wait_ms": 5_000}
    assert ship["attempts"][0]["flow_wait_ms"] == 0 and ship["detail"] == {}
