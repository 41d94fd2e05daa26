"""The one implementation of step semantics; ``step.py`` holds thin sync/async faces over it.

Per call request a ``StepCore`` replays memoized steps and decides, for the first new step, whether to run it
inline, plan it, or report it (protocol doc sections 4.3, 4.4 and 4.7). Decisions that stop the run raise
``StepInterrupt`` carrying the ops of the 206 body.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from types import TracebackType
from typing import Any, NoReturn

from inngest_lab.protocol.consts import Opcode
from inngest_lab.protocol.durations import iso_utc, to_ms
from inngest_lab.protocol.step_ids import hash_step_id
from inngest_lab.sdk.config import Duration, Event, ParallelMode, duration_str
from inngest_lab.sdk.errors import (
    CodedError,
    ErrorCode,
    NestedStepInterrupt,
    NonRetriableError,
    OutputUnserializableError,
    RetryAfterError,
    SkipInterrupt,
    StepError,
    StepInterrupt,
    error_data,
    is_retriable,
)


def to_json_value(value: Any) -> Any:
    """``value`` as the server will see it (tuples become lists, ...). Raises TypeError/ValueError if unserializable.

    In-process callers get the same values an HTTP server would decode.
    """
    if type(value) in _JSON_SCALARS:
        return value  # a JSON round trip returns an equal value of the same type
    return json.loads(json.dumps(value))


_JSON_SCALARS = frozenset({str, int, float, bool, type(None)})


@dataclass(frozen=True, slots=True)
class Memo:
    """A parsed memoized step value: ``error`` set means the step failed for good."""

    data: Any = None
    error: Mapping[str, Any] | None = None


def _is_memo_error(value: Any) -> bool:
    return (
        isinstance(value, Mapping)
        and isinstance(value.get("message"), str)
        and isinstance(value.get("name"), str)
        and (value.get("stack") is None or isinstance(value.get("stack"), str))
    )


def parse_memo(raw: Any) -> Memo:
    """inngest-py's rule: a strict ``{data?, error?}`` object is unwrapped; anything else is the data itself."""
    if type(raw) is dict and len(raw) == 1 and "data" in raw:
        return Memo(data=raw["data"])  # the common memo, without the general checks below
    if isinstance(raw, Mapping) and set(raw) <= {"data", "error"}:
        err = raw.get("error")
        if err is None:
            return Memo(data=raw.get("data"))
        if _is_memo_error(err):
            return Memo(data=raw.get("data"), error=err)
    return Memo(data=raw)


def _is_input_override(raw: Any) -> bool:
    return isinstance(raw, Mapping) and len(raw) == 1 and isinstance(raw.get("input"), list)


@dataclass(slots=True)
class StepOp:
    """One step as reported on the wire."""

    hashed: str
    user_id: str
    index: int | None
    op: Opcode
    name: str
    opts: dict[str, Any] | None = None

    def wire(self, *, data: Any = None, error: dict[str, Any] | None = None) -> dict[str, Any]:
        """The op dict with every key inngest-py sends (``error`` only when there is one)."""
        d: dict[str, Any] = {
            "displayName": self.user_id,
            "id": self.hashed,
            "name": self.name,
            "op": self.op.value,
            "opts": self.opts,
            "userland": {"id": self.user_id, "index": self.index},
        }
        if error is not None:
            d["error"] = error
        d["data"] = data
        return d


@dataclass(slots=True)
class Ticket:
    """The outcome of ``begin_run``: a replayed value (``done``) or permission to run the handler now."""

    op: StepOp
    done: bool
    value: Any = None
    args: list[Any] | None = None  # replacement arguments for the handler (a rerun from this step with new input)

    def handler_args(self, given: tuple[Any, ...]) -> tuple[Any, ...]:
        return tuple(self.args) if self.args is not None else given


