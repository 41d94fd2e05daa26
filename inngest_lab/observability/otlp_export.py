"""The OTLP/HTTP span exporter ``RunTracer`` uses: the SDK's exporter with our encoder.

``FastOTLPSpanExporter`` is the SDK's ``OTLPSpanExporter``: endpoint, headers, timeout, compression, retries and
its HTTP client (a ``requests`` session) come from the ``OTEL_*`` variables as the SDK applies them; only the
body is ``otlp_encode``'s (the same message as the SDK's encoder, a few µs per span instead of ~33).

Measured and kept out: posting through the SDK's urllib3 transport instead of the ``requests`` session costs
0.2 ms of CPU per POST instead of 0.7 (~1 µs per span at the default batch of 512), yet in six paired embedded
compares with each, tracing added 18-45 µs of CPU per step to the engine's thread with it against 4-19 µs with
``requests``: within the shared machine's noise, no clear win (``docs/performance.md``, Tracing).

If a future exporter version lacks the internals this relies on (``_client`` and its ``export``), the exporter
behaves exactly as the SDK's.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter
from opentelemetry.sdk.trace.export import SpanExportResult

from inngest_lab.observability.otlp_encode import encode_records, encode_request

if TYPE_CHECKING:
    from opentelemetry.sdk.resources import Resource
    from opentelemetry.sdk.util.instrumentation import InstrumentationScope


class FastOTLPSpanExporter(OTLPSpanExporter):
    """The SDK's OTLP/HTTP span exporter, with ``encode_request`` instead of the SDK's encoder.

    ``records_for(resource, scope)`` says it can take ``SpanRecord`` tuples instead of spans (all of that
    resource and scope): ``RunTracer`` then queues those, and no ``ReadableSpan`` is ever built."""

    _records_of: tuple[Resource, InstrumentationScope | None] | None = None

    def records_for(self, resource: Resource, scope: InstrumentationScope | None) -> bool:
        client = getattr(self, "_client", None)
        if client is None or not hasattr(client, "export"):
            return False
        self._records_of = (resource, scope)
        return True

    def export(self, spans: Sequence[Any]) -> SpanExportResult:
        client = getattr(self, "_client", None)
        if spans and type(spans[0]) is tuple:
            assert self._records_of is not None and client is not None
            if getattr(self, "_shutdown", False):
                return SpanExportResult.FAILURE
            body = encode_records(spans, *self._records_of)
        elif client is None or getattr(self, "_shutdown", False) or not hasattr(client, "export"):
            return super().export(spans)
        else:
            body = encode_request(spans)
        result = client.export(body)
        return SpanExportResult.SUCCESS if getattr(result, "success", False) else SpanExportResult.FAILURE
