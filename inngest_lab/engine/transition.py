"""The run state machine: ``transition(run, item, signal, fn, now_ms, jitter[, retry_interval_ms]) -> commands``.

Pure: everything it needs comes in as arguments, everything it decides goes out as commands that
the shell applies in one transaction (together with the ``Ack`` of ``item``). Rules it guarantees:

* a terminal run never leaves its terminal state (every signal on it yields no commands);
* a memoized step is never saved twice and never called again;
* a run never saves more steps than the SDK reported, and never more than ``MAX_STEPS_PER_RUN``.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import replace

from inngest_lab.engine import ids
from inngest_lab.engine.backoff import retry_after_ms, retry_delay_ms, should_retry
from inngest_lab.engine.expressions import interpolate
from inngest_lab.engine.finalize import finalize
from inngest_lab.engine.flow.stamp import stamp
from inngest_lab.engine.model import (
    AppendHistory,
    Command,
    CreatePause,
    DeletePause,
    Dequeue,
    Enqueue,
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
    SaveStep,
)
from inngest_lab.engine.pauses import pause_to_json, resumed_memo, timed_out_memo
from inngest_lab.engine.signals import (
    CancelRequested,
    PauseResumed,
    PauseTimedOut,
    SdkResponded,
    Signal,
    TimerFired,
)
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
_DATA_MEMO_OVERHEAD = len('{"data":}')  # _json_size({"data": x}) == _json_size(x) + this


class _Builder:
    """Accumulates commands and the evolving run for one transition."""

    def __init__(
        self,
        run: Run,
        item: QueueItem,
        now_ms: int,
        retry_interval_ms: int | None = None,
        fn: FunctionDef | None = None,
    ) -> None:
        self.run = run
        self.item = item
        self.now_ms = now_ms
        self.retry_interval_ms = retry_interval_ms
        self.fn = fn
        self.commands: list[Command] = []
        self.saved = 0

    def history(
        self,
        kind: HistoryKind,
        *,
        step_id: str | None = None,
        name: str | None = None,
        attempt: int = 0,
        data: Json = None,
        at_ms: int | None = None,
    ) -> None:
        entry = HistoryEntry(
            self.run.run_id, self.now_ms if at_ms is None else at_ms, kind, step_id, name, attempt, data
        )
        self.commands.append(AppendHistory(entry))

    def save_step(self, step_id: str, memo: Json, size: int | None = None) -> bool:
        """Save a memo unless the step is already memoized. Returns whether it was saved.

        ``size``: ``_json_size(memo)`` when the caller already knows it.
        """
        if step_id in self.run.steps:
            return False
        if size is None:
            size = _json_size(memo)
        steps = dict(self.run.steps)
        steps[step_id] = memo
        self.run = replace(
            self.run, steps=steps, stack=(*self.run.stack, step_id), state_bytes=self.run.state_bytes + size
        )
        self.commands.append(SaveStep(self.run.run_id, step_id, memo))
        self.saved += 1
        return True

    def enqueue(self, item: QueueItem) -> None:
        self.commands.append(Enqueue(item))

    def call(self, step_id: str, *, attempt: int = 0, due_at_ms: int | None = None) -> None:
        generation = len(self.run.stack)
        item = QueueItem(
            item_id=ids.call_item_id(self.run.run_id, step_id, generation, attempt),
            run_id=self.run.run_id,
            fn_id=self.run.fn_id,
            kind=ItemKind.CALL,
            due_at_ms=self.now_ms if due_at_ms is None else due_at_ms,
            step_id=step_id,
            attempt=attempt,
            priority_ms=self.item.priority_ms,
            keys=self.item.keys,
        )
        self.enqueue(stamp(item, self.fn, self.run))  # concurrency slots and priority

    def pause(self, pause: Pause) -> None:
        self.commands.append(CreatePause(pause))
        self.enqueue(
            QueueItem(
                item_id=ids.timeout_item_id(pause.pause_id),
                run_id=pause.run_id,
                fn_id=pause.fn_id,
                kind=ItemKind.PAUSE_TIMEOUT,
                due_at_ms=pause.expires_at_ms,
                step_id=pause.step_id or "",
                pause_id=pause.pause_id,
                payload={"pause": pause_to_json(pause)},
            )
        )

    def done(self) -> list[Command]:
        return [SaveRun(self.run), *self.commands]


def transition(
    run: Run | None,
    item: QueueItem,
    signal: Signal,
    fn: FunctionDef | None,
    now_ms: int,
    jitter: float,
    retry_interval_ms: int | None = None,
) -> list[Command]:
    """Decide what ``signal`` (delivered through ``item``) does to ``run``. ``jitter`` is in [0, 1).

    ``retry_interval_ms`` replaces the backoff table with a fixed interval (``--retry-interval``);
    a ``Retry-After`` from the SDK still wins.
    """
    if run is None or run.status.is_terminal:
        return []
    b = _Builder(run, item, now_ms, retry_interval_ms, fn)
    if isinstance(signal, CancelRequested):
        return finalize(
            b.run, RunStatus.CANCELLED, now_ms, error={"name": ErrorName.CANCELLED.value, "message": signal.reason}
        )
    if isinstance(signal, TimerFired):
        if b.save_step(item.step_id, None):
            b.history(HistoryKind.STEP_RESUMED, step_id=item.step_id, data={"reason": "sleep"})
            b.call(DISCOVERY_STEP_ID)
        return b.done()
    if isinstance(signal, PauseResumed):
        if b.save_step(signal.pause.step_id or "", resumed_memo(signal.pause, signal.event)):
            b.commands.append(Dequeue(ids.timeout_item_id(signal.pause.pause_id)))
            b.history(
                HistoryKind.STEP_RESUMED,
                step_id=signal.pause.step_id,
                data={"event_id": signal.event.get("id"), "kind": signal.pause.kind.value},
            )
            b.call(DISCOVERY_STEP_ID)
        return b.done()
    if isinstance(signal, PauseTimedOut):
        b.commands.append(DeletePause(signal.pause.pause_id))
        if signal.pause.kind is PauseKind.CANCEL:
            return b.commands  # a cancel_on window closing is not an event for the run
        if b.save_step(signal.pause.step_id or "", timed_out_memo(signal.pause)):
            b.history(HistoryKind.STEP_TIMED_OUT, step_id=signal.pause.step_id, data={"kind": signal.pause.kind.value})
            b.call(DISCOVERY_STEP_ID)
        return b.done()
    if fn is None:
        return finalize(
            b.run,
            RunStatus.FAILED,
            now_ms,
            error={
                "name": ErrorName.FUNCTION_NOT_FOUND.value,
                "message": f"function {run.fn_id} is no longer registered",
            },
        )
    return _responded(b, signal, fn, jitter)


def _responded(b: _Builder, r: SdkResponded, fn: FunctionDef, jitter: float) -> list[Command]:
    run = b.run
    if run.status is RunStatus.QUEUED:
        b.run = replace(run, status=RunStatus.RUNNING, started_at_ms=r.started_at_ms or b.now_ms)
        b.history(HistoryKind.RUN_STARTED, at_ms=r.started_at_ms or b.now_ms)
    if b.run.version == -1 and r.status in (200, 206):
        b.run = replace(b.run, version=_req_version(r.headers))
    is_sdk = _header(r.headers, Header.SDK) is not None
    if r.status == 206 and is_sdk:
        return _ops(b, r, fn, jitter)
    if r.status == 200 and is_sdk:
        if _json_size(r.body) > MAX_STEP_OUTPUT_BYTES:
            return _fail(b, ErrorName.OUTPUT_TOO_LARGE, "function output exceeds the 4 MB limit")
        return _finish(b, RunStatus.COMPLETED, output=r.body)
    return _call_failed(b, r, fn, jitter)


def _call_failed(b: _Builder, r: SdkResponded, fn: FunctionDef, jitter: float) -> list[Command]:
    """A 4xx/5xx, a non-SDK answer or a transport error: retry per policy, else fail the run."""
    item = b.item
    error = _error_from_body(r)
    is_sdk = _header(r.headers, Header.SDK) is not None
    # Transport errors and answers that did not come from an SDK (proxies, 401s) are always retried.
    retriable = r.transport_error is not None or not is_sdk or should_retry(r.status, r.headers)
    if retriable and item.attempt + 1 < fn.max_attempts:
        delay = _retry_delay(r, item.attempt, b.now_ms, jitter, b.retry_interval_ms)
        kind = HistoryKind.FUNCTION_ERRORED if is_sdk else HistoryKind.CALL_FAILED
        b.history(
            kind,
            step_id=item.step_id,
            attempt=item.attempt,
            data={"error": error, "status": r.status, "retry_at_ms": b.now_ms + delay},
            at_ms=r.ended_at_ms or b.now_ms,
        )
        b.call(item.step_id, attempt=item.attempt + 1, due_at_ms=b.now_ms + delay)
        return b.done()
    return _finish(b, RunStatus.FAILED, error=error)


def _ops(b: _Builder, r: SdkResponded, fn: FunctionDef, jitter: float) -> list[Command]:
    body = r.body
    ops: list[Mapping[str, Json]] = body if isinstance(body, list) else [body] if isinstance(body, dict) else []
    ops = sorted(ops, key=lambda o: 0 if o.get("op") in _PRIORITY_OPS else 1)
    if len(ops) > 1:
        b.run = replace(b.run, force_plan=True)
    if len(b.run.stack) + len(ops) > MAX_STEPS_PER_RUN:
        return _fail(b, ErrorName.STEP_LIMIT, f"run exceeded the limit of {MAX_STEPS_PER_RUN} steps")
    need_discovery = False
    pending = set(b.run.pending)
    at = r.ended_at_ms or b.now_ms
    for op in ops:
        code, step_id = op.get("op"), str(op.get("id") or "")
        name = op.get("displayName") or op.get("name")
        if code in (Opcode.STEP_RUN, Opcode.STEP):
            data = op.get("data")
            data_size = _json_size(data)
            if data_size > MAX_STEP_OUTPUT_BYTES:
                return _fail(b, ErrorName.OUTPUT_TOO_LARGE, f"step {name!r} output exceeds the 4 MB limit")
            if b.save_step(step_id, {"data": data}, data_size + _DATA_MEMO_OVERHEAD):
                b.history(
                    HistoryKind.STEP_COMPLETED,
                    step_id=step_id,
                    name=name,
                    attempt=b.item.attempt,
                    data={"output": data, "started_at_ms": r.started_at_ms},
                    at_ms=at,
                )
            pending.discard(step_id)
            need_discovery = True
        elif code == Opcode.STEP_PLANNED:
            if step_id not in b.run.steps and step_id not in pending:
                pending.add(step_id)
                b.call(step_id)
                b.history(HistoryKind.STEP_PLANNED, step_id=step_id, name=name, at_ms=at)
        elif code in (Opcode.STEP_ERROR, Opcode.STEP_FAILED):
            error = op.get("error")
            no_retry = (_header(r.headers, Header.NO_RETRY) or "").lower() == "true"
            last = code == Opcode.STEP_FAILED or no_retry or b.item.attempt + 1 >= fn.max_attempts
            if not last:
                delay = _retry_delay(r, b.item.attempt, b.now_ms, jitter, b.retry_interval_ms)
                b.history(
                    HistoryKind.STEP_ERRORED,
                    step_id=step_id,
                    name=name,
                    attempt=b.item.attempt,
                    data={"error": error, "retry_at_ms": b.now_ms + delay, "started_at_ms": r.started_at_ms},
                    at_ms=at,
                )
                b.call(b.item.step_id, attempt=b.item.attempt + 1, due_at_ms=b.now_ms + delay)
                continue
            if b.save_step(step_id, {"error": error}):
                b.history(
                    HistoryKind.STEP_FAILED,
                    step_id=step_id,
                    name=name,
                    attempt=b.item.attempt,
                    data={"error": error, "started_at_ms": r.started_at_ms},
                    at_ms=at,
                )
            pending.discard(step_id)
            need_discovery = True
        elif code == Opcode.SLEEP:
            wake = _sleep_until(op, b.now_ms)
            if wake is None:
                return _fail(b, ErrorName.SDK_RESPONSE, f"step {name!r}: invalid sleep duration")
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
                return _fail(b, ErrorName.SDK_RESPONSE, f"step {name!r}: invalid wait_for_event timeout")
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
                return _fail(b, ErrorName.SDK_RESPONSE, f"step {name!r}: invalid invoke options")
        elif code in (Opcode.RUN_COMPLETE, Opcode.SYNC_RUN_COMPLETE):
            return _finish(b, RunStatus.COMPLETED, output=op.get("data"))
        elif code in (Opcode.NONE, Opcode.DEFER_ADD, Opcode.DEFER_ABORT, Opcode.DISCOVERY_REQUEST):
            need_discovery = need_discovery or code == Opcode.DISCOVERY_REQUEST
        else:
            return _fail(b, ErrorName.SDK_RESPONSE, f"opcode {code!r} is not supported by inngest-lab")
    if b.run.state_bytes > MAX_RUN_STATE_BYTES:
        return _fail(b, ErrorName.STATE_OVERFLOW, "run state exceeds the 32 MB limit")
    if pending != b.run.pending:  # replace() costs microseconds; most responses change neither field
        b.run = replace(b.run, pending=frozenset(pending))
    if need_discovery and not pending:
        if b.run.version >= 2 and b.run.force_plan:
            b.run = replace(b.run, force_plan=False)
        b.call(DISCOVERY_STEP_ID)
    return b.done()


def _wait_pause(b: _Builder, op: Mapping[str, Json], step_id: str) -> Pause | None:
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


def _invoke(b: _Builder, op: Mapping[str, Json], step_id: str, name: Json) -> bool:
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
    event: dict[str, Json] = {
        "name": InternalEvent.FUNCTION_INVOKED.value,
        "data": data,
        "ts": b.now_ms,
        "user": payload.get("user") or {},
    }
    if payload.get("v"):
        event["v"] = payload["v"]
    b.enqueue(
        QueueItem(
            item_id=ids.emit_item_id(b.run.run_id, "invoked", step_id),
            run_id=b.run.run_id,
            fn_id=b.run.fn_id,
            kind=ItemKind.EMIT,
            due_at_ms=b.now_ms,
            payload={"event": event},
        )
    )
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


def _retry_delay(r: SdkResponded, attempt: int, now_ms: int, jitter: float, interval_ms: int | None) -> int:
    header = _header(r.headers, Header.RETRY_AFTER)
    if header:
        after = retry_after_ms(header, now_ms)
        if after is not None:
            return after
    return retry_delay_ms(attempt, jitter, interval_ms)


def _fail(b: _Builder, name: ErrorName, message: str) -> list[Command]:
    return _finish(b, RunStatus.FAILED, error={"name": name.value, "message": message})


def _finish(b: _Builder, status: RunStatus, *, output: Json = None, error: Json = None) -> list[Command]:
    # Keep the history gathered so far (e.g. the run start and step entries of this response).
    history = [c for c in b.commands if isinstance(c, AppendHistory)]
    return [*history, *finalize(b.run, status, b.now_ms, output=output, error=error)]


def _error_from_body(r: SdkResponded) -> dict[str, Json]:
    if r.transport_error:
        return {"name": ErrorName.SDK_UNREACHABLE.value, "message": r.transport_error}
    body = r.body
    if isinstance(body, dict) and ("message" in body or "name" in body):
        err = {k: body[k] for k in ("name", "message", "stack", "code") if k in body}
        err.setdefault("name", "Error")
        return err
    text = body if isinstance(body, str) else json.dumps(body)[:1000]
    return {"name": ErrorName.SDK_RESPONSE.value, "message": f"HTTP {r.status}: {text}"}


def _req_version(headers: Mapping[str, str]) -> int:
    raw = _header(headers, Header.REQ_VERSION)
    try:
        v = int(raw) if raw else 2
    except ValueError:
        v = 2
    return v if v in (1, 2) else 2


def _header(headers: Mapping[str, str], name: Header) -> str | None:
    return headers.get(name.value.lower())


_SIZE_ENCODER = json.JSONEncoder(separators=(",", ":"), default=str)  # built once, not per call


def _json_size(value: Json) -> int:
    return len(_SIZE_ENCODER.encode(value))


__all__: Sequence[str] = ("transition",)
