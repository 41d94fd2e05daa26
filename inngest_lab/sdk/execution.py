"""Run one function for one call request and classify the result (protocol doc sections 4.1, 4.2 and 4.8).

Sync handlers run in a worker thread so user code never blocks the event loop; async handlers run on it.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from inngest_lab.protocol.durations import iso_utc
from inngest_lab.sdk.checkpointing import Checkpointer, StaleDispatch, run_complete, stale_error
from inngest_lab.sdk.config import Event
from inngest_lab.sdk.errors import (
    BodyInvalidError,
    FunctionNotFoundError,
    OutputUnserializableError,
    RetryAfterError,
    SkipInterrupt,
    StepInterrupt,
    StepUnexpectedError,
    error_data,
    is_retriable,
)
from inngest_lab.sdk.function import Function
from inngest_lab.sdk.step import Context, ContextSync, Group, GroupSync, Step, StepSync
from inngest_lab.sdk.step_core import StepCore, to_json_value
from inngest_lab.sdk.transport import home_loop


@dataclass(frozen=True, slots=True)
class CallRequest:
    """A validated call request body, checked as strictly as inngest-py's pydantic model."""

    event: Event
    events: list[Event]
    steps: Mapping[str, Any]
    run_id: str
    attempt: int
    max_attempts: int | None
    disable_immediate_execution: bool
    use_api: bool


def _require(obj: Mapping[str, Any], key: str, typ: type | tuple[type, ...], where: str) -> Any:
    if key not in obj:
        raise BodyInvalidError(f"1 validation error for ServerRequest\n{where}{key}\n  Field required")
    value = obj[key]
    if not isinstance(value, typ) or (isinstance(value, bool) and typ is int):
        raise BodyInvalidError(f"1 validation error for ServerRequest\n{where}{key}\n  Input should be {typ}")
    return value


def parse_call_request(body: Any) -> CallRequest:
    """Validate a decoded call request. Raises ``BodyInvalidError``."""
    if not isinstance(body, Mapping):
        raise BodyInvalidError("1 validation error for ServerRequest\n  Input should be an object")
    ctx = _require(body, "ctx", Mapping, "")
    steps = _require(body, "steps", Mapping, "")
    use_api = _require(body, "use_api", bool, "")
    attempt = _require(ctx, "attempt", int, "ctx.")
    dis = _require(ctx, "disable_immediate_execution", bool, "ctx.")
    run_id = _require(ctx, "run_id", str, "ctx.")
    _require(ctx, "stack", Mapping, "ctx.")
    max_attempts = ctx.get("max_attempts")
    if max_attempts is not None and (not isinstance(max_attempts, int) or isinstance(max_attempts, bool)):
        raise BodyInvalidError("1 validation error for ServerRequest\nctx.max_attempts\n  Input should be int")
    try:
        event = Event.from_wire(body.get("event"))
        raw_events = body.get("events")
        if raw_events is None and not use_api:
            raise ValueError("events not in request")
        events = [Event.from_wire(e) for e in raw_events or []]
    except ValueError as err:
        raise BodyInvalidError(f"1 validation error for ServerRequest\n{err}") from err
    return CallRequest(event, events, steps, run_id, attempt, max_attempts, dis, use_api)


@dataclass(frozen=True, slots=True)
class Outcome:
    """What the SDK answers: 200 (value), 206 (ops) or 500 (error), with the retry headers' inputs."""

    status: int
    body: Any
    no_retry: bool = False
    retry_after: str | None = None
    headers: Mapping[str, str] = field(default_factory=dict)


def outcome_of_error(err: BaseException, now_ms: Callable[[], int] | None = None) -> Outcome:
    """The 500 answer for ``err``. ``now_ms``: the handler's clock, from which a relative RetryAfterError counts."""
    return Outcome(500, error_data(err), no_retry=not is_retriable(err), retry_after=_retry_after(err, now_ms))


def _retry_after(err: BaseException, now_ms: Callable[[], int] | None) -> str | None:
    if not isinstance(err, RetryAfterError):
        return None
    if err.delay_ms is not None and now_ms is not None:
        return iso_utc(now_ms() + err.delay_ms)
    return iso_utc(int(err.retry_after.timestamp() * 1000))


