"""The run timeline (dashboard) says why a run waited or was skipped: its flow-control history entries."""

from __future__ import annotations

from inngest_lab.engine.flow.skip import skip_run
from inngest_lab.engine.ingest import RunPlan
from inngest_lab.engine.model import (
    AppendHistory,
    EventRecord,
    FunctionDef,
    HistoryEntry,
    HistoryKind,
    Run,
    SaveRun,
    Trigger,
)
from inngest_lab.engine.timeline import build_timeline
from inngest_lab.protocol.consts import RunStatus, SkipReason

FN = FunctionDef("app-fn", "app", "fn", "inproc://app", (Trigger(event="app/go"),))
EVENT = EventRecord("evt-1", {"id": "evt-1", "name": "app/go", "data": {}, "ts": 5}, 1_000)


def test_a_throttled_run_lists_until_when_it_waited() -> None:
    run = Run("r1", "app-fn", "app", RunStatus.QUEUED, (EVENT.payload,), ("evt-1",), 1_000, 5)
    history = [
        HistoryEntry("r1", 1_000, HistoryKind.RUN_SCHEDULED, data={"event_ids": ["evt-1"]}),
        HistoryEntry("r1", 1_000, HistoryKind.RUN_THROTTLED, data={"until_ms": 61_000, "key": ""}),
    ]
    timeline = build_timeline(run, history, 2_000)
    assert timeline["flow"] == [{"until_ms": 61_000, "key": "", "kind": "run.throttled", "at_ms": 1_000}]
    assert timeline["skip_reason"] is None


def test_a_skipped_run_carries_its_reason() -> None:
    save, entry = skip_run(RunPlan(FN, (EVENT,)), 3_000, "r2", SkipReason.RATE_LIMITED, {"limit": 1})
    assert isinstance(save, SaveRun) and isinstance(entry, AppendHistory)
    timeline = build_timeline(save.run, [entry.entry], 3_000)
    assert timeline["skip_reason"] == "RateLimited"
    assert [(f["kind"], f["reason"]) for f in timeline["flow"]] == [("run.skipped", "RateLimited")]
