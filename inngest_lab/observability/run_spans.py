"""The spans of a run, as ``otlp_encode.SpanRecord`` tuples: pure functions of the engine's committed records.

``RunTracer`` (``tracing``) calls these as calls and runs end and queues the records. A record holds only
scalars, strings and dicts of them, never the engine's objects: the garbage collector stops tracking records at
its first pass, however long they wait in the export queue (queued engine records were promoted through its
generations and made collections dearer). Nothing here imports OpenTelemetry.

A call's span is the hot path (one per step): its attributes are two ``SharedAttributes`` blocks, encoded when
first made, a run's ids (one block per run) and the step attempt's (one block per step name, attempt and outcome,
the same for every run of a function), so a step builds no attribute dict and the encoder copies two byte strings.

Ids come from ``context`` (derived from the run id, never stored). Attributes (stable names, values exactly the
ids): ``inngest.run.id``, ``inngest.function.id``, ``inngest.app.id``, ``inngest.event.id``,
``inngest.event.name``, ``inngest.attempt``, ``inngest.step.id``, ``inngest.step.name``, ``inngest.step.op``,
``inngest.status``; a call's span adds ``http.response.status_code``, an invoked run's ``inngest.parent.run.id``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from types import MappingProxyType
from typing import Any

from inngest_lab.engine.model import AppendHistory, Command, HistoryEntry, HistoryKind, Json, QueueItem, Run, SaveRun
from inngest_lab.engine.signals import SdkResponded
from inngest_lab.engine.timeline import build_timeline
from inngest_lab.observability import context
from inngest_lab.observability.otlp_encode import SharedAttributes, SpanRecord, shared_attributes
from inngest_lab.protocol.consts import RunStatus

EventRecord = tuple[str, Mapping[str, Any], int]  # name, attributes, time (ns)
LinkRecord = tuple[int, int, Mapping[str, Any], bool]  # trace id, span id, attributes, is remote
STATUS_ERROR = 2  # the proto's (and the API's) StatusCode.ERROR

BLOCKS_KEPT = 4096  # runs whose attribute blocks are kept (a run's spans share its block)
_ATTEMPT_KINDS = {
    HistoryKind.STEP_COMPLETED: "completed",
    HistoryKind.STEP_ERRORED: "errored",
    HistoryKind.STEP_FAILED: "failed",
    HistoryKind.FUNCTION_ERRORED: "errored",
    HistoryKind.CALL_FAILED: "errored",
}
_PAUSE_SPANS = {"sleep", "wait", "invoke"}
_FLOW_EVENTS = frozenset(
    {
        HistoryKind.FLOW_DELAYED,
        HistoryKind.RUN_THROTTLED,
        HistoryKind.RUN_DEBOUNCED,
        HistoryKind.RUN_BATCHED,
        HistoryKind.RUN_SKIPPED,
    }
)
_PAUSE_ENTRIES = frozenset({HistoryKind.STEP_SLEEPING, HistoryKind.STEP_WAITING, HistoryKind.STEP_INVOKING})
TRACED_KINDS = _FLOW_EVENTS | {
    HistoryKind.STEP_SLEEPING,
    HistoryKind.STEP_WAITING,
    HistoryKind.STEP_INVOKING,
    HistoryKind.STEP_RESUMED,
    HistoryKind.STEP_TIMED_OUT,
}
"""The history entries ``run_spans`` draws from: a history filtered to these gives the same spans and events."""

# run id -> its ids; (step id, name, history kind, attempt, op, HTTP status) -> a call's step attributes. Plain
# dicts emptied when full (no GC-tracked entries once the collector has seen them, like ``context``'s caches).
_blocks: dict[str, SharedAttributes] = {}
_step_blocks: dict[tuple[Any, ...], SharedAttributes] = {}
_NO_ATTRIBUTES: Mapping[str, Any] = MappingProxyType({})


def _run_attributes(run: Run) -> dict[str, Any]:
    attrs: dict[str, Any] = {
        "inngest.run.id": run.run_id,
        "inngest.function.id": run.fn_id,
        "inngest.app.id": run.app_id,
    }
    if run.event_ids:
        attrs["inngest.event.id"] = run.event_ids[0]
    name = run.events[0].get("name") if run.events else None
    if isinstance(name, str):
        attrs["inngest.event.name"] = name
    return attrs


def _run_block(run: Run) -> SharedAttributes:
    """The run's ids as span attributes, shared by all its spans (encoded once): a run's ids never change."""
    found = _blocks.get(run.run_id)
    if found is None:
        if len(_blocks) >= BLOCKS_KEPT:
            _blocks.clear()
        found = _blocks[run.run_id] = shared_attributes(_run_attributes(run))
    return found


def _call_step_block(step: HistoryEntry, status: int) -> SharedAttributes:
    """A call's step attributes (``_add_step_attributes`` and the HTTP status), shared by every call that ran the
    same step attempt with the same outcome: in every run of a function, step ``n`` gives the same block."""
    raw = step.data
    data: Mapping[str, Json] = raw if type(raw) is dict or isinstance(raw, Mapping) else {}  # a dict, as a rule
    op = data.get("op")
    key = (step.step_id, step.name, step.kind, step.attempt, op if isinstance(op, str) else None, status)
    found = _step_blocks.get(key)
    if found is None:
        attrs: dict[str, Any] = {"http.response.status_code": status}
        _add_step_attributes(attrs, step, data)
        if len(_step_blocks) >= BLOCKS_KEPT:
            _step_blocks.clear()
        found = _step_blocks[key] = shared_attributes(attrs)
    return found


def _error_text(error: Json) -> tuple[str, str]:
    if isinstance(error, Mapping):
        return str(error.get("name") or "Error"), str(error.get("message") or "")
    return "Error", "" if error is None else str(error)


def _add_step_attributes(attrs: dict[str, Any], step: HistoryEntry, data: Mapping[str, Json]) -> None:
    """A step attempt's attributes, from its history entry: a call's span and a checkpointed step's alike."""
    attrs["inngest.step.id"] = step.step_id or ""
    attrs["inngest.status"] = _ATTEMPT_KINDS[step.kind]
    attrs["inngest.step.name"] = step.name or ""
    attrs["inngest.attempt"] = step.attempt
    op = data.get("op")
    attrs["inngest.step.op"] = op if isinstance(op, str) else "StepRun"


