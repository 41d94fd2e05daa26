"""The call request body the server sends to an SDK (protocol doc 4.1), built from run state.

A body over ``MAX_INLINE_REQUEST_BYTES`` goes out as ``with_use_api(body)``: events and steps left out, ``use_api``
set, and the SDK fetches them from ``GET /v0/runs/{id}/batch`` and ``/actions`` (section 4.9), which serve
``request_events(run)`` and ``request_steps(run)``: the very values the inline body would have carried.
"""

from __future__ import annotations

from collections.abc import Mapping

from inngest_lab.engine.model import Json, QueueItem, Run

MAX_INLINE_REQUEST_BYTES = 4 * 1024 * 1024 - 1024
"""Go's ``MaxSDKRequestBodySize`` less 1 KiB: a larger call request tells the SDK to use the API instead."""


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


def request_events(run: Run) -> list[dict[str, Json]]:
    """The run's events as call requests (and ``/v0/runs/{id}/batch``) carry them."""
    return [wire_event(e) for e in run.events]


def request_steps(run: Run) -> dict[str, Json]:
    """Memoized steps in stack order, then ``{"input": [...]}`` for a rerun's step that has not completed yet."""
    steps = {sid: run.steps[sid] for sid in run.stack}
    for sid, args in run.step_inputs.items():
        if sid not in steps:
            steps[sid] = {"input": args}
    return steps


def build_call_request(run: Run, item: QueueItem) -> dict[str, Json]:
    """Body for calling ``item.step_id`` of ``run``: memoized steps in stack order, typed exactly.

    ``fn_id`` (the function's id) and ``qi_id`` (the call item's id) make TS 4.24 checkpoint (protocol-next doc
    1.1): it runs ``step.run`` steps back to back in this one request, reporting each to
    ``POST /v1/checkpoint/{runId}/async``, which echoes both. SDKs without checkpointing ignore them.
    ``version`` is -1 until the SDK has told us its version.
    """
    events = request_events(run)
    stack = list(run.stack)
    return {
        "ctx": {
            "attempt": item.attempt,
            "disable_immediate_execution": run.force_plan,
            "env": "",
            "fn_id": run.fn_id,
            "max_attempts": run.max_attempts,
            "qi_id": item.item_id,
            "run_id": run.run_id,
            "stack": {"current": len(stack), "stack": stack},
            "step_id": item.step_id,
            "use_api": False,
        },
        "defers": {},
        "event": events[0],
        "events": events,
        "steps": request_steps(run),
        "use_api": False,
        "version": run.version,
    }


def with_use_api(request: Mapping[str, Json]) -> dict[str, Json]:
    """``request`` for a run too big to send inline: no events, no steps, ``use_api`` true at both levels.

    ``event`` stays (Python requires it), as does ``ctx.stack`` (TS replays races in its order).
    """
    ctx = request.get("ctx")
    return {
        **request,
        "ctx": {**ctx, "use_api": True} if isinstance(ctx, Mapping) else {"use_api": True},
        "events": [],
        "steps": {},
        "use_api": True,
    }
