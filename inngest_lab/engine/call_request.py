"""The call request body the server sends to an SDK (protocol doc 4.1), built from run state."""

from __future__ import annotations

from collections.abc import Mapping

from inngest_lab.engine.model import Json, QueueItem, Run


def wire_event(event: Mapping[str, Json]) -> dict[str, Json]:
    """An event as the SDKs require it: integer ``ts``, string ``id``, ``data`` and ``user`` objects."""
    out: dict[str, Json] = {
        "name": event.get("name", ""),
        "data": event.get("data") or {},
        "id": str(event.get("id") or ""),
        "ts": int(event.get("ts") or 0),
        "user": event.get("user") or {},
    }
    if event.get("v"):
        out["v"] = event["v"]
    return out


def _steps(run: Run, stack: list[str]) -> dict[str, Json]:
    """Memoized steps in stack order, then ``{"input": [...]}`` for a rerun's step that has not completed yet."""
    steps = {sid: run.steps[sid] for sid in stack}
    for sid, args in run.step_inputs.items():
        if sid not in steps:
            steps[sid] = {"input": args}
    return steps


def build_call_request(run: Run, item: QueueItem) -> dict[str, Json]:
    """Body for calling ``item.step_id`` of ``run``: memoized steps in stack order, typed exactly.

    ``fn_id`` is sent as ``""`` so TS SDKs stay in plain async mode (protocol doc 0.3); ``version``
    is -1 until the SDK has told us its version.
    """
    events = [wire_event(e) for e in run.events]
    stack = list(run.stack)
    return {
        "ctx": {
            "attempt": item.attempt,
            "disable_immediate_execution": run.force_plan,
            "env": "",
            "fn_id": "",
            "max_attempts": run.max_attempts,
            "run_id": run.run_id,
            "stack": {"current": len(stack), "stack": stack},
            "step_id": item.step_id,
            "use_api": False,
        },
        "defers": {},
        "event": events[0],
        "events": events,
        "steps": _steps(run, stack),
        "use_api": False,
        "version": run.version,
    }
