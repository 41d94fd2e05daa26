"""A run's timeline: its history projected into one span per step, with attempts. Pure.

This is the read model behind every timeline view (the REST ``/lab/runs/{id}/trace`` route, the
JupyterLab Run timeline panel and the notebook widget): they all render what ``build_timeline``
returns, so the views cannot disagree about what happened.

Times are epoch milliseconds. A span's ``queued_at_ms`` is when its work became ready to run (the
previous step ended, the step was planned, or its retry became due); ``started_at_ms`` is when the SDK
started executing it, so ``started - queued`` is queue delay and ``ended - started`` is execution time.
``ended_at_ms`` is None while a span is still in progress (views draw it up to ``now_ms``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum

from inngest_lab.engine.model import HistoryEntry, HistoryKind, Json, Run
from inngest_lab.protocol.consts import RunStatus


class SpanKind(StrEnum):
    """What a span is (drives the icon and the detail panel). Sent on the wire."""

    RUN = "run"  # step.run
    SLEEP = "sleep"
    WAIT = "wait"  # wait_for_event
    INVOKE = "invoke"
    CALL = "call"  # a failed call to the function itself (not a step), retried
    AI = "ai"  # step.ai.infer: the server's inference call (detail: model, token counts, latency)
    FETCH = "fetch"  # step.fetch: the server's HTTP request (detail: url, status, latency)
    SIGNAL = "signal"  # step.waitForSignal


class SpanStatus(StrEnum):
    """Status of a span or an attempt. Sent on the wire."""

    QUEUED = "queued"
    RUNNING = "running"
    COMPLETED = "completed"
    FAILED = "failed"
    ERRORED = "errored"  # an attempt failed and a retry was scheduled
    SLEEPING = "sleeping"
    WAITING = "waiting"
    TIMED_OUT = "timed_out"
    CANCELLED = "cancelled"


_OPEN = frozenset({SpanStatus.QUEUED, SpanStatus.RUNNING, SpanStatus.SLEEPING, SpanStatus.WAITING})
_PAUSE_KINDS = {"wait": SpanKind.WAIT, "invoke": SpanKind.INVOKE, "signal": SpanKind.SIGNAL}
_GATEWAY_KINDS = {"ai": SpanKind.AI, "fetch": SpanKind.FETCH}


@dataclass(slots=True)
class _Attempt:
    attempt: int
    status: SpanStatus
    queued_at_ms: int
    started_at_ms: int
    ended_at_ms: int
    error: Json = None
    flow_wait_ms: int = 0  # of the queue delay, how long flow control (concurrency) held it

    def json(self) -> dict[str, Json]:
        return {
            "attempt": self.attempt,
            "status": self.status.value,
            "queued_at_ms": self.queued_at_ms,
            "started_at_ms": self.started_at_ms,
            "ended_at_ms": self.ended_at_ms,
            "error": self.error,
            "flow_wait_ms": self.flow_wait_ms,
        }


@dataclass(slots=True)
class _Span:
    span_id: str
    name: str
    kind: SpanKind
    status: SpanStatus
    queued_at_ms: int
    started_at_ms: int | None = None
    ended_at_ms: int | None = None
    output: Json = None
    error: Json = None
    input: Json = None  # the arguments a step ran with, when its SDK reports them
    detail: dict[str, Json] = field(default_factory=dict)
    attempts: list[_Attempt] = field(default_factory=list)
    next_queued_ms: int | None = None  # when the next attempt became due (after an errored attempt)

    def json(self) -> dict[str, Json]:
        return {
            "id": self.span_id,
            "name": self.name,
            "kind": self.kind.value,
            "status": self.status.value,
            "queued_at_ms": self.queued_at_ms,
            "started_at_ms": self.started_at_ms,
            "ended_at_ms": self.ended_at_ms,
            "output": self.output,
            "error": self.error,
            "input": self.input,
            "detail": self.detail,
            "attempts": [a.json() for a in self.attempts],
        }


class _Projection:
    """Folds history entries, in order, into spans."""

    def __init__(self, run: Run) -> None:
        self.spans: dict[str, _Span] = {}
        self.cursor = run.created_at_ms  # when the function last became ready to be called
        self.memos = run.steps  # what a wait or an invoke resumed with
        self.delay: Mapping[str, Json] | None = None  # flow control held the call that comes next

    def span(self, entry: HistoryEntry, kind: SpanKind, status: SpanStatus) -> _Span:
        key = entry.step_id or ""
        found = self.spans.get(key)
        if found is None:
            found = _Span(key, entry.name or key[:8], kind, status, queued_at_ms=self.cursor)
            self.spans[key] = found
        elif entry.name and found.name == key[:8]:
            found.name = entry.name
        return found

    def apply(self, e: HistoryEntry) -> None:
        data: Mapping[str, Json] = e.data if isinstance(e.data, Mapping) else {}
        k = e.kind
        if k is HistoryKind.RUN_SCHEDULED:
            self.cursor = e.at_ms
        elif k is HistoryKind.FLOW_DELAYED:
            self.delay = data
            return  # it explains the next entry's queue delay; it is not a step of its own
        elif k is HistoryKind.STEP_PLANNED:
            self.span(e, SpanKind.RUN, SpanStatus.QUEUED).queued_at_ms = e.at_ms
        elif k in (HistoryKind.STEP_COMPLETED, HistoryKind.STEP_ERRORED, HistoryKind.STEP_FAILED):
            self._attempt(e, data)
        elif k is HistoryKind.STEP_SLEEPING:
            s = self._begin(e, SpanKind.SLEEP, SpanStatus.SLEEPING)
            s.detail = {"sleep_until_ms": data.get("until_ms")}
        elif k is HistoryKind.STEP_WAITING and "signal" in data:
            s = self._begin(e, SpanKind.SIGNAL, SpanStatus.WAITING)
            s.detail = {
                "signal": data.get("signal"),
                "conflict": data.get("conflict"),
                "timeout_at_ms": data.get("expires_at_ms"),
            }
        elif k is HistoryKind.STEP_WAITING:
            s = self._begin(e, SpanKind.WAIT, SpanStatus.WAITING)
            s.detail = {
                "event": data.get("event"),
                "expression": data.get("expression"),
                "timeout_at_ms": data.get("expires_at_ms"),
            }
        elif k is HistoryKind.STEP_INVOKING:
            s = self._begin(e, SpanKind.INVOKE, SpanStatus.WAITING)
            s.detail = {"function_id": data.get("function_id"), "timeout_at_ms": data.get("expires_at_ms")}
        elif k in (HistoryKind.STEP_RESUMED, HistoryKind.STEP_TIMED_OUT):
            self._end_pause(e, data)
        elif k in (HistoryKind.FUNCTION_ERRORED, HistoryKind.CALL_FAILED):
            key = f"{e.step_id or 'step'}#{e.attempt}"
            s = _Span(key, f"function call, attempt {e.attempt + 1}", SpanKind.CALL, SpanStatus.ERRORED, self.cursor)
            s.started_at_ms = s.ended_at_ms = e.at_ms
            s.error = data.get("error")
            s.detail = {"status": data.get("status"), "retry_at_ms": data.get("retry_at_ms")}
            self.spans[key] = s
            retry = data.get("retry_at_ms")
            self.cursor = retry if isinstance(retry, int) else e.at_ms
        if k is not HistoryKind.RUN_STARTED:  # the call's first step entry has taken the delay (or none did)
            self.delay = None

    def _begin(self, e: HistoryEntry, kind: SpanKind, status: SpanStatus) -> _Span:
        s = self.span(e, kind, status)
        s.kind, s.status = kind, status
        s.started_at_ms = e.at_ms
        return s

    def _attempt(self, e: HistoryEntry, data: Mapping[str, Json]) -> None:
        s = self.span(e, SpanKind.RUN, SpanStatus.RUNNING)
        started = data.get("started_at_ms")
        start = started if isinstance(started, int) else e.at_ms
        queued = s.next_queued_ms if s.next_queued_ms is not None else min(s.queued_at_ms, start)
        status = {
            HistoryKind.STEP_COMPLETED: SpanStatus.COMPLETED,
            HistoryKind.STEP_ERRORED: SpanStatus.ERRORED,
            HistoryKind.STEP_FAILED: SpanStatus.FAILED,
        }[e.kind]
        attempt = _Attempt(e.attempt, status, queued, start, e.at_ms, data.get("error"))
        if self.delay is not None:
            waited = self.delay.get("waited_ms")
            attempt.flow_wait_ms = waited if isinstance(waited, int) else 0
            s.detail = {**s.detail, "delayed_by": self.delay.get("reason"), "flow_wait_ms": attempt.flow_wait_ms}
        s.attempts.append(attempt)
        gateway = data.get("gateway")
        if isinstance(gateway, Mapping):  # engine/gateway.py: the server made this step's HTTP call
            s.kind = _GATEWAY_KINDS.get(str(gateway.get("kind")), s.kind)
            s.detail = {**s.detail, **{k: v for k, v in gateway.items() if k != "kind"}}
        if s.started_at_ms is None:
            s.started_at_ms = start
        s.queued_at_ms = min(s.queued_at_ms, queued)
        s.error = data.get("error")
        if "input" in data:
            s.input = data["input"]
        if status is SpanStatus.ERRORED:
            retry = data.get("retry_at_ms")
            s.next_queued_ms = retry if isinstance(retry, int) else e.at_ms
            s.status = SpanStatus.QUEUED
            return
        s.status, s.ended_at_ms = status, e.at_ms
        s.output = data.get("output")
        self.cursor = e.at_ms

    def _end_pause(self, e: HistoryEntry, data: Mapping[str, Json]) -> None:
        kind = _PAUSE_KINDS.get(str(data.get("kind")), SpanKind.SLEEP)
        s = self.span(e, kind, SpanStatus.COMPLETED)
        s.ended_at_ms = e.at_ms
        if e.kind is HistoryKind.STEP_TIMED_OUT:
            s.status = SpanStatus.TIMED_OUT
        else:
            s.status = SpanStatus.COMPLETED
            if data.get("event_id") is not None:
                s.detail["matched_event_id"] = data.get("event_id")
        self._pause_result(s)
        self.cursor = e.at_ms

    def _pause_result(self, s: _Span) -> None:
        """A wait's output is the matched event; an invoke's, the child's result or error (its memo)."""
        memo = self.memos.get(s.span_id)
        if not isinstance(memo, Mapping):
            return
        if s.kind is SpanKind.WAIT:
            s.output = dict(memo)
        elif s.kind is SpanKind.SIGNAL:
            s.output = memo.get("data")
        elif s.kind is SpanKind.INVOKE and memo.get("error") is not None:
            s.error = memo["error"]
            if s.status is SpanStatus.COMPLETED:
                s.status = SpanStatus.FAILED
        elif s.kind is SpanKind.INVOKE:
            s.output = memo.get("data")

    def close(self, run: Run) -> None:
        """A run that ended leaves nothing open: open spans end with it (cancelled when it was)."""
        if not run.status.is_terminal or run.ended_at_ms is None:
            return
        for s in self.spans.values():
            if s.status in _OPEN:
                s.status = SpanStatus.CANCELLED
                s.ended_at_ms = run.ended_at_ms


