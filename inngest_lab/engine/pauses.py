"""Pause (de)serialization for queue payloads, and the memo a resumed or expired pause leaves."""

from __future__ import annotations

from collections.abc import Mapping

from inngest_lab.engine import ids
from inngest_lab.engine.model import ItemKind, Json, Pause, PauseKind, QueueItem
from inngest_lab.protocol.consts import INVOKE_TIMEOUT_MESSAGE, ErrorName


def pause_to_json(p: Pause) -> dict[str, Json]:
    return {
        "pause_id": p.pause_id,
        "run_id": p.run_id,
        "fn_id": p.fn_id,
        "kind": p.kind.value,
        "event_name": p.event_name,
        "expression": p.expression,
        "created_at_ms": p.created_at_ms,
        "expires_at_ms": p.expires_at_ms,
        "step_id": p.step_id,
        "correlation_id": p.correlation_id,
    }


def timeout_item(pause: Pause) -> QueueItem:
    """The queue item that expires ``pause`` at ``expires_at_ms`` (dequeued when the pause is consumed first)."""
    return QueueItem(
        item_id=ids.timeout_item_id(pause.pause_id),
        run_id=pause.run_id,
        fn_id=pause.fn_id,
        kind=ItemKind.PAUSE_TIMEOUT,
        due_at_ms=pause.expires_at_ms,
        step_id=pause.step_id or "",
        pause_id=pause.pause_id,
        payload={"pause": pause_to_json(pause)},
    )


def pause_from_json(d: Mapping[str, Json]) -> Pause:
    return Pause(
        pause_id=d["pause_id"],
        run_id=d["run_id"],
        fn_id=d["fn_id"],
        kind=PauseKind(d["kind"]),
        event_name=d["event_name"],
        expression=d["expression"],
        created_at_ms=d["created_at_ms"],
        expires_at_ms=d["expires_at_ms"],
        step_id=d.get("step_id"),
        correlation_id=d.get("correlation_id"),
    )


def resumed_memo(p: Pause, event: Mapping[str, Json]) -> Json:
    """The memo saved when a pause matches (protocol doc 4.4 and 7.4).

    wait_for_event stores the event itself; a signal wait ``{"data": {"signal", "data"}}``;
    invoke stores ``{"error": …}`` when the child failed, else
    ``{"data": result}`` (``{"data": null}`` for a child that returned nothing).
    """
    if p.kind is PauseKind.SIGNAL:
        return {"data": {"signal": event.get("name"), "data": event.get("data")}}  # engine/signal_wait.py
    if p.kind is PauseKind.INVOKE:
        data = event.get("data") or {}
        if data.get("error") is not None:
            return {"error": data["error"]}
        return {"data": data.get("result")}
    return dict(event)


def timed_out_memo(p: Pause) -> Json:
    if p.kind is PauseKind.INVOKE:
        return {
            "error": {
                "error": f"{ErrorName.INVOKE_TIMEOUT}: {INVOKE_TIMEOUT_MESSAGE}",
                "name": ErrorName.INVOKE_TIMEOUT.value,
                "message": INVOKE_TIMEOUT_MESSAGE,
            }
        }
    return None
