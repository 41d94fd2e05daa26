"""Our SDK continues the server's trace: the W3C ``traceparent`` of a call is the current trace context while
the function runs.

``current_traceparent()`` returns it to user code. When the app itself uses OpenTelemetry (``opentelemetry`` is
already imported: we never import it for an app that does not), the header is also attached as the current
OpenTelemetry context, so spans the function starts nest under the server's span of this call.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

_TRACEPARENT: ContextVar[str | None] = ContextVar("inngest_lab_sdk_traceparent", default=None)


def current_traceparent() -> str | None:
    """The ``traceparent`` of the call being executed (None outside a call, or when the server sent none)."""
    return _TRACEPARENT.get()


@contextmanager
def continued(traceparent: str | None) -> Iterator[None]:
    """Make ``traceparent`` the current trace context for the body of the ``with``."""
    token = _TRACEPARENT.set(traceparent or None)
    otel_token: object | None = None
    if traceparent and "opentelemetry.context" in sys.modules:
        from opentelemetry import context as otel_context
        from opentelemetry.trace.propagation.tracecontext import TraceContextTextMapPropagator

        otel_token = otel_context.attach(TraceContextTextMapPropagator().extract({"traceparent": traceparent}))
    try:
        yield
    finally:
        if otel_token is not None:
            from opentelemetry import context as otel_context

            otel_context.detach(otel_token)  # type: ignore[arg-type]
        _TRACEPARENT.reset(token)
