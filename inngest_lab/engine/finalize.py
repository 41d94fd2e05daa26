"""Finalizing a run: the terminal status, its history entry and the lifecycle events (protocol doc 8)."""

from __future__ import annotations

from dataclasses import replace

from inngest_lab.engine.emit import emit, internal_event
from inngest_lab.engine.model import (
    AppendHistory,
    Command,
    HistoryEntry,
    HistoryKind,
    Json,
    Run,
    SaveRun,
)
from inngest_lab.protocol.consts import INTERNAL_DATA_KEY, InternalEvent, RunStatus

_HISTORY = {
    RunStatus.COMPLETED: HistoryKind.RUN_COMPLETED,
    RunStatus.FAILED: HistoryKind.RUN_FAILED,
    RunStatus.CANCELLED: HistoryKind.RUN_CANCELLED,
    RunStatus.SKIPPED: HistoryKind.RUN_SKIPPED,
}
_EXTRA_EVENT = {RunStatus.FAILED: InternalEvent.FUNCTION_FAILED, RunStatus.CANCELLED: InternalEvent.FUNCTION_CANCELLED}


def finalize(run: Run, status: RunStatus, now_ms: int, *, output: Json = None, error: Json = None) -> list[Command]:
    """End ``run`` with a terminal ``status`` and publish ``function.finished`` (+ ``failed``/``cancelled``).

    Lifecycle events go out through the queue (ItemKind.EMIT) in the same transaction, so they are
    never lost. ``failed``/``cancelled`` use the run id as event id, which dedupes double finalizes.
    """
    assert status.is_terminal
    ended = replace(run, status=status, ended_at_ms=now_ms, output=output, error=error, pending=frozenset())
    commands: list[Command] = [
        SaveRun(ended),
        AppendHistory(
            HistoryEntry(
                run.run_id, now_ms, _HISTORY[status], data={"output": output} if error is None else {"error": error}
            )
        ),
    ]
    if status is RunStatus.SKIPPED:
        return commands
    data: dict[str, Json] = {
        "function_id": run.fn_id,
        "run_id": run.run_id,
        "event": dict(run.event),
        "events": [dict(e) for e in run.events],
        INTERNAL_DATA_KEY: {"status": status.value},
    }
    if error is not None:
        data["error"] = error
    else:
        data["result"] = output
    if run.correlation_id:
        data["correlation_id"] = run.correlation_id
    names: list[tuple[InternalEvent, str | None]] = [(InternalEvent.FUNCTION_FINISHED, None)]
    if status in _EXTRA_EVENT:
        names.append((_EXTRA_EVENT[status], run.run_id))
    for name, event_id in names:
        event = internal_event(name, data, now_ms)
        if event_id:
            event["id"] = event_id
        commands.append(emit(run.run_id, run.fn_id, name.value, "final", event, now_ms))
    return commands
