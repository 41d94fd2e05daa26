"""Wiring for a server process: build the telemetry, serve ``--metrics-port``, run retention, stop in order."""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable

import tornado.web
from tornado.httpserver import HTTPServer
from tornado.netutil import bind_sockets

from inngest_lab.executor.ports import Clock
from inngest_lab.observability import tracing
from inngest_lab.observability.http import OBS_KEY, Observability, OpenMetricsHandler, ReadyHandler
from inngest_lab.observability.metrics import Metrics
from inngest_lab.observability.retention import Retention, describe
from inngest_lab.observability.telemetry import Telemetry
from inngest_lab.server.base import SETTINGS_KEY, NotFoundHandler, ServerContext
from inngest_lab.server.engine_port import EngineApi
from inngest_lab.server.settings import ServerSettings
from inngest_lab.store.ports import Store


def build_telemetry() -> Telemetry:
    """Metrics always; traces when the ``OTEL_*`` variables configure an exporter (``tracing.enabled``)."""
    return Telemetry(Metrics(uuid.uuid4().hex[:12]), tracing.RunTracer() if tracing.enabled() else None)


class ProcessObservability:
    """The observability of one server process, from start to an orderly stop."""

    def __init__(self, telemetry: Telemetry, retention_ms: int) -> None:
        self.telemetry = telemetry
        owner = telemetry.metrics.owner if telemetry.metrics is not None else uuid.uuid4().hex[:12]
        self.obs = Observability(telemetry, owner, retention_ms)
        self._retention: Retention | None = None
        self._servers: list[HTTPServer] = []

    def describe(self, redact: Callable[[str], str]) -> str:
        """Banner lines: the retention window and where traces go (``redact`` hides URL passwords)."""
        window = describe(self.obs.retention_ms)
        endpoint = os.environ.get("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT") or os.environ.get(
            "OTEL_EXPORTER_OTLP_ENDPOINT", ""
        )
        traces = f"OTLP/HTTP to {redact(endpoint)}" if self.telemetry.tracer is not None else "off (no OTEL_* endpoint)"
        return f"  Retention:    {'off' if window == '0' else window}\n  Tracing:      {traces}"

    def mount(self, app: tornado.web.Application) -> None:
        """Let ``app``'s ``/metrics``, ``/ready`` and ``/lab/metrics/series`` find this process's state."""
        app.settings[OBS_KEY] = self.obs

    def start(
        self,
        store: Store,
        clock: Clock,
        engine: EngineApi,
        settings: ServerSettings,
        *,
        host: str,
        metrics_port: int | None,
    ) -> int | None:
        """Start retention (when a window is set) and the ``--metrics-port`` server; return its port."""
        if self.obs.retention_ms > 0:
            self._retention = Retention(store, clock, self.obs.retention_ms)
            self._retention.start()
        if metrics_port is None:
            return None
        app = tornado.web.Application(
            [(r"/metrics", OpenMetricsHandler), (r"/ready", ReadyHandler)], default_handler_class=NotFoundHandler
        )
        app.settings.update({SETTINGS_KEY: ServerContext(engine, settings), OBS_KEY: self.obs})
        sockets = bind_sockets(metrics_port, host)
        server = HTTPServer(app)
        server.add_sockets(sockets)
        self._servers.append(server)
        return int(sockets[0].getsockname()[1])

    async def stop(self) -> None:
        """Stop retention and the metrics port, then flush the trace exporter. Call after the engine stopped."""
        if self._retention is not None:
            await self._retention.stop()
        for server in self._servers:
            server.stop()
            await server.close_all_connections()
        await self.telemetry.close()
