"""HTTP routes of observability: ``/metrics``, ``/ready`` and the dashboard's ``/lab/metrics/series``.

    GET /metrics               Prometheus text 0.0.4 (OpenMetrics if Accept asks)   Bearer when keys are set
    GET /ready                 200 when the stores answer and are migrated, else 503    open, like /health
    GET /lab/metrics/series    throughput, failures, step p50/p99 per minute (JSON)    Bearer when keys are set

``/metrics`` needs the REST API's credentials (``Authorization: Bearer <signing key>``) wherever signing keys
are set, i.e. always in ``start``; ``--metrics-port`` serves it without credentials on a port of its own for
scrapers on a private network (``metrics_app``). The handlers find the process's ``Observability`` in the
Tornado application settings (``OBS_KEY``); without one, ``/metrics`` is a JSON 404.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import Any

import tornado.web

from inngest_lab.observability.retention import describe
from inngest_lab.observability.telemetry import Telemetry
from inngest_lab.server.base import ApiHandler
from inngest_lab.server.errors import ApiError, BadRequest, ErrorCode, NotFound
from inngest_lab.server.rest_api import AuthedHandler

OBS_KEY = "inngest_lab_observability"
READY_TIMEOUT_S = 3.0
MAX_SERIES_MINUTES = 180


@dataclass(frozen=True, slots=True)
class Observability:
    """What the routes serve: this process's telemetry, its id among the deployment's processes, retention."""

    telemetry: Telemetry
    owner: str
    retention_ms: int = 0


class NotReady(ApiError):
    status = 503
    code = ErrorCode.UNAVAILABLE


def _obs(handler: tornado.web.RequestHandler) -> Observability | None:
    found = handler.application.settings.get(OBS_KEY)
    return found if isinstance(found, Observability) else None


class _MetricsBody(ApiHandler):
    async def write_metrics(self) -> None:
        obs = _obs(self)
        if obs is None or obs.telemetry.metrics is None:
            raise NotFound("metrics are not enabled in this process")
        store, now = self.ctx.engine.store, self.ctx.engine.clock.now_ms()
        reporter = await store.claim_reporter(obs.owner, now)
        gauges = await store.gauges(now) if reporter else None
        obs.telemetry.metrics.deployment(reporter, gauges, now)
        body, content_type = obs.telemetry.metrics.exposition(self.request.headers.get("Accept", ""))
        self.set_header("Content-Type", content_type)
        self.finish(body)


class MetricsHandler(_MetricsBody):
    """``GET /metrics`` on the API port: behind the REST API's Bearer token when signing keys are set."""

    async def get(self) -> None:
        self.require_bearer()
        await self.write_metrics()


class OpenMetricsHandler(_MetricsBody):
    """``GET /metrics`` on ``--metrics-port``: no credentials (keep that port private)."""

    async def get(self) -> None:
        await self.write_metrics()


class ReadyHandler(ApiHandler):
    """``GET /ready``: can this process serve? Its stores answer (reads of each backend) within a few seconds."""

    async def get(self) -> None:
        store, now = self.ctx.engine.store, self.ctx.engine.clock.now_ms()
        try:
            await asyncio.wait_for(asyncio.gather(store.gauges(now), store.list_apps()), READY_TIMEOUT_S)
        except Exception as exc:
            raise NotReady(f"stores not reachable: {type(exc).__name__}: {exc}") from None
        self.write_json({"status": 200, "message": "ready"})


class SeriesHandler(AuthedHandler):
    """``GET /lab/metrics/series?minutes=60``: this process's per-minute buckets, oldest first, and the
    retention window (``"0"`` when off)."""

    async def get(self) -> None:
        obs = _obs(self)
        raw = self.get_query_argument("minutes", None) or "60"
        if not raw.isdigit() or not 1 <= int(raw) <= MAX_SERIES_MINUTES:
            raise BadRequest(f"minutes must be an integer between 1 and {MAX_SERIES_MINUTES}")
        metrics = obs.telemetry.metrics if obs is not None else None
        now = self.ctx.engine.clock.now_ms()
        series = metrics.series if metrics is not None else None
        self.envelope(
            {
                "bucket_s": series.bucket_ms // 1000 if series else 60,
                "buckets": series.json(now - int(raw) * 60_000) if series else [],
                "retention": describe(obs.retention_ms) if obs is not None else "0",
            }
        )


def routes() -> list[tuple[Any, ...]]:
    """The routes mounted with the API (``server.app.api_routes``)."""
    return [(r"/metrics", MetricsHandler), (r"/ready", ReadyHandler), (r"/lab/metrics/series", SeriesHandler)]
