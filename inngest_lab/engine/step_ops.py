"""The opcodes of an SDK's 206 answer applied to a run: step results, plans, errors, sleeps, waits, invokes."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import replace

from inngest_lab.engine import ids
from inngest_lab.engine.emit import emit, internal_event
from inngest_lab.engine.expression_text import interpolate
from inngest_lab.engine.gateway import GATEWAY_OPS, gateway_op
from inngest_lab.engine.model import Command, FunctionDef, HistoryKind, ItemKind, Json, Pause, PauseKind, QueueItem
from inngest_lab.engine.run_builder import DATA_MEMO_OVERHEAD, RunBuilder, json_size
from inngest_lab.engine.sdk_response import header, retry_delay
from inngest_lab.engine.signal_wait import wait_for_signal
from inngest_lab.engine.signals import SdkResponded
from inngest_lab.protocol.consts import (
    DISCOVERY_STEP_ID,
    INTERNAL_DATA_KEY,
    MAX_RUN_STATE_BYTES,
    MAX_SLEEP_MS,
    MAX_STEP_OUTPUT_BYTES,
    MAX_STEPS_PER_RUN,
    ONE_YEAR_MS,
    ErrorName,
    Header,
    InternalEvent,
    Opcode,
    RunStatus,
)
from inngest_lab.protocol.durations import DurationError, parse_duration_ms, parse_time_ms

_PRIORITY_OPS = frozenset({Opcode.WAIT_FOR_EVENT})


def apply_ops(b: RunBuilder, r: SdkResponded, fn: FunctionDef, jitter: float) -> list[Command]:
    """Apply the opcodes of a 206 answer: memoize, plan, retry, sleep, wait, invoke or finish."""
    body = r.body
    ops: list[Mapping[str, Json]] = body if isinstance(body, list) else [body] if isinstance(body, dict) else []
    ops = sorted(ops, key=lambda o: 0 if o.get("op") in _PRIORITY_OPS else 1)
    if len(ops) > 1 and not r.checkpoint and not _flushed_then_one(ops):
        b.run = replace(b.run, force_plan=True)
    if len(b.run.stack) + len(ops) > MAX_STEPS_PER_RUN:
        return b.fail(ErrorName.STEP_LIMIT, f"run exceeded the limit of {MAX_STEPS_PER_RUN} steps")
    need_discovery = False
    pending = set(b.run.pending)
    at = r.ended_at_ms or b.now_ms
    for op in ops:
        code, step_id = op.get("op"), str(op.get("id") or "")
        name = op.get("displayName") or op.get("name")
        if code in (Opcode.STEP_RUN, Opcode.STEP):
            data = op.get("data")
            data_size = json_size(data)
            if data_size > MAX_STEP_OUTPUT_BYTES:
                return b.fail(ErrorName.OUTPUT_TOO_LARGE, f"step {name!r} output exceeds the 4 MB limit")
            if b.save_step(step_id, {"data": data}, data_size + DATA_MEMO_OVERHEAD):
                _attempt_history(b, r, HistoryKind.STEP_COMPLETED, step_id, name, at, output=data, **_input(op))
            pending.discard(step_id)
            need_discovery = True
        elif code == Opcode.STEP_PLANNED:
            if step_id not in b.run.steps and step_id not in pending:
                pending.add(step_id)
                b.call(step_id)
                b.history(HistoryKind.STEP_PLANNED, step_id=step_id, name=name, at_ms=at)
        elif code in (Opcode.STEP_ERROR, Opcode.STEP_FAILED):
            error = op.get("error")
            no_retry = (header(r.headers, Header.NO_RETRY) or "").lower() == "true"
            last = code == Opcode.STEP_FAILED or no_retry or b.item.attempt + 1 >= fn.max_attempts
            if not last:
                delay = retry_delay(r, b.item.attempt, b.now_ms, jitter, b.retry_interval_ms)
                retry_at = b.now_ms + delay
                _attempt_history(
                    b, r, HistoryKind.STEP_ERRORED, step_id, name, at, error=error, retry_at_ms=retry_at, **_input(op)
                )
                b.call(b.item.step_id, attempt=b.item.attempt + 1, due_at_ms=b.now_ms + delay)
                continue
            if b.save_step(step_id, {"error": error}):
                _attempt_history(b, r, HistoryKind.STEP_FAILED, step_id, name, at, error=error, **_input(op))
            pending.discard(step_id)
            need_discovery = True
        elif code == Opcode.SLEEP:
            wake = _sleep_until(op, b.now_ms)
            if wake is None:
                return b.fail(ErrorName.SDK_RESPONSE, f"step {name!r}: invalid sleep duration")
            b.enqueue(
                QueueItem(
                    item_id=ids.sleep_item_id(b.run.run_id, step_id),
                    run_id=b.run.run_id,
                    fn_id=b.run.fn_id,
                    kind=ItemKind.SLEEP,
                    due_at_ms=wake,
                    step_id=step_id,
                )
            )
            b.history(HistoryKind.STEP_SLEEPING, step_id=step_id, name=name, data={"until_ms": wake}, at_ms=at)
        elif code == Opcode.WAIT_FOR_EVENT:
            pause = _wait_pause(b, op, step_id)
            if pause is None:
                return b.fail(ErrorName.SDK_RESPONSE, f"step {name!r}: invalid wait_for_event timeout")
            b.pause(pause)
            b.history(
                HistoryKind.STEP_WAITING,
                step_id=step_id,
                name=name,
                at_ms=at,
                data={"event": pause.event_name, "expression": pause.expression, "expires_at_ms": pause.expires_at_ms},
            )
        elif code == Opcode.INVOKE_FUNCTION:
            if not _invoke(b, op, step_id, name):
                return b.fail(ErrorName.SDK_RESPONSE, f"step {name!r}: invalid invoke options")
        elif code in GATEWAY_OPS:  # the server makes the call (engine/gateway.py); the step waits for it
            problem = gateway_op(b, op, step_id, name)
            if problem is not None:
                return b.fail(ErrorName.SDK_RESPONSE, f"step {name!r}: {problem}")
            pending.add(step_id)
        elif code == Opcode.WAIT_FOR_SIGNAL:
            problem = wait_for_signal(b, op, step_id, name)
            if problem is not None:
                return b.fail(ErrorName.SDK_RESPONSE, f"step {name!r}: {problem}")
        elif code in (Opcode.RUN_COMPLETE, Opcode.SYNC_RUN_COMPLETE):
            return b.finish(RunStatus.COMPLETED, output=op.get("data"))
        elif code in (Opcode.NONE, Opcode.DEFER_ADD, Opcode.DEFER_ABORT, Opcode.DISCOVERY_REQUEST):
            need_discovery = need_discovery or code == Opcode.DISCOVERY_REQUEST
        else:
            return b.fail(ErrorName.SDK_RESPONSE, f"opcode {code!r} is not supported by inngest-lab")
    if b.run.state_bytes > MAX_RUN_STATE_BYTES:
        return b.fail(ErrorName.STATE_OVERFLOW, "run state exceeds the 32 MB limit")
    if pending != b.run.pending:  # replace() costs microseconds; most responses change neither field
        b.run = replace(b.run, pending=frozenset(pending))
    if need_discovery and not pending and not r.checkpoint:  # a checkpointing SDK is still running: no new call
        if b.run.version >= 2 and b.run.force_plan:
            b.run = replace(b.run, force_plan=False)
        b.call(DISCOVERY_STEP_ID)
    return b.done()


def _flushed_then_one(ops: list[Mapping[str, Json]]) -> bool:
    """A checkpointing SDK's answer: steps it finished (and had not checkpointed yet), then one op that is not a
    step to plan (``RunComplete``, a sleep, an error...). Not parallelism, so the next call may run steps at once."""
    *done, last = ops
    return all(o.get("op") in _DONE_OPS for o in done) and last.get("op") not in _PLANNABLE_OPS


_DONE_OPS = frozenset({Opcode.STEP_RUN, Opcode.STEP})
_PLANNABLE_OPS = frozenset({Opcode.STEP_RUN, Opcode.STEP, Opcode.STEP_PLANNED})


def _wait_pause(b: RunBuilder, op: Mapping[str, Json], step_id: str) -> Pause | None:
    opts = op.get("opts") or {}
    event_name = opts.get("event") or op.get("name")
    timeout = opts.get("timeout")
    try:
        timeout_ms = parse_duration_ms(timeout) if timeout else 0
    except DurationError:
        return None
    expr = opts.get("if")
    return Pause(
        pause_id=ids.pause_id(b.run.run_id, step_id),
        run_id=b.run.run_id,
        fn_id=b.run.fn_id,
        kind=PauseKind.WAIT,
        event_name=str(event_name),
        expression=interpolate(expr, b.run.event) if expr else None,
        created_at_ms=b.now_ms,
        expires_at_ms=b.now_ms + min(timeout_ms, MAX_SLEEP_MS),
        step_id=step_id,
    )


def _input(op: Mapping[str, Json]) -> dict[str, Json]:
    """The arguments the step ran with, when the SDK reports them (TS ``step.run(id, fn, ...args)`` sends
    ``opts.input``, a JSON array), for the timeline's step panel; nothing otherwise."""
    opts = op.get("opts")
    given = opts.get("input") if isinstance(opts, Mapping) else None
    return {"input": given} if isinstance(given, list) else {}


