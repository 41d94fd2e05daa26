"""Small factories for the records the contract tests write."""

from __future__ import annotations

from inngest_lab.engine.model import (
    EventRecord,
    FunctionDef,
    ItemKind,
    Json,
    Pause,
    PauseKind,
    QueueItem,
    Run,
    Trigger,
)
from inngest_lab.protocol.consts import RunStatus


def a_run(
    run_id: str,
    *,
    fn_id: str = "app-fn",
    status: RunStatus = RunStatus.RUNNING,
    created_at_ms: int = 1_000,
    event_ids: tuple[str, ...] = ("evt-1",),
) -> Run:
    return Run(
        run_id=run_id,
        fn_id=fn_id,
        app_id="app",
        status=status,
        events=tuple({"name": "test/go", "data": {"n": i}, "id": e, "ts": 1} for i, e in enumerate(event_ids)),
        event_ids=event_ids,
        created_at_ms=created_at_ms,
        max_attempts=5,
    )


def an_item(
    item_id: str, *, due_at_ms: int = 0, run_id: str = "run-1", priority_ms: int = 0, payload: Json = None
) -> QueueItem:
    return QueueItem(
        item_id=item_id,
        run_id=run_id,
        fn_id="app-fn",
        kind=ItemKind.CALL,
        due_at_ms=due_at_ms,
        priority_ms=priority_ms,
        payload=payload,
    )


def a_pause(pause_id: str, *, run_id: str = "run-1", event_name: str = "test/approved", at_ms: int = 1) -> Pause:
    return Pause(
        pause_id=pause_id,
        run_id=run_id,
        fn_id="app-fn",
        kind=PauseKind.WAIT,
        event_name=event_name,
        expression="event.data.id == async.data.id",
        created_at_ms=at_ms,
        expires_at_ms=at_ms + 60_000,
        step_id="wait",
    )


def an_event(internal_id: str, *, name: str = "test/go", received_at_ms: int = 1_000) -> EventRecord:
    payload = {"id": f"user-{internal_id}", "name": name, "data": {"k": internal_id}, "ts": received_at_ms, "user": {}}
    return EventRecord(internal_id=internal_id, payload=payload, received_at_ms=received_at_ms)


def a_function(fn_id: str, *, app_id: str = "app", event: str = "test/go", retries: int = 4) -> FunctionDef:
    return FunctionDef(
        fn_id=fn_id,
        app_id=app_id,
        name=fn_id,
        url="http://127.0.0.1:1/api/inngest",
        triggers=(Trigger(event=event),),
        retries=retries,
        config={"id": fn_id, "concurrency": [{"limit": 2}]},
    )
