"""The run a task is working on, and the trace ids derived from it.

Trace ids are a pure function of the run id, and span ids of the run id and what the span is (the run, one
call, one sleep). Every process computes the same ids for the same run, so a run that many HTTP calls and
processes carry forward still comes out as one tree, with nothing stored. The executor sets ``CURRENT`` at
the top of each queue item's task (a task's context is its own copy), so log lines and outgoing calls made
while processing it know their run without passing it around.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from contextvars import ContextVar
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class RunContext:
    """The run (and queue item) the current task processes."""

    run_id: str
    fn_id: str
    item_id: str

    @property
    def trace_id(self) -> str:
        return trace_id_hex(self.run_id)


CURRENT: ContextVar[RunContext | None] = ContextVar("inngest_lab_run", default=None)

sampled: Callable[[str], bool] = lambda run_id: True  # noqa: E731 - replaced by tracing.install (OTEL sampler)
"""Whether the run's trace is sampled (the ``traceparent`` flags); every run is, unless a sampler says not."""


# empty hashers of each digest size, copied per id: a copy skips the constructor's keyword parsing
_HASHERS = {8: hashlib.blake2b(digest_size=8), 16: hashlib.blake2b(digest_size=16)}


def _digest(key: str, size: int) -> int:
    hasher = _HASHERS[size].copy()
    hasher.update(key.encode())
    return int.from_bytes(hasher.digest(), "big") or 1  # an all-zero id is invalid in W3C trace context


# A run's steps ask again and again. Plain dicts of str -> int, emptied when full: the GC never tracks them
# (an ``lru_cache`` keeps a tracked list per entry, long-lived objects that make full collections likelier).
_CACHED = 4096
_trace_ids: dict[str, int] = {}
_run_span_ids: dict[str, int] = {}


def trace_id(run_id: str) -> int:
    found = _trace_ids.get(run_id)
    if found is None:
        if len(_trace_ids) >= _CACHED:
            _trace_ids.clear()
        found = _trace_ids[run_id] = _digest(run_id, 16)
    return found


def trace_id_hex(run_id: str) -> str:
    return f"{trace_id(run_id):032x}"


def run_span_id(run_id: str) -> int:
    """The run's root span."""
    found = _run_span_ids.get(run_id)
    if found is None:
        if len(_run_span_ids) >= _CACHED:
            _run_span_ids.clear()
        found = _run_span_ids[run_id] = _digest(f"{run_id}/run", 8)
    return found


def item_span_id(run_id: str, item_id: str) -> int:
    """The span of one queue item's work: for a call, the SDK call (one step attempt)."""
    return _digest(f"{run_id}/item/{item_id}", 8)


def step_span_id(run_id: str, step_id: str) -> int:
    """A sleep's, wait's or invoke's span (one per step: these have no attempts)."""
    return _digest(f"{run_id}/step/{step_id}", 8)


def traceparent(run_id: str, item_id: str) -> str:
    """The W3C ``traceparent`` for a call: the SDK app's spans become children of the call's span."""
    flags = "01" if sampled(run_id) else "00"
    return f"00-{trace_id(run_id):032x}-{item_span_id(run_id, item_id):016x}-{flags}"


def call_headers() -> dict[str, str]:
    """``traceparent`` for the call the current task makes (none outside a run's task)."""
    ctx = CURRENT.get()
    return {} if ctx is None else {"traceparent": traceparent(ctx.run_id, ctx.item_id)}