def _span(
    run_id: str,
    span_id: int,
    parent_id: int | None,
    name: str,
    start_ms: int,
    end_ms: int,
    shared: tuple[SharedAttributes, ...],
    attributes: Mapping[str, Any],
    error: Json = None,
    events: Sequence[EventRecord] = (),
    links: Sequence[LinkRecord] = (),
) -> SpanRecord:
    """One finished span of a run: ``shared``'s attributes, then ``attributes`` (no key twice); an error sets the
    error status and adds the ``exception`` event."""
    code, description = 0, None
    if error is not None:
        err_name, message = _error_text(error)
        code, description = STATUS_ERROR, f"{err_name}: {message}" if message else err_name
        exception = {"exception.type": err_name, "exception.message": message}
        events = (*events, ("exception", exception, end_ms * 1_000_000))
    return (
        context.trace_id(run_id),
        span_id,
        parent_id,
        name,
        start_ms * 1_000_000,
        max(end_ms, start_ms) * 1_000_000,
        shared,
        attributes,
        events,
        links,
        code,
        description,
        parent_id is not None,
    )


def call_span(item: QueueItem, signal: SdkResponded, applied: Sequence[Command]) -> SpanRecord:
    """The span of one SDK call (one step attempt), a child of the run span, named after the step it ran."""
    run_id = item.run_id
    run: Run | None = None
    step: HistoryEntry | None = None
    for c in applied:  # one pass; the engine's commands are final classes, so ``type`` is enough (and cheaper)
        if type(c) is SaveRun:
            if run is None and c.run.run_id == run_id:
                run = c.run
        elif type(c) is AppendHistory and step is None and c.entry.kind in _ATTEMPT_KINDS:
            step = c.entry
    name, error = "function call", None
    if signal.transport_error:
        error = {"name": "TransportError", "message": signal.transport_error}
    attrs: Mapping[str, Any] = _NO_ATTRIBUTES
    if step is not None:
        shared: tuple[SharedAttributes, ...] = (_call_step_block(step, signal.status),)
        name = step.name or step.step_id or name
        if step.kind is not HistoryKind.STEP_COMPLETED:
            data: Mapping[str, Json] = step.data if isinstance(step.data, Mapping) else {}
            error = data.get("error") or error or {"name": "Error", "message": f"HTTP {signal.status}"}
    else:
        shared = ()
        attrs = {"inngest.attempt": item.attempt, "http.response.status_code": signal.status}
    if run is not None:
        shared = (_run_block(run), *shared)
    else:
        attrs = {"inngest.run.id": run_id, "inngest.function.id": item.fn_id, **attrs}
    started = signal.started_at_ms or 0
    span_id, parent = context.item_span_id(run_id, item.item_id), context.run_span_id(run_id)
    return _span(run_id, span_id, parent, name, started, signal.ended_at_ms or started, shared, attrs, error)


