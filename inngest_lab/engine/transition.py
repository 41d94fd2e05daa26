"""The run state machine: ``transition(run, item, signal, fn, now_ms, jitter[, retry_interval_ms]) -> commands``.

Pure: everything it needs comes in as arguments, everything it decides goes out as commands that
the shell applies in one transaction (together with the ``Ack`` of ``item``). Rules it guarantees:

* a terminal run never leaves its terminal state (every signal on it yields no commands);
* a memoized step is never saved twice and never called again;
* a run never saves more steps than the SDK reported, and never more than ``MAX_STEPS_PER_RUN``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from inngest_lab.engine import ids
from inngest_lab.engine.backoff import should_retry
from inngest_lab.engine.finalize import finalize
from inngest_lab.engine.gateway import gateway_responded
from inngest_lab.engine.model import Command, DeletePause, Dequeue, FunctionDef, HistoryKind, PauseKind, QueueItem, Run
from inngest_lab.engine.pauses import resumed_memo, timed_out_memo
from inngest_lab.engine.run_builder import RunBuilder, json_size
from inngest_lab.engine.sdk_response import error_from_body, header, req_version, retry_delay
from inngest_lab.engine.signal_wait import signal_conflicted
from inngest_lab.engine.signals import (
    CancelRequested,
    GatewayResponded,
    PauseResumed,
    PauseTimedOut,
    SdkResponded,
    Signal,
    SignalConflicted,
    TimerFired,
)
from inngest_lab.engine.step_ops import apply_ops
from inngest_lab.protocol.consts import DISCOVERY_STEP_ID, MAX_STEP_OUTPUT_BYTES, ErrorName, Header, RunStatus


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
    if isinstance(signal, SdkResponded) and item.step_id != DISCOVERY_STEP_ID and item.step_id in run.steps:
        return []  # the step's item was delivered twice and the other delivery's result is recorded already
    b = RunBuilder(run, item, now_ms, retry_interval_ms, fn)
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
    if isinstance(signal, GatewayResponded):
        return gateway_responded(b, signal, fn.max_attempts if fn else run.max_attempts, jitter)
    if isinstance(signal, SignalConflicted):
        return signal_conflicted(b, signal.pause)
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


def _responded(b: RunBuilder, r: SdkResponded, fn: FunctionDef, jitter: float) -> list[Command]:
    run = b.run
    if run.status is RunStatus.QUEUED:
        b.run = replace(run, status=RunStatus.RUNNING, started_at_ms=r.started_at_ms or b.now_ms)
        b.history(HistoryKind.RUN_STARTED, at_ms=r.started_at_ms or b.now_ms)
    if b.run.version == -1 and r.status in (200, 206):
        b.run = replace(b.run, version=req_version(r.headers))
    is_sdk = header(r.headers, Header.SDK) is not None
    if r.status == 206 and is_sdk:
        return apply_ops(b, r, fn, jitter)
    if r.status == 200 and is_sdk:
        if json_size(r.body) > MAX_STEP_OUTPUT_BYTES:
            return b.fail(ErrorName.OUTPUT_TOO_LARGE, "function output exceeds the 4 MB limit")
        return b.finish(RunStatus.COMPLETED, output=r.body)
    return _call_failed(b, r, fn, jitter)


def _call_failed(b: RunBuilder, r: SdkResponded, fn: FunctionDef, jitter: float) -> list[Command]:
    """A 4xx/5xx, a non-SDK answer or a transport error: retry per policy, else fail the run."""
    item = b.item
    error = error_from_body(r)
    is_sdk = header(r.headers, Header.SDK) is not None
    # Transport errors and answers that did not come from an SDK (proxies, 401s) are always retried.
    retriable = r.transport_error is not None or not is_sdk or should_retry(r.status, r.headers)
    if retriable and item.attempt + 1 < fn.max_attempts:
        delay = retry_delay(r, item.attempt, b.now_ms, jitter, b.retry_interval_ms)
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
    return b.finish(RunStatus.FAILED, error=error)


__all__: Sequence[str] = ("transition",)
