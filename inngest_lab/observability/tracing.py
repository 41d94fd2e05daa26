"""OpenTelemetry traces of runs, exported over OTLP/HTTP; configured only by the standard ``OTEL_*`` variables.

One trace per run (ids from ``context``): a root span for the run, a child span per SDK call (one step attempt,
or a function-level attempt), and a span per sleep, wait and invoke; flow-control holds are events on the run
span. Each process exports the spans of the calls it made as they end, and the process that ends the run
exports the run span and its sleep/wait/invoke spans from the run's history. Ids are derived, not stored, so
the pieces from many processes and calls assemble into one tree in the tracing backend.

Spans are built finished, with their real start and end times (a run lasts days and outlives processes; no
live span object could), as plain tuples (``otlp_encode.SpanRecord``) handed to a ``BatchSpanProcessor``, whose
thread encodes and exports them off the event loop; only an exporter other than ours gets ``ReadableSpan``s.
``opentelemetry`` is imported only when ``enabled()`` says an exporter is configured.

Attributes (stable names, values exactly the ids): ``inngest.run.id``, ``inngest.function.id``,
``inngest.app.id``, ``inngest.event.id``, ``inngest.event.name``, ``inngest.attempt``, ``inngest.step.id``,
``inngest.step.name``, ``inngest.step.op``, ``inngest.status``.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from inngest_lab.engine.model import AppendHistory, Command, HistoryEntry, HistoryKind, Json, QueueItem, Run, SaveRun
from inngest_lab.engine.signals import SdkResponded
from inngest_lab.engine.timeline import build_timeline
from inngest_lab.observability import context
from inngest_lab.protocol.consts import RunStatus

if TYPE_CHECKING:
    from opentelemetry.sdk.trace.export import SpanExporter

EventRecord = tuple[str, Mapping[str, Any], int]  # name, attributes, time (ns)
LinkRecord = tuple[int, int, Mapping[str, Any], bool]  # trace id, span id, attributes, is remote
_STATUS_ERROR = 2  # the proto's (and the API's) StatusCode.ERROR

DEFAULT_SERVICE_NAME = "inngest-lab"
DECISIONS_KEPT = 4096
SUPPORTED_PROTOCOL = "http/protobuf"
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
"""The history entries ``run_ended`` draws from: a history filtered to these gives the same spans and events."""


class TracingConfigError(ValueError):
    """The ``OTEL_*`` variables ask for something this exporter cannot do (e.g. the gRPC protocol)."""


def enabled(env: Mapping[str, str] | None = None) -> bool:
    """Whether the environment configures trace export: an OTLP endpoint is set and the SDK is not disabled.

    Raises ``TracingConfigError`` for a protocol other than ``http/protobuf``.
    """
    env = os.environ if env is None else env
    if env.get("OTEL_SDK_DISABLED", "").strip().lower() == "true":
        return False
    if env.get("OTEL_TRACES_EXPORTER", "otlp").strip().lower() not in ("otlp", ""):
        return False
    if not (env.get("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT") or env.get("OTEL_EXPORTER_OTLP_ENDPOINT")):
        return False
    protocol = env.get("OTEL_EXPORTER_OTLP_TRACES_PROTOCOL") or env.get("OTEL_EXPORTER_OTLP_PROTOCOL")
    if protocol and protocol.strip() != SUPPORTED_PROTOCOL:
        raise TracingConfigError(
            f"OTEL_EXPORTER_OTLP_PROTOCOL={protocol!r} is not supported; inngest-lab exports {SUPPORTED_PROTOCOL}"
        )
    return True


def _ms_to_ns(ms: int) -> int:
    return ms * 1_000_000


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


class RunTracer:
    """Builds and exports the spans of runs. ``exporter`` defaults to OTLP/HTTP configured from ``OTEL_*``."""

    def __init__(self, exporter: SpanExporter | None = None) -> None:
        from opentelemetry.sdk.resources import Resource
        from opentelemetry.sdk.trace import ReadableSpan, TracerProvider
        from opentelemetry.sdk.trace.export import BatchSpanProcessor
        from opentelemetry.sdk.util.instrumentation import InstrumentationScope
        from opentelemetry.trace import SpanContext, Status, StatusCode, TraceFlags

        # bound once: _emit runs for every step attempt, on the event loop
        self._span_class, self._context_class, self._status_class = ReadableSpan, SpanContext, Status
        self._error_code, self._flags = StatusCode.ERROR, TraceFlags(TraceFlags.SAMPLED)
        self._unset = Status(StatusCode.UNSET)

        if exporter is None:
            from inngest_lab.observability.otlp_encode import FastOTLPSpanExporter

            exporter = FastOTLPSpanExporter()  # endpoint + /v1/traces, headers, timeout, compression: from OTEL_*
        defaults = {} if os.environ.get("OTEL_SERVICE_NAME") else {"service.name": DEFAULT_SERVICE_NAME}
        self._resource = Resource.create(defaults)
        self._sampler = TracerProvider().sampler  # OTEL_TRACES_SAMPLER / _ARG, parentbased_always_on by default
        self._processor = BatchSpanProcessor(exporter)
        self._scope = InstrumentationScope("inngest_lab")
        # our exporter takes tuples: emit them straight into the processor's batcher (no ReadableSpan, no
        # SpanContext, no sampled-flag check per span); any other exporter gets SDK spans through on_end
        batcher = getattr(self._processor, "_batch_processor", None)
        records_for = getattr(exporter, "records_for", None)
        self._queue_record = (
            batcher.emit
            if batcher is not None
            and hasattr(batcher, "emit")
            and records_for
            and records_for(self._resource, self._scope)
            else None
        )
        self._decisions: dict[str, bool] = {}  # run id -> sampled (the sampler is a pure function of the id)

    def sampled(self, run_id: str) -> bool:
        """The sampler's decision for the run's trace: the same in every process (the trace id is derived)."""
        found = self._decisions.get(run_id)
        if found is None:
            result = self._sampler.should_sample(None, context.trace_id(run_id), "run")
            found = self._decisions[run_id] = bool(result.decision.is_sampled())  # type: ignore[no-untyped-call]
            if len(self._decisions) > DECISIONS_KEPT:
                del self._decisions[next(iter(self._decisions))]
        return found

    def shutdown(self) -> None:
        """Export what is buffered, then stop the export thread (blocking: call off the event loop)."""
        self._processor.shutdown()  # type: ignore[no-untyped-call]

    def force_flush(self, timeout_ms: int = 10_000) -> bool:
        return bool(self._processor.force_flush(timeout_ms))

    # ------------------------------------------------------------ spans

    def _emit(
        self,
        run_id: str,
        span_id: int,
        parent_id: int | None,
        name: str,
        start_ms: int,
        end_ms: int,
        attributes: Mapping[str, Any],
        *,
        error: Json = None,
        events: Sequence[EventRecord] = (),
        links: Sequence[LinkRecord] = (),
    ) -> None:
        """Queue one finished span of a sampled run (``attributes`` is the caller's: not copied)."""
        code, description = 0, None
        if error is not None:
            err_name, message = _error_text(error)
            code, description = _STATUS_ERROR, f"{err_name}: {message}" if message else err_name
            exception = {"exception.type": err_name, "exception.message": message}
            events = (*events, ("exception", exception, _ms_to_ns(end_ms)))
        record = (
            context.trace_id(run_id),
            span_id,
            parent_id,
            name,
            _ms_to_ns(start_ms),
            _ms_to_ns(max(end_ms, start_ms)),
            attributes,
            events,
            links,
            code,
            description,
            parent_id is not None,
        )
        if self._queue_record is not None:
            self._queue_record(record)
        else:
            self._processor.on_end(self._readable(record))

    def _readable(self, record: tuple[Any, ...]) -> Any:
        """The SDK span of a record (for an exporter that is not ours)."""
        from opentelemetry.sdk.trace import Event
        from opentelemetry.trace import Link

        trace_id, span_id, parent_id, name, start, end, attributes, events, links, code, description, _ = record
        flags, span_context = self._flags, self._context_class
        status = self._status_class(self._error_code, description) if code == _STATUS_ERROR else self._unset
        return self._span_class(
            name=name,
            context=span_context(trace_id, span_id, is_remote=False, trace_flags=flags),
            parent=None if parent_id is None else span_context(trace_id, parent_id, is_remote=True, trace_flags=flags),
            resource=self._resource,
            attributes=dict(attributes),
            events=[Event(n, a, t) for n, a, t in events],
            links=[Link(span_context(t, i, is_remote=r, trace_flags=flags), a) for t, i, a, r in links],
            status=status,
            start_time=start,
            end_time=end,
            instrumentation_scope=self._scope,
        )

    def call_ended(self, item: QueueItem, signal: SdkResponded, applied: Sequence[Command]) -> None:
        """The span of one SDK call (one step attempt), a child of the run span, named after the step it ran."""
        run_id = item.run_id
        if not self.sampled(run_id):
            return
        run: Run | None = None
        step: HistoryEntry | None = None
        for c in applied:  # one pass
            if isinstance(c, SaveRun):
                if run is None and c.run.run_id == run_id:
                    run = c.run
            elif isinstance(c, AppendHistory) and step is None and c.entry.kind in _ATTEMPT_KINDS:
                step = c.entry
        attrs: dict[str, Any] = _run_attributes(run) if run is not None else {"inngest.run.id": run_id}
        attrs["inngest.function.id"] = item.fn_id
        attrs["inngest.attempt"] = item.attempt
        attrs["http.response.status_code"] = signal.status
        name, error = "function call", None
        if signal.transport_error:
            error = {"name": "TransportError", "message": signal.transport_error}
        if step is not None:
            data: Mapping[str, Json] = step.data if isinstance(step.data, Mapping) else {}
            name = step.name or step.step_id or name
            _add_step_attributes(attrs, step, data)
            if step.kind is not HistoryKind.STEP_COMPLETED:
                error = data.get("error") or error or {"name": "Error", "message": f"HTTP {signal.status}"}
        started = signal.started_at_ms or 0
        self._emit(
            run_id,
            context.item_span_id(run_id, item.item_id),
            context.run_span_id(run_id),
            name,
            started,
            signal.ended_at_ms or started,
            attrs,
            error=error,
        )

    def steps_checkpointed(self, run_id: str, fn_id: str, qi_id: str, applied: Sequence[Command]) -> None:
        """A span per step attempt an SDK checkpointed (async checkpointing runs many steps within one call),
        with a call span's attributes; each is a child of the run span, like a call's."""
        if not self.sampled(run_id):
            return
        run = next((c.run for c in applied if isinstance(c, SaveRun) and c.run.run_id == run_id), None)
        for command in applied:
            if not isinstance(command, AppendHistory) or command.entry.kind not in _ATTEMPT_KINDS:
                continue
            step = command.entry
            data: Mapping[str, Json] = step.data if isinstance(step.data, Mapping) else {}
            attrs: dict[str, Any] = _run_attributes(run) if run is not None else {"inngest.run.id": run_id}
            attrs["inngest.function.id"] = fn_id
            _add_step_attributes(attrs, step, data)
            started = data.get("started_at_ms")
            start = started if isinstance(started, int) and not isinstance(started, bool) else step.at_ms
            failed = step.kind is not HistoryKind.STEP_COMPLETED
            self._emit(
                run_id,
                context.item_span_id(run_id, f"{qi_id}/checkpoint/{step.step_id}"),
                context.run_span_id(run_id),
                step.name or step.step_id or "step",
                start,
                step.at_ms,
                attrs,
                error=(data.get("error") or {"name": "Error", "message": "step failed"}) if failed else None,
            )

    def _invoked_by(self, run: Run, attrs: dict[str, Any]) -> tuple[LinkRecord, ...]:
        """A run started by ``step.invoke`` links to the parent's invoke span (its own trace stays its own: the
        child's calls and spans are exported by whichever process runs them, under the child's derived ids)."""
        parent_run, dot, step_id = (run.correlation_id or "").partition(".")  # "<parent run id>.<step id>"
        if not dot or not parent_run or not step_id:
            return ()
        attrs["inngest.parent.run.id"] = parent_run
        link_attrs = {"inngest.run.id": parent_run, "inngest.step.id": step_id}
        return ((context.trace_id(parent_run), context.step_span_id(parent_run, step_id), link_attrs, True),)

    def run_ended(self, run: Run, history: Sequence[HistoryEntry]) -> None:
        """The run's root span (flow-control holds as its events) and its sleep, wait and invoke spans."""
        if not self.sampled(run.run_id):
            return
        # only these entries make sleep, wait and invoke spans: a run without them needs no timeline
        paused = any(e.kind in _PAUSE_ENTRIES for e in history)
        timeline = build_timeline(run, history, run.ended_at_ms or run.created_at_ms) if paused else {}
        run_span = context.run_span_id(run.run_id)
        events = tuple(
            (f"flow_control.{e.kind.value}", _flat(e.data), _ms_to_ns(e.at_ms))
            for e in history
            if e.kind in _FLOW_EVENTS
        )
        attrs = {**_run_attributes(run), "inngest.status": run.status.value}
        end = run.ended_at_ms or run.created_at_ms
        error = run.error if run.status is RunStatus.FAILED else None
        links = self._invoked_by(run, attrs)
        self._emit(
            run.run_id,
            run_span,
            None,
            run.fn_id,
            run.created_at_ms,
            end,
            attrs,
            error=error,
            events=events,
            links=links,
        )
        spans = timeline.get("spans")
        for span in spans if isinstance(spans, list) else []:
            if not isinstance(span, Mapping) or span.get("kind") not in _PAUSE_SPANS:
                continue
            start, stop = span.get("started_at_ms"), span.get("ended_at_ms")
            if not isinstance(start, int):
                continue
            step_id = str(span.get("id"))
            step_attrs = {
                **_run_attributes(run),
                "inngest.step.id": step_id,
                "inngest.step.name": str(span.get("name")),
                "inngest.step.op": str(span.get("kind")),
                "inngest.status": str(span.get("status")),
            }
            self._emit(
                run.run_id,
                context.step_span_id(run.run_id, step_id),
                run_span,
                f"{span.get('kind')} {span.get('name')}",
                start,
                stop if isinstance(stop, int) else end,
                step_attrs,
                error=span.get("error"),
            )


def _flat(data: Json) -> dict[str, Any]:
    """Span-event attributes: scalars as they are, anything else as text."""
    if not isinstance(data, Mapping):
        return {}
    return {str(k): v if isinstance(v, str | int | float | bool) else str(v) for k, v in data.items() if v is not None}
