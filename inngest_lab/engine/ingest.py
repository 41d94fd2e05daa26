"""What an incoming event does: store it, start the functions it triggers, resume or cancel paused runs.

Pure: the shell passes the trigger matches and the candidate pauses it looked up, and applies the
returned commands in one transaction. ``ConsumePause`` makes each pause resume at most once even
when two events race for it.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from inngest_lab.engine import ids
from inngest_lab.engine.emit import emit, internal_event
from inngest_lab.engine.expression_text import interpolate
from inngest_lab.engine.expressions import compile_expression
from inngest_lab.engine.flow.stamp import stamp
from inngest_lab.engine.model import (
    AppendHistory,
    Command,
    ConsumePause,
    CreatePause,
    Enqueue,
    EventRecord,
    FunctionDef,
    HistoryEntry,
    HistoryKind,
    ItemKind,
    Json,
    Pause,
    PauseKind,
    QueueItem,
    Run,
    SaveRun,
    StoreEvent,
)
from inngest_lab.engine.pauses import pause_to_json, timeout_item
from inngest_lab.engine.triggers import invoke_meta
from inngest_lab.protocol.consts import (
    INTERNAL_DATA_KEY,
    MAX_SLEEP_MS,
    ONE_YEAR_MS,
    ErrorName,
    InternalEvent,
    RunStatus,
)


@dataclass(frozen=True, slots=True)
class RunPlan:
    """A run to create for ``fn`` from ``events`` (several only for batches)."""

    fn: FunctionDef
    events: tuple[EventRecord, ...]


def plan_event(
    event: EventRecord,
    runs: Sequence[RunPlan],
    pauses: Sequence[Pause],
    now_ms: int,
    new_run_id: Callable[[], str],
    *,
    store: bool = True,
) -> list[Command]:
    """Commands for one received event: store it, create ``runs``, consume the ``pauses`` it matches."""
    commands: list[Command] = [StoreEvent(event)] if store else []
    for plan in runs:
        commands.extend(create_run(plan, now_ms, new_run_id()))
    commands.extend(match_pauses(event, pauses))
    return commands


def create_run(
    plan: RunPlan, now_ms: int, run_id: str, *, priority_ms: int = 0, original_run_id: str | None = None
) -> list[Command]:
    """A new Queued run, its first call and its cancel_on pauses."""
    fn = plan.fn
    first = plan.events[0].payload
    cron = first.get("data", {}).get("cron") if first.get("name") == InternalEvent.SCHEDULED_TIMER else None
    run = new_run(
        plan,
        run_id,
        now_ms,
        RunStatus.QUEUED,
        correlation_id=invoke_correlation_id(first),
        cron=cron if isinstance(cron, str) else None,
        original_run_id=original_run_id,
    )
    commands: list[Command] = [
        SaveRun(run),
        Enqueue(
            stamp(
                QueueItem(
                    item_id=ids.start_item_id(run_id),
                    run_id=run_id,
                    fn_id=fn.fn_id,
                    kind=ItemKind.CALL,
                    due_at_ms=now_ms,
                    priority_ms=priority_ms,
                ),
                fn,
                run,
            )
        ),
        AppendHistory(
            HistoryEntry(
                run_id,
                now_ms,
                HistoryKind.RUN_SCHEDULED,
                data={"event_ids": list(run.event_ids), "event_name": first.get("name")},
            )
        ),
    ]
    for index, spec in enumerate(fn.cancel):
        expression = interpolate(spec.if_exp, first) if spec.if_exp else None
        if expression is not None and expression.strip() == "false":
            continue  # Inngest creates no pause when the condition can never hold
        pause = Pause(
            pause_id=ids.pause_id(run_id, f"cancel:{index}"),
            run_id=run_id,
            fn_id=fn.fn_id,
            kind=PauseKind.CANCEL,
            event_name=spec.event,
            expression=expression,
            created_at_ms=now_ms,
            expires_at_ms=now_ms + min(spec.timeout_ms or ONE_YEAR_MS, MAX_SLEEP_MS),
        )
        commands.append(CreatePause(pause))
        commands.append(Enqueue(timeout_item(pause)))
    return commands


def match_pauses(event: EventRecord, pauses: Sequence[Pause]) -> list[Command]:
    """Consume every pause ``event`` satisfies. Only events received after a pause was created match."""
    commands: list[Command] = []
    variables = {"async": event.payload}
    for pause in pauses:
        if pause.created_at_ms > event.received_at_ms or pause.event_name != event.name:
            continue
        if pause.expression and not compile_expression(pause.expression).matches(variables):
            continue
        if pause.kind is PauseKind.CANCEL:
            then = QueueItem(
                item_id=ids.cancel_item_id(pause.run_id, pause.pause_id),
                run_id=pause.run_id,
                fn_id=pause.fn_id,
                kind=ItemKind.CANCEL,
                due_at_ms=event.received_at_ms,
                payload={"reason": f"cancelled by event {event.name} ({event.payload.get('id')})"},
            )
        else:
            then = QueueItem(
                item_id=ids.resume_item_id(pause.pause_id),
                run_id=pause.run_id,
                fn_id=pause.fn_id,
                kind=ItemKind.RESUME,
                due_at_ms=event.received_at_ms,
                step_id=pause.step_id or "",
                pause_id=pause.pause_id,
                payload={"pause": pause_to_json(pause), "event": dict(event.payload)},
            )
        commands.append(ConsumePause(pause.pause_id, then))
    return commands


def invoke_not_found(event: EventRecord, fn_id: str, now_ms: int) -> list[Command]:
    """``function.invoked`` named an unknown function: answer the invoker with a failed ``finished``."""
    error = {
        "name": ErrorName.FUNCTION_NOT_FOUND.value,
        "message": f"could not find function with ID: {json.dumps(fn_id)}",
    }
    finished = invoker_answer(
        fn_id, invoke_correlation_id(event.payload), event.payload, error, RunStatus.FAILED, now_ms
    )
    return [emit(event.internal_id, fn_id, "not-found", fn_id, finished, now_ms)]


def invoker_answer(
    fn_id: str,
    correlation: str | None,
    event: Mapping[str, Json],
    error: Json,
    status: RunStatus,
    now_ms: int,
    *,
    run_id: str | None = None,
) -> dict[str, Json]:
    """The ``function.finished`` event that makes the ``step.invoke`` waiting on ``correlation`` raise ``error``.

    Sent when the invoked function never runs (unknown, skipped); a run that ends sends its own from finalize.
    """
    data: dict[str, Json] = {"function_id": fn_id}
    if run_id is not None:
        data["run_id"] = run_id
    data.update(
        {
            "correlation_id": correlation,
            "event": dict(event),
            "error": error,
            INTERNAL_DATA_KEY: {"status": status.value},
        }
    )
    return internal_event(InternalEvent.FUNCTION_FINISHED, data, now_ms)


def invoke_correlation_id(event: Mapping[str, Json]) -> str | None:
    """The id a ``step.invoke`` waits on, when ``event`` is the ``function.invoked`` it sent; else None."""
    return invoke_meta(event, "correlation_id")


def new_run(plan: RunPlan, run_id: str, now_ms: int, status: RunStatus, **fields: Any) -> Run:
    """A run of ``plan.fn`` for ``plan.events``, created at ``now_ms``; ``fields`` set the rest of :class:`Run`."""
    fn = plan.fn
    return Run(
        run_id=run_id,
        fn_id=fn.fn_id,
        app_id=fn.app_id,
        status=status,
        events=tuple(e.payload for e in plan.events),
        event_ids=tuple(e.internal_id for e in plan.events),
        created_at_ms=now_ms,
        max_attempts=fn.max_attempts,
        **fields,
    )
