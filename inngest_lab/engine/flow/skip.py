"""The Skipped run record: an event matched a function but no run was started, and here is why.

A skipped run is a real run row (status ``Skipped``, ended at once) so it shows in run listings, in
``GET /v1/runs/{id}`` and ``/v1/events/{id}/runs`` (with ``skip_reason``) and in its history, exactly like
Inngest lists skipped runs. It never calls the SDK and emits no lifecycle event, except one: a skipped run
that ``step.invoke`` asked for answers the invoker with a failed ``inngest/function.finished`` (Inngest fails
the invoker of a rate-limited function), so the invoking step raises instead of waiting for its timeout.
"""

from __future__ import annotations

from collections.abc import Mapping

from inngest_lab.engine.emit import emit
from inngest_lab.engine.ingest import RunPlan, invoke_correlation_id, invoker_answer, new_run
from inngest_lab.engine.model import (
    AppendHistory,
    Command,
    Enqueue,
    HistoryEntry,
    HistoryKind,
    Json,
    Run,
    SaveRun,
)
from inngest_lab.protocol.consts import ErrorName, InternalEvent, RunStatus, SkipReason


def skip_run(
    plan: RunPlan, now_ms: int, run_id: str, reason: SkipReason, detail: Mapping[str, Json] | None = None
) -> list[Command]:
    """Commands recording ``plan`` as a run Skipped for ``reason``.

    ``detail`` (JSON, e.g. ``{"existing_run_id": …}`` for a singleton) becomes the run's output and is
    merged into the history entry, so both the REST API and the timeline explain the skip.
    """
    info = dict(detail or {})
    first = plan.events[0].payload if plan.events else {}
    correlation = invoke_correlation_id(first)
    run = new_run(
        plan,
        run_id,
        now_ms,
        RunStatus.SKIPPED,
        ended_at_ms=now_ms,
        output=info or None,
        skip_reason=reason.value,
        correlation_id=correlation,
    )
    data: dict[str, Json] = {
        **info,
        "reason": reason.value,
        "event_ids": list(run.event_ids),
        "event_name": plan.events[0].name if plan.events else None,
    }
    commands: list[Command] = [
        SaveRun(run),
        AppendHistory(HistoryEntry(run_id, now_ms, HistoryKind.RUN_SKIPPED, data=data)),
    ]
    if correlation is not None:
        commands.append(_answer_invoker(run, first, reason, now_ms, correlation))
    return commands


def _answer_invoker(run: Run, event: Mapping[str, Json], reason: SkipReason, now_ms: int, correlation: str) -> Enqueue:
    error = {
        "name": ErrorName.FUNCTION_SKIPPED.value,
        "message": f"the invoked function {run.fn_id} was skipped: {reason.value}",
    }
    finished = invoker_answer(run.fn_id, correlation, event, error, RunStatus.SKIPPED, now_ms, run_id=run.run_id)
    return emit(run.run_id, run.fn_id, InternalEvent.FUNCTION_FINISHED.value, "skipped", finished, now_ms)