class StepCore:
    """Step state for one call request. Not thread-safe: one run executes on one thread at a time."""

    def __init__(
        self,
        *,
        app_id: str,
        steps: Mapping[str, Any],
        target: str | None,
        attempt: int,
        max_attempts: int | None,
        disable_immediate_execution: bool,
        now_ms: Callable[[], int],
    ) -> None:
        self.app_id = app_id
        # ``{"input": [...]}``: not a memo but the replacement arguments of a step rerun with edited input
        self._inputs = {k: v["input"] for k, v in steps.items() if _is_input_override(v)}
        self._memos = {k: parse_memo(v) for k, v in steps.items() if k not in self._inputs}
        self._target = target
        self._attempt = attempt
        self._max_attempts = max_attempts
        self._disable_immediate = disable_immediate_execution
        self._now_ms = now_ms
        self._counts: dict[str, int] = {}
        self._in_step = False
        self._parallel_depth = 0

    # -- discovery ---------------------------------------------------------------------------------

    def _new_op(self, step_id: str, op: Opcode, name: str | None = None, opts: dict[str, Any] | None = None) -> StepOp:
        if self._in_step:
            raise NestedStepInterrupt()
        n = self._counts.get(step_id, 0)
        self._counts[step_id] = n + 1
        return StepOp(hash_step_id(step_id, n), step_id, n or None, op, step_id if name is None else name, opts)

    def _replay(self, op: StepOp) -> Memo | None:
        memo = self._memos.pop(op.hashed, None)
        if memo is not None and memo.error is not None:
            e = memo.error
            raise StepError(e["message"], e["name"], e.get("stack"))
        return memo

    def _decide_new(self, op: StepOp) -> None:
        """Return only when a new ``step.run`` may execute now; otherwise raise the interrupt that reports it."""
        targeting = self._target is not None
        if targeting and op.hashed != self._target:
            raise SkipInterrupt(op.user_id)
        if not targeting and (self._parallel_depth > 0 or (op.op is Opcode.STEP_RUN and self._disable_immediate)):
            if op.op is Opcode.STEP_RUN:
                op.op = Opcode.STEP_PLANNED
            raise StepInterrupt([op.wire()])
        if op.op is Opcode.STEP_RUN:
            return
        raise StepInterrupt([op.wire()])

    def _resolve(self, op: StepOp) -> Any:
        memo = self._replay(op)
        if memo is not None:
            return memo.data
        self._decide_new(op)
        raise AssertionError("unreachable: only step.run may execute")

    # -- step.run ----------------------------------------------------------------------------------

    def begin_run(self, step_id: str) -> Ticket:
        op = self._new_op(step_id, Opcode.STEP_RUN)
        memo = self._replay(op)
        if memo is not None:
            return Ticket(op, True, memo.data)
        self._decide_new(op)
        self._in_step = True
        return Ticket(op, False, args=self._inputs.get(op.hashed))

    def finish_run(self, ticket: Ticket, output: Any) -> NoReturn:
        self._in_step = False
        try:
            data = to_json_value(output)
        except (TypeError, ValueError) as err:
            raise OutputUnserializableError(f'"{ticket.op.user_id}" returned unserializable data') from err
        raise StepInterrupt([ticket.op.wire(data=data)])

    def fail_run(self, ticket: Ticket, exc: BaseException) -> NoReturn:
        self._in_step = False
        op = ticket.op
        if isinstance(exc, NestedStepInterrupt):
            op.op = Opcode.STEP_ERROR
            nested = CodedError(ErrorCode.STEP_NESTED, "Nested steps are not supported.", is_retriable=False)
            raise StepInterrupt([op.wire(error=error_data(nested))], no_retry=True) from None
        if isinstance(exc, NonRetriableError | RetryAfterError) or not isinstance(exc, Exception):
            raise exc  # function-level errors and control flow pass through
        last = self._max_attempts is not None and self._attempt + 1 >= self._max_attempts
        op.op = Opcode.STEP_FAILED if last else Opcode.STEP_ERROR
        raise StepInterrupt([op.wire(error=error_data(exc))], no_retry=not is_retriable(exc)) from None

    # -- the other step kinds ----------------------------------------------------------------------

    def sleep(self, step_id: str, duration: Duration) -> None:
        self._sleep(step_id, self._now_ms() + to_ms(duration))

    def sleep_until(self, step_id: str, until: datetime) -> None:
        self._sleep(step_id, int(until.astimezone().timestamp() * 1000))

    def _sleep(self, step_id: str, until_ms: int) -> None:
        self._resolve(self._new_op(step_id, Opcode.SLEEP, name=iso_utc(until_ms)))

    def wait_for_event(self, step_id: str, *, event: str, if_exp: str | None, timeout: Duration) -> Event | None:
        opts = {"if": if_exp, "timeout": duration_str(timeout)}
        value = self._resolve(self._new_op(step_id, Opcode.WAIT_FOR_EVENT, name=event, opts=opts))
        return None if value is None else Event.from_wire(value)

    def wait_for_signal(self, step_id: str, *, signal: str, timeout: Duration, on_conflict: str) -> Any:
        """``{"signal", "data"}`` once the signal arrives, None at the timeout (protocol-next §5.1)."""
        opts = {"signal": signal, "timeout": duration_str(timeout), "conflict": on_conflict}
        return self._resolve(self._new_op(step_id, Opcode.WAIT_FOR_SIGNAL, name=signal, opts=opts))

    def ai_infer(self, step_id: str, opts: dict[str, Any]) -> Any:
        """The provider's response once the server made the call (``sdk/ai.py`` builds ``opts``)."""
        return self._resolve(self._new_op(step_id, Opcode.AI_GATEWAY, opts=opts))

    def invoke_by_id(
        self,
        step_id: str,
        *,
        app_id: str | None,
        function_id: str,
        data: Mapping[str, Any] | None,
        timeout: Duration | None,
        v: str | None = None,
        user: Mapping[str, Any] | None = None,
    ) -> Any:
        payload: dict[str, Any] = {"data": dict(data) if data is not None else None, "v": v}
        if user is not None:
            payload["user"] = dict(user)
        opts = {
            "function_id": f"{app_id or self.app_id}-{function_id}",
            "payload": payload,
            "timeout": None if timeout is None else duration_str(timeout),
        }
        return self._resolve(self._new_op(step_id, Opcode.INVOKE_FUNCTION, opts=opts))

    def parallel(self, mode: ParallelMode = ParallelMode.WAIT) -> ParallelScope:
        return ParallelScope(self, mode)


