"""OpenTelemetry traces of runs, exported over OTLP/HTTP; configured only by the standard ``OTEL_*`` variables.

One trace per run (ids from ``context``): a root span for the run, a child span per SDK call (one step attempt,
or a function-level attempt), and a span per sleep, wait and invoke; flow-control holds are events on the run
span. Each process exports the spans of the calls it made as they end, and the process that ends the run
exports the run span and its sleep/wait/invoke spans from the run's history. Ids are derived, not stored, so
the pieces from many processes and calls assemble into one tree in the tracing backend. What the spans say is
``run_spans``'s.

Spans are built finished, with their real start and end times (a run lasts days and outlives processes; no
live span object could), as plain tuples (``otlp_encode.SpanRecord``) handed to a ``BatchSpanProcessor``, whose
thread encodes and exports them off the event loop; only an exporter other than ours gets ``ReadableSpan``s.
``opentelemetry`` is imported only when ``enabled()`` says an exporter is configured.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from inngest_lab.engine.model import Command, HistoryEntry, QueueItem, Run
from inngest_lab.engine.signals import SdkResponded
from inngest_lab.observability import context
from inngest_lab.observability.otlp_encode import SpanRecord
from inngest_lab.observability.run_spans import STATUS_ERROR, call_span, checkpoint_spans, run_spans

if TYPE_CHECKING:
    from opentelemetry.sdk.trace.export import SpanExporter

DEFAULT_SERVICE_NAME = "inngest-lab"
DECISIONS_KEPT = 4096
SUPPORTED_PROTOCOL = "http/protobuf"


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


class RunTracer:
    """Builds and exports the spans of runs. ``exporter`` defaults to OTLP/HTTP configured from ``OTEL_*``."""

    def __init__(self, exporter: SpanExporter | None = None) -> None:
        from opentelemetry.sdk.resources import Resource
        from opentelemetry.sdk.trace import ReadableSpan, TracerProvider
        from opentelemetry.sdk.trace.export import BatchSpanProcessor
        from opentelemetry.sdk.util.instrumentation import InstrumentationScope
        from opentelemetry.trace import SpanContext, Status, StatusCode, TraceFlags

        self._span_class, self._context_class, self._status_class = ReadableSpan, SpanContext, Status
        self._error_code, self._flags = StatusCode.ERROR, TraceFlags(TraceFlags.SAMPLED)
        self._unset = Status(StatusCode.UNSET)

        if exporter is None:
            from inngest_lab.observability.otlp_export import FastOTLPSpanExporter

            exporter = FastOTLPSpanExporter()  # endpoint + /v1/traces, headers, timeout, compression: from OTEL_*
        defaults = {} if os.environ.get("OTEL_SERVICE_NAME") else {"service.name": DEFAULT_SERVICE_NAME}
        self._resource = Resource.create(defaults)
        self._sampler = TracerProvider().sampler  # OTEL_TRACES_SAMPLER / _ARG, parentbased_always_on by default
        self._processor = BatchSpanProcessor(exporter)
        self._scope = InstrumentationScope("inngest_lab")
        # our exporter takes records: emit them straight into the processor's batcher (no ReadableSpan, no
        # SpanContext, no sampled-flag check per span); any other exporter gets SDK spans through on_end
        batcher = getattr(self._processor, "_batch_processor", None)
        records_for = getattr(exporter, "records_for", None)
        self._queue_record: Callable[[SpanRecord], None] | None = (
            batcher.emit
            if batcher is not None
            and hasattr(batcher, "emit")
            and records_for
            and records_for(self._resource, self._scope)
            else None
        )
        self._decisions: dict[str, bool] = {}  # run id -> sampled (the sampler is a pure function of the id)
        # A run's trace has no parent: under the default sampler (parent-based, always on at the root) or
        # always_on, every run is sampled, and asking the sampler per run would only build result objects.
        description = self._sampler.get_description()
        self._always = description.startswith(("AlwaysOnSampler", "ParentBased{root:AlwaysOnSampler,"))

    def sampled(self, run_id: str) -> bool:
        """The sampler's decision for the run's trace: the same in every process (the trace id is derived)."""
        if self._always:
            return True
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

    def _queue(self, records: Iterable[SpanRecord]) -> None:
        """Queue a sampled run's finished spans (as SDK spans for an exporter that is not ours)."""
        queue_record = self._queue_record
        if queue_record is not None:
            for record in records:
                queue_record(record)
        else:
            for record in records:
                self._processor.on_end(self._readable(record))

    def _readable(self, record: SpanRecord) -> Any:
        """The SDK span of a record (for an exporter that is not ours)."""
        from opentelemetry.sdk.trace import Event
        from opentelemetry.trace import Link

        trace_id, span_id, parent_id, name, start, end, shared, attributes, events, links, code, description, _ = record
        flags, span_context = self._flags, self._context_class
        status = self._status_class(self._error_code, description) if code == STATUS_ERROR else self._unset
        return self._span_class(
            name=name,
            context=span_context(trace_id, span_id, is_remote=False, trace_flags=flags),
            parent=None if parent_id is None else span_context(trace_id, parent_id, is_remote=True, trace_flags=flags),
            resource=self._resource,
            attributes={**{k: v for block in shared for k, v in block[0].items()}, **attributes},
            events=[Event(n, a, t) for n, a, t in events],
            links=[Link(span_context(t, i, is_remote=r, trace_flags=flags), a) for t, i, a, r in links],
            status=status,
            start_time=start,
            end_time=end,
            instrumentation_scope=self._scope,
        )

    def call_ended(self, item: QueueItem, signal: SdkResponded, applied: Sequence[Command]) -> None:
        """The span of one SDK call (one step attempt): ``run_spans.call_span``. Once per step: kept flat."""
        if self._always or self.sampled(item.run_id):
            record = call_span(item, signal, applied)
            if self._queue_record is not None:
                self._queue_record(record)
            else:
                self._processor.on_end(self._readable(record))

    def steps_checkpointed(self, run_id: str, fn_id: str, qi_id: str, applied: Sequence[Command]) -> None:
        """A span per step attempt an SDK checkpointed: ``run_spans.checkpoint_spans``."""
        if self.sampled(run_id):
            self._queue(checkpoint_spans(run_id, fn_id, qi_id, applied))

    def run_ended(self, run: Run, history: Sequence[HistoryEntry]) -> None:
        """The run's root span and its sleep, wait and invoke spans: ``run_spans.run_spans``."""
        if self.sampled(run.run_id):
            self._queue(run_spans(run, history))