def build_timeline(run: Run, history: Sequence[HistoryEntry], now_ms: int) -> dict[str, Json]:
    """Project ``history`` (in insertion order) of ``run`` into its timeline (see module docstring)."""
    p = _Projection(run)
    for entry in history:
        p.apply(entry)
    p.close(run)
    ended = run.ended_at_ms
    return {
        "run_id": run.run_id,
        "function_id": run.fn_id,
        "app_id": run.app_id,
        "status": run.status.value,
        "event_name": run.events[0].get("name") if run.events else None,
        "event_ids": list(run.event_ids),
        "queued_at_ms": run.created_at_ms,
        "started_at_ms": run.started_at_ms,
        "ended_at_ms": ended,
        "now_ms": now_ms,
        "output": run.output if run.status is RunStatus.COMPLETED else None,
        "error": run.error,
        "spans": [s.json() for s in sorted(p.spans.values(), key=_order)],
        "skip_reason": run.skip_reason,
        "flow": [{**(e.data or {}), "kind": e.kind.value, "at_ms": e.at_ms} for e in history if e.kind in _FLOW],
    }


# Flow-control entries (engine/flow): why the run waited, was batched or debounced, or was skipped.
_FLOW = frozenset(
    {HistoryKind.RUN_THROTTLED, HistoryKind.RUN_DEBOUNCED, HistoryKind.RUN_BATCHED, HistoryKind.RUN_SKIPPED}
)


def _order(s: _Span) -> tuple[int, float]:
    """Spans in the order their work became ready (steps of a parallel group by start time)."""
    return (s.queued_at_ms, s.started_at_ms if s.started_at_ms is not None else float("inf"))