def _classify(exc: BaseException, now_ms: Callable[[], int]) -> Outcome | None:
    """How a run that raised ``exc`` is answered; None for control flow that is not ours (cancellation)."""
    if isinstance(exc, StaleDispatch):
        return Outcome(400, stale_error(), no_retry=True)
    if isinstance(exc, StepInterrupt):
        return Outcome(206, exc.ops, no_retry=exc.no_retry)
    if isinstance(exc, SkipInterrupt):
        return outcome_of_error(StepUnexpectedError(f'found step "{exc.step_id}" when targeting a different step'))
    if isinstance(exc, Exception):
        return outcome_of_error(exc, now_ms)
    return None


def _settle(run: Callable[[], Any], now_ms: Callable[[], int]) -> Outcome:
    try:
        value = run()
    except BaseException as exc:
        outcome = _classify(exc, now_ms)
        if outcome is None:
            raise
        return outcome
    return _returned(value)


def _returned(value: Any) -> Outcome:
    try:
        return Outcome(200, to_json_value(value))
    except (TypeError, ValueError):
        return outcome_of_error(OutputUnserializableError("returned unserializable data"))


async def execute(
    client: Any,
    fn: Function[Any],
    fn_id: str,
    req: CallRequest,
    *,
    target_step: str | None,
    now_ms: Callable[[], int] | None = None,
    job_id: str | None = None,
    request_id: str | None = None,
    checkpointer: Checkpointer | None = None,
) -> Outcome:
    """Run ``fn`` (or its failure twin, by ``fn_id``) for ``req``. ``target_step``: hashed id, None for discovery.

    ``checkpointer``: run ``step.run`` steps back to back, buffering them (``sdk/checkpointing.py``); used only for a
    discovery call at attempt 0 that may execute steps at once.
    """
    handler = fn.handler_for(fn_id)
    if handler is None:
        return outcome_of_error(FunctionNotFoundError(f"function {fn_id} not found"))
    clock = now_ms or (lambda: int(time.time() * 1000))
    core = StepCore(
        app_id=fn.app_id,
        steps=req.steps,
        target=target_step,
        attempt=req.attempt,
        max_attempts=req.max_attempts,
        disable_immediate_execution=req.disable_immediate_execution,
        now_ms=clock,
        checkpointer=checkpointer if _may_checkpoint(req, target_step) else None,
    )
    outcome = await _run(client, fn, handler, req, core, clock, job_id, request_id)
    return outcome if core.checkpointer is None else await _with_buffer(outcome, core.checkpointer)


def _may_checkpoint(req: CallRequest, target_step: str | None) -> bool:
    return target_step is None and req.attempt == 0 and not req.disable_immediate_execution


async def _with_buffer(outcome: Outcome, cp: Checkpointer) -> Outcome:
    """The call's answer with the steps not yet checkpointed in front: a return becomes ``RunComplete``; before a
    function error the steps are checkpointed (or, failing that, answered alone so the error comes back next call).
    A dispatch found stale answers 400, not retried."""
    if cp.stale:
        await cp.take()
        return Outcome(400, stale_error(), no_retry=True)
    if outcome.status == 500 and cp.buffer:
        try:
            await cp.settle()
        except StaleDispatch:
            return Outcome(400, stale_error(), no_retry=True)
    ops = await cp.take()
    if not ops:
        return outcome
    if outcome.status == 200:
        return Outcome(206, [*ops, run_complete(outcome.body)])
    if outcome.status == 206 and isinstance(outcome.body, list):
        return replace(outcome, body=[*ops, *outcome.body])
    return Outcome(206, ops)  # an error after steps that could not be saved: save them, then the error again


async def _run(
    client: Any,
    fn: Function[Any],
    handler: Callable[[Any], Any],
    req: CallRequest,
    core: StepCore,
    clock: Callable[[], int],
    job_id: str | None,
    request_id: str | None,
) -> Outcome:
    common = {
        "event": req.event,
        "events": req.events,
        "run_id": req.run_id,
        "attempt": req.attempt,
        "logger": client.logger,
        "job_id": job_id,
        "request_id": request_id,
    }
    if fn.is_async:
        actx = Context(step=Step(core, client), group=Group(core), **common)
        try:
            value = await handler(actx)
        except BaseException as exc:
            outcome = _classify(exc, clock)
            if outcome is None:
                raise
            return outcome
        return _returned(value)
    sctx = ContextSync(step=StepSync(core, client), group=GroupSync(core), **common)
    token = home_loop.set(asyncio.get_running_loop())
    try:
        return await asyncio.to_thread(_settle, lambda: handler(sctx), clock)
    finally:
        home_loop.reset(token)
