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
