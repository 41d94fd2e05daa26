"""Observability and operations: Prometheus metrics, OpenTelemetry traces, structured logs, retention.

Everything here is shell: it watches what the executor and the stores do (``Telemetry`` hooks, the local
change feed) and never changes a decision. Heavy libraries are imported only when their feature is on:
``prometheus_client`` when a ``Metrics`` is built, ``opentelemetry`` only when an ``OTEL_*`` exporter
endpoint is set, so ``import inngest_lab`` stays fast and an engine without them pays nothing.
"""