class ParallelScope:
    """Collects the branches of ``group.parallel``: new steps are planned together, skipped branches ignored."""

    def __init__(self, core: StepCore, mode: ParallelMode) -> None:
        self._core, self._mode = core, mode
        self._ops: list[dict[str, Any]] = []
        self._no_retry = False
        self._outputs: list[Any] = []

    def __enter__(self) -> ParallelScope:
        self._core._parallel_depth += 1
        return self

    def __exit__(self, *exc: object) -> None:
        self._core._parallel_depth -= 1

    def branch(self) -> _Branch:
        return _Branch(self)

    def add(self, value: Any) -> None:
        self._outputs.append(value)

    def _absorb(self, exc: BaseException) -> bool:
        if isinstance(exc, StepInterrupt):
            self._ops.extend(exc.ops)
            self._no_retry = self._no_retry or exc.no_retry
            return True
        return isinstance(exc, SkipInterrupt)

    def result(self) -> tuple[Any, ...]:
        """The branch outputs, or raise the interrupt reporting every new step found."""
        if self._ops:
            if self._mode is ParallelMode.RACE:
                for op in self._ops:
                    op["opts"] = {**(op["opts"] or {}), "parallelMode": ParallelMode.RACE.value}
            raise StepInterrupt(self._ops, no_retry=self._no_retry)
        return tuple(self._outputs)


class _Branch:
    def __init__(self, scope: ParallelScope) -> None:
        self._scope = scope

    def __enter__(self) -> None:
        return None

    def __exit__(self, typ: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> bool:
        return exc is not None and self._scope._absorb(exc)
