"""The timeline shows the server's own calls (AI inference, fetch) with their facts, and signal waits."""

from __future__ import annotations

from typing import Any

from inngest_lab.engine.model import HistoryEntry, HistoryKind, Json, Run
from inngest_lab.engine.timeline import build_timeline
from inngest_lab.protocol.consts import RunStatus

T0 = 1_000_000


def _spans(steps: dict[str, Any], *history: tuple[int, HistoryKind, int, Json]) -> list[dict[str, Json]]:
    run = Run("r1", "app-fn", "app", RunStatus.RUNNING, ({"name": "a/b"},), ("e1",), T0, 3, steps=steps)
    entries = [HistoryEntry("r1", T0 + at, kind, "s1", "infer", attempt, data) for at, kind, attempt, data in history]
    spans: list[dict[str, Json]] = build_timeline(run, entries, T0 + 100)["spans"]
    return spans


AI_FACTS = {"kind": "ai", "model": "gpt-lab", "status": 200, "latency_ms": 40, "input_tokens": 5, "total_tokens": 12}


def test_an_inference_step_shows_model_tokens_and_latency_and_both_attempts() -> None:
    failed = {**AI_FACTS, "status": 500, "latency_ms": 3}
    error = {"name": "AIGatewayError", "message": "Error making AI request: unsuccessful status code: 500"}
    [span] = _spans(
        {},
        (
            3,
            HistoryKind.STEP_ERRORED,
            0,
            {"error": error, "retry_at_ms": T0 + 10, "started_at_ms": T0, "gateway": failed},
        ),
        (50, HistoryKind.STEP_COMPLETED, 1, {"output": {"id": "c"}, "started_at_ms": T0 + 10, "gateway": AI_FACTS}),
    )

    assert (span["kind"], span["status"], span["output"]) == ("ai", "completed", {"id": "c"})
    assert span["detail"] == {
        "model": "gpt-lab",
        "status": 200,
        "latency_ms": 40,
        "input_tokens": 5,
        "total_tokens": 12,
    }
    assert [a["status"] for a in span["attempts"]] == ["errored", "completed"]


def test_a_fetch_step_is_a_fetch_span() -> None:
    facts = {"kind": "fetch", "url": "http://x/y", "status": 418, "latency_ms": 2, "method": "POST"}
    [span] = _spans({}, (2, HistoryKind.STEP_COMPLETED, 0, {"output": {"status_code": 418}, "gateway": facts}))
    assert (span["kind"], span["detail"]["status"], span["detail"]["url"]) == ("fetch", 418, "http://x/y")


def test_a_resumed_signal_wait_shows_the_signal_and_its_data() -> None:
    [span] = _spans(
        {"s1": {"data": {"signal": "sig-1", "data": {"x": 1}}}},
        (1, HistoryKind.STEP_WAITING, 0, {"signal": "sig-1", "conflict": "replace", "expires_at_ms": T0 + 60}),
        (9, HistoryKind.STEP_RESUMED, 0, {"event_id": None, "kind": "signal"}),
    )
    assert (span["kind"], span["status"], span["detail"]["signal"]) == ("signal", "completed", "sig-1")
    assert span["output"] == {"signal": "sig-1", "data": {"x": 1}}
