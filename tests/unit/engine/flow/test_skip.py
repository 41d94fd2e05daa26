"""``skip_run``: a run that is not started is recorded as Skipped, with its reason, and nothing else."""

from __future__ import annotations

from inngest_lab.engine.flow.skip import skip_run
from inngest_lab.engine.ingest import RunPlan
from inngest_lab.engine.model import AppendHistory, EventRecord, FunctionDef, HistoryKind, SaveRun, Trigger
from inngest_lab.protocol.consts import RunStatus, SkipReason

FN = FunctionDef("app-fn", "app", "fn", "inproc://app", (Trigger(event="app/go"),))
EVENT = EventRecord("evt-1", {"id": "e-1", "name": "app/go", "data": {"n": 1}, "ts": 5}, 1_000)


def test_skipped_run_is_saved_ended_with_its_reason_and_a_history_entry() -> None:
    commands = skip_run(RunPlan(FN, (EVENT,)), 2_000, "run-1", SkipReason.SINGLETON, {"existing_run_id": "run-0"})

    [save, history] = commands
    assert isinstance(save, SaveRun) and isinstance(history, AppendHistory)
    run = save.run
    assert run.status is RunStatus.SKIPPED
    assert run.skip_reason == "Singleton"
    assert (run.created_at_ms, run.ended_at_ms, run.started_at_ms) == (2_000, 2_000, None)
    assert run.event_ids == ("evt-1",) and run.events[0]["data"] == {"n": 1}
    assert run.output == {"existing_run_id": "run-0"}
    entry = history.entry
    assert (entry.run_id, entry.kind, entry.at_ms) == ("run-1", HistoryKind.RUN_SKIPPED, 2_000)
    assert entry.data == {
        "existing_run_id": "run-0",
        "reason": "Singleton",
        "event_ids": ["evt-1"],
        "event_name": "app/go",
    }


def test_skipped_run_without_detail_has_no_output_and_queues_nothing() -> None:
    commands = skip_run(RunPlan(FN, (EVENT,)), 2_000, "run-1", SkipReason.FUNCTION_PAUSED)

    assert [type(c) for c in commands] == [SaveRun, AppendHistory]
    save = commands[0]
    assert isinstance(save, SaveRun) and save.run.output is None and save.run.status.is_terminal
