"""JSON codecs for persisted records, and the registry checksum.

Every adapter that stores records as text uses these, so a row written by one adapter reads the
same in another. Keys are short and stable: they are persisted; never rename one.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from typing import Any

from inngest_lab.engine.model import (
    App,
    CancelSpec,
    EventRecord,
    FunctionDef,
    HistoryEntry,
    HistoryKind,
    ItemKind,
    Json,
    QueueItem,
    Run,
    Trigger,
)
from inngest_lab.protocol import json_text
from inngest_lab.protocol.consts import RunStatus


def dumps(value: Json) -> str:
    """Compact JSON text (the storage form of every JSON column)."""
    return json_text.dumps(value)


def loads(text: str) -> Json:
    return json_text.loads(text)


# ---------------------------------------------------------------- runs


def run_meta(run: Run) -> dict[str, Any]:
    """Everything in ``Run`` except ``steps``/``stack`` (derived from saved steps)."""
    return {
        "run_id": run.run_id,
        "fn_id": run.fn_id,
        "app_id": run.app_id,
        "status": run.status.value,
        "events": [dict(e) for e in run.events],
        "event_ids": list(run.event_ids),
        "created_at_ms": run.created_at_ms,
        "max_attempts": run.max_attempts,
        "started_at_ms": run.started_at_ms,
        "ended_at_ms": run.ended_at_ms,
        "force_plan": run.force_plan,
        "version": run.version,
        "pending": sorted(run.pending),
        "output": run.output,
        "error": run.error,
        "correlation_id": run.correlation_id,
        "state_bytes": run.state_bytes,
        "cron": run.cron,
        "original_run_id": run.original_run_id,
        "skip_reason": run.skip_reason,
        "step_inputs": dict(run.step_inputs),
    }


def run_from_meta(meta: Mapping[str, Any], steps: Mapping[str, Json], stack: Sequence[str]) -> Run:
    return Run(
        run_id=meta["run_id"],
        fn_id=meta["fn_id"],
        app_id=meta["app_id"],
        status=RunStatus(meta["status"]),
        events=tuple(meta["events"]),
        event_ids=tuple(meta["event_ids"]),
        created_at_ms=meta["created_at_ms"],
        max_attempts=meta["max_attempts"],
        steps=steps,
        stack=tuple(stack),
        started_at_ms=meta["started_at_ms"],
        ended_at_ms=meta["ended_at_ms"],
        force_plan=meta["force_plan"],
        version=meta["version"],
        pending=frozenset(meta["pending"]),
        output=meta["output"],
        error=meta["error"],
        correlation_id=meta["correlation_id"],
        state_bytes=meta["state_bytes"],
        cron=meta["cron"],
        original_run_id=meta["original_run_id"],
        skip_reason=meta.get("skip_reason"),  # absent in runs saved before skipped runs were recorded
        step_inputs=meta.get("step_inputs") or {},  # absent in runs saved before reruns from a step
    )


# ---------------------------------------------------------------- queue items and pauses


def item_to_json(item: QueueItem) -> dict[str, Any]:
    return {
        "item_id": item.item_id,
        "run_id": item.run_id,
        "fn_id": item.fn_id,
        "kind": item.kind.value,
        "due_at_ms": item.due_at_ms,
        "step_id": item.step_id,
        "attempt": item.attempt,
        "pause_id": item.pause_id,
        "payload": item.payload,
        "priority_ms": item.priority_ms,
        "keys": list(item.keys),
    }


def item_from_json(data: Mapping[str, Any]) -> QueueItem:
    return QueueItem(
        item_id=data["item_id"],
        run_id=data["run_id"],
        fn_id=data["fn_id"],
        kind=ItemKind(data["kind"]),
        due_at_ms=data["due_at_ms"],
        step_id=data["step_id"],
        attempt=data["attempt"],
        pause_id=data["pause_id"],
        payload=data["payload"],
        priority_ms=data["priority_ms"],
        keys=tuple(data["keys"]),
    )


def history_from_row(
    run_id: str, at_ms: int, kind: str, step_id: str | None, name: str | None, attempt: int, data_json: str
) -> HistoryEntry:
    return HistoryEntry(
        run_id=run_id,
        at_ms=at_ms,
        kind=HistoryKind(kind),
        step_id=step_id,
        name=name,
        attempt=attempt,
        data=loads(data_json),
    )


def event_from_row(internal_id: str, payload_json: str, received_at_ms: int) -> EventRecord:
    return EventRecord(internal_id=internal_id, payload=loads(payload_json), received_at_ms=received_at_ms)


# ---------------------------------------------------------------- registry


def app_to_json(app: App) -> dict[str, Any]:
    return {
        "app_id": app.app_id,
        "url": app.url,
        "sdk": app.sdk,
        "framework": app.framework,
        "checksum": app.checksum,
        "error": app.error,
        "synced_at_ms": app.synced_at_ms,
    }


def app_from_json(data: Mapping[str, Any]) -> App:
    return App(**data)


def _trigger_to_json(t: Trigger) -> dict[str, Any]:
    return {"event": t.event, "expression": t.expression, "cron": t.cron, "jitter_ms": t.jitter_ms}


def _cancel_to_json(c: CancelSpec) -> dict[str, Any]:
    return {"event": c.event, "if_exp": c.if_exp, "timeout_ms": c.timeout_ms}


def function_to_json(fn: FunctionDef) -> dict[str, Any]:
    return {
        "fn_id": fn.fn_id,
        "app_id": fn.app_id,
        "name": fn.name,
        "url": fn.url,
        "triggers": [_trigger_to_json(t) for t in fn.triggers],
        "retries": fn.retries,
        "cancel": [_cancel_to_json(c) for c in fn.cancel],
        "config": dict(fn.config),
        "version": fn.version,
    }


def function_from_json(data: Mapping[str, Any]) -> FunctionDef:
    return FunctionDef(
        fn_id=data["fn_id"],
        app_id=data["app_id"],
        name=data["name"],
        url=data["url"],
        triggers=tuple(Trigger(**t) for t in data["triggers"]),
        retries=data["retries"],
        cancel=tuple(CancelSpec(**c) for c in data["cancel"]),
        config=data["config"],
        version=data["version"],
    )


def registry_checksum(app: App, functions: Sequence[FunctionDef]) -> str:
    """Hash of an app and its functions; ``synced_at_ms`` is left out (it changes on every sync)."""
    app_data = app_to_json(app)
    del app_data["synced_at_ms"]
    fns = sorted((function_to_json(f) for f in functions), key=lambda f: str(f["fn_id"]))
    text = json.dumps({"app": app_data, "functions": fns}, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(text.encode()).hexdigest()