def _attempt_history(
    b: RunBuilder, r: SdkResponded, kind: HistoryKind, step_id: str, name: Json, at_ms: int, **data: Json
) -> None:
    """History of the attempt that ran ``step_id`` in this call: ``data`` plus when the attempt started."""
    data["started_at_ms"] = r.started_at_ms
    b.history(kind, step_id=step_id, name=name, attempt=b.item.attempt, data=data, at_ms=at_ms)


def _invoke(b: RunBuilder, op: Mapping[str, Json], step_id: str, name: Json) -> bool:
    opts = op.get("opts") or {}
    target = opts.get("function_id")
    if not isinstance(target, str) or not target:
        return False
    try:
        timeout_ms = parse_duration_ms(opts["timeout"]) if opts.get("timeout") else ONE_YEAR_MS
    except DurationError:
        return False
    correlation = f"{b.run.run_id}.{step_id}"
    expires = b.now_ms + timeout_ms
    b.pause(
        Pause(
            pause_id=ids.pause_id(b.run.run_id, step_id),
            run_id=b.run.run_id,
            fn_id=b.run.fn_id,
            kind=PauseKind.INVOKE,
            event_name=InternalEvent.FUNCTION_FINISHED.value,
            expression=f"async.data.correlation_id == {json.dumps(correlation)}",
            created_at_ms=b.now_ms,
            expires_at_ms=expires,
            step_id=step_id,
            correlation_id=correlation,
        )
    )
    payload = opts.get("payload") or {}
    data = dict(payload.get("data") or {})
    data[INTERNAL_DATA_KEY] = {
        "fn_id": target,
        "correlation_id": correlation,
        "expire": expires,
        "name": name,
        "source_fn_id": b.run.fn_id,
        "source_run_id": b.run.run_id,
    }
    event = internal_event(InternalEvent.FUNCTION_INVOKED, data, b.now_ms)
    event["user"] = payload.get("user") or {}
    if payload.get("v"):
        event["v"] = payload["v"]
    b.commands.append(emit(b.run.run_id, b.run.fn_id, "invoked", step_id, event, b.now_ms))
    b.history(
        HistoryKind.STEP_INVOKING,
        step_id=step_id,
        name=str(name) if name else None,
        data={"function_id": target, "correlation_id": correlation, "expires_at_ms": expires},
    )
    return True


def _sleep_until(op: Mapping[str, Json], now_ms: int) -> int | None:
    opts = op.get("opts") or {}
    raw = opts.get("duration") or op.get("name") or ""
    if not isinstance(raw, str):
        return None
    at = parse_time_ms(raw)
    if at is None:
        try:
            at = now_ms + parse_duration_ms(raw)
        except DurationError:
            return None
    return min(max(at, now_ms), now_ms + MAX_SLEEP_MS)