def checkpoint_spans(run_id: str, fn_id: str, qi_id: str, applied: Sequence[Command]) -> list[SpanRecord]:
    """A span per step attempt an SDK checkpointed (async checkpointing runs many steps within one call), with
    a call span's attributes; each is a child of the run span, like a call's."""
    run = next((c.run for c in applied if isinstance(c, SaveRun) and c.run.run_id == run_id), None)
    shared = (_run_block(run),) if run is not None else ()
    spans = []
    for command in applied:
        if not isinstance(command, AppendHistory) or command.entry.kind not in _ATTEMPT_KINDS:
            continue
        step = command.entry
        data: Mapping[str, Json] = step.data if isinstance(step.data, Mapping) else {}
        attrs: dict[str, Any] = {} if run is not None else {"inngest.run.id": run_id, "inngest.function.id": fn_id}
        _add_step_attributes(attrs, step, data)
        started = data.get("started_at_ms")
        start = started if isinstance(started, int) and not isinstance(started, bool) else step.at_ms
        failed = step.kind is not HistoryKind.STEP_COMPLETED
        spans.append(
            _span(
                run_id,
                context.item_span_id(run_id, f"{qi_id}/checkpoint/{step.step_id}"),
                context.run_span_id(run_id),
                step.name or step.step_id or "step",
                start,
                step.at_ms,
                shared,
                attrs,
                (data.get("error") or {"name": "Error", "message": "step failed"}) if failed else None,
            )
        )
    return spans


def _invoked_by(run: Run, attrs: dict[str, Any]) -> tuple[LinkRecord, ...]:
    """A run started by ``step.invoke`` links to the parent's invoke span (its own trace stays its own: the
    child's calls and spans are exported by whichever process runs them, under the child's derived ids)."""
    parent_run, dot, step_id = (run.correlation_id or "").partition(".")  # "<parent run id>.<step id>"
    if not dot or not parent_run or not step_id:
        return ()
    attrs["inngest.parent.run.id"] = parent_run
    link_attrs = {"inngest.run.id": parent_run, "inngest.step.id": step_id}
    return ((context.trace_id(parent_run), context.step_span_id(parent_run, step_id), link_attrs, True),)


def _flat(data: Json) -> dict[str, Any]:
    """Span-event attributes: scalars as they are, anything else as text."""
    if not isinstance(data, Mapping):
        return {}
    return {str(k): v if isinstance(v, str | int | float | bool) else str(v) for k, v in data.items() if v is not None}


def run_spans(run: Run, history: Sequence[HistoryEntry]) -> list[SpanRecord]:
    """The run's root span (flow-control holds as its events) and its sleep, wait and invoke spans."""
    # only these entries make sleep, wait and invoke spans: a run without them needs no timeline
    paused = any(e.kind in _PAUSE_ENTRIES for e in history)
    timeline = build_timeline(run, history, run.ended_at_ms or run.created_at_ms) if paused else {}
    run_span = context.run_span_id(run.run_id)
    events = tuple(
        (f"flow_control.{e.kind.value}", _flat(e.data), e.at_ms * 1_000_000) for e in history if e.kind in _FLOW_EVENTS
    )
    shared = (_run_block(run),)
    attrs: dict[str, Any] = {"inngest.status": run.status.value}
    end = run.ended_at_ms or run.created_at_ms
    error = run.error if run.status is RunStatus.FAILED else None
    links = _invoked_by(run, attrs)
    spans = [_span(run.run_id, run_span, None, run.fn_id, run.created_at_ms, end, shared, attrs, error, events, links)]
    pauses = timeline.get("spans")
    for span in pauses if isinstance(pauses, list) else []:
        if not isinstance(span, Mapping) or span.get("kind") not in _PAUSE_SPANS:
            continue
        start, stop = span.get("started_at_ms"), span.get("ended_at_ms")
        if not isinstance(start, int):
            continue
        step_id = str(span.get("id"))
        step_attrs = {
            "inngest.step.id": step_id,
            "inngest.step.name": str(span.get("name")),
            "inngest.step.op": str(span.get("kind")),
            "inngest.status": str(span.get("status")),
        }
        spans.append(
            _span(
                run.run_id,
                context.step_span_id(run.run_id, step_id),
                run_span,
                f"{span.get('kind')} {span.get('name')}",
                start,
                stop if isinstance(stop, int) else end,
                shared,
                step_attrs,
                span.get("error"),
            )
        )
    return spans
