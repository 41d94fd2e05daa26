"""Our span encoder's bytes decode (with ``opentelemetry-proto`` itself) to the same request as the SDK's
encoder produces for the same spans: ids, parents, names, times, attributes of every type, events, links, status."""

from __future__ import annotations

from opentelemetry.exporter.otlp.proto.common.trace_encoder import encode_spans
from opentelemetry.proto.collector.trace.v1.trace_service_pb2 import ExportTraceServiceRequest
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import Event, ReadableSpan
from opentelemetry.sdk.util.instrumentation import InstrumentationScope
from opentelemetry.trace import Link, SpanContext, Status, StatusCode, TraceFlags

from inngest_lab.observability.otlp_encode import encode_request


def _spans() -> list[ReadableSpan]:
    resource = Resource.create({"service.name": "lab", "deployment": "test"})
    scope = InstrumentationScope("inngest_lab")
    flags = TraceFlags(TraceFlags.SAMPLED)
    root = SpanContext(0xABC, 0x1, is_remote=False, trace_flags=flags)
    child = SpanContext(0xABC, 0x2, is_remote=False, trace_flags=flags)
    return [
        ReadableSpan(
            "run",
            root,
            None,
            resource,
            {"inngest.run.id": "01RUN", "n": 7, "neg": -3, "ratio": 0.5, "ok": True, "tags": ["a", "b"]},
            instrumentation_scope=scope,
            start_time=1_000,
            end_time=9_000,
        ),
        ReadableSpan(
            "step é",
            child,
            SpanContext(0xABC, 0x1, is_remote=True, trace_flags=flags),
            resource,
            {"inngest.attempt": 0},
            events=[Event("exception", {"exception.type": "RuntimeError"}, 5_000)],
            links=[Link(SpanContext(0xDEF, 0x9, is_remote=True, trace_flags=flags), {"inngest.run.id": "01PARENT"})],
            status=Status(StatusCode.ERROR, "RuntimeError: boom"),
            instrumentation_scope=scope,
            start_time=2_000,
            end_time=5_000,
        ),
    ]


def test_both_encoders_describe_the_same_spans() -> None:
    spans = _spans()
    assert ExportTraceServiceRequest.FromString(encode_request(spans)) == encode_spans(spans)
