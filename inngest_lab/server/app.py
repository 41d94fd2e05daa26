"""The Tornado application: every route on one port (default 8288), as Inngest's dev server mounts them.

    POST   /e/{key}                    Event API                      (event key when configured)
    GET    /health                     liveness
    POST   /fn/register                out-of-band sync               (Bearer when signing keys are set)
    GET    /dev                        dev-server info                (dev only)
    GET    /v0/runs/{id}/batch         events of a run (use_api)      (Bearer)
    GET    /v0/runs/{id}/actions       memoized steps (use_api)       (Bearer)
    DELETE /v0/runs/{id}               cancel                         (Bearer)
    GET    /v1/events                  list events                    (Bearer)
    GET    /v1/events/{id}             one event                      (Bearer)
    GET    /v1/events/{id}/runs        runs an event started          (Bearer)
    GET    /v1/runs/{id}               one run                        (Bearer)
    DELETE /v1/runs/{id}               cancel                         (Bearer)
    /v1/cancellations, /v1/functions/{fn}/pause|resume, /v1/events/{id}/replay
                                       operator actions (ops_api.py)  (Bearer)
    POST   /v1/checkpoint/{id}/async   steps an SDK ran inside a call (checkpoint_api.py)  (Bearer)
    POST   /v1/checkpoint/batch        many runs' checkpoints in one request (our SDK's)   (Bearer)
    /v2/..., /api/v2/...               REST API v2: runs, apps, functions, events (rest_v2.py)  (Bearer)
    GET    /lab/apps|functions|runs     dashboard reads                (Bearer; see dashboard_api)
    GET    /lab/runs/{id}/trace         a run's timeline               (Bearer)
    POST   /lab/runs/{id}/cancel        cancel                         (Bearer)
    GET    /lab/live                    Server-Sent Events of changes  (Bearer)
    GET    /lab/runs/{id}/state, /lab/state/runs|functions   full records for remote Labs (state_api.py)
    POST   /v1/signals                 resume a step.waitForSignal    (Bearer; signals_api.py)
    /v1/realtime/publish|token|connect|sse, /lab/runs/{id}/realtime   realtime (realtime_api.py)
    GET    /metrics, /ready, /lab/metrics/series   Prometheus metrics, readiness, dashboard series
                                       (observability/http.py)     (Bearer, except /ready)
    /lab/runs/page, /lab/functions/stats, /lab/crons, /lab/events/send, …   dashboard pages (dashboard_reads.py)
    GET    /, /runs, /runs/{id}, …, /ui/*   the dashboard itself, unless --no-ui (ui_app.py, via extra_handlers)
    GET    /openapi.json, /docs         the OpenAPI 3.1 spec of all but the SDK protocol routes (openapi.py)
    GET|POST /login, POST /logout       dashboard login (auth_login.py; headless server only)

Before routing, ``auth_guard.decide`` checks every request of the headless server: the dev server's Host and
cross-site checks, and in start mode the login (a session cookie or the Bearer signing key).

``api_routes`` is the one route table: the headless server mounts it at ``/`` and the Jupyter server
extension mounts the same handlers under ``<base_url>/inngest-lab/``.

Every response carries ``X-Inngest-Server-Kind``; every error is JSON.
"""

from __future__ import annotations

import socket
from collections.abc import Sequence
from typing import Any

import tornado.web
from tornado.httpserver import HTTPServer
from tornado.netutil import bind_sockets

from inngest_lab.observability import http as observability_http
from inngest_lab.server import (
    checkpoint_api,
    dashboard_reads,
    openapi_api,
    ops_api,
    realtime_api,
    rest_v2,
    signals_api,
)
from inngest_lab.server.auth_app import GuardedApplication
from inngest_lab.server.auth_login import auth_routes
from inngest_lab.server.base import SETTINGS_KEY, HealthHandler, NotFoundHandler, ServerContext, log_request
from inngest_lab.server.dashboard_api import (
    AppsHandler,
    FunctionsHandler,
    RunCancelHandler,
    RunsHandler,
    RunTraceHandler,
)
from inngest_lab.server.engine_port import EngineApi
from inngest_lab.server.events_api import EventApiHandler
from inngest_lab.server.live import FEED_KEY, ChangeFeed, LiveHandler
from inngest_lab.server.rest_api import (
    EventHandler,
    EventListHandler,
    EventRunsHandler,
    RunActionsHandler,
    RunBatchHandler,
    RunHandler,
    V0RunHandler,
)
from inngest_lab.server.settings import DEFAULT_PORT, ServerSettings
from inngest_lab.server.state_api import FunctionStatesHandler, RunStateHandler, RunStatesHandler
from inngest_lab.server.sync_api import DevInfoHandler, RegisterHandler, SyncStatus

__all__ = ["DEFAULT_PORT", "ServerSettings", "api_routes", "make_app", "start_server"]

_ID = r"([^/]+)"


def api_routes(sync_status: SyncStatus | None = None) -> list[tuple[Any, ...]]:
    """Every API route as ``(path regex, handler[, kwargs])``, paths relative to the mount point."""
    return [
        (r"/e(?:/([^/]*))?", EventApiHandler),
        (r"/health", HealthHandler),
        (r"/fn/register", RegisterHandler),
        (r"/dev", DevInfoHandler, {"sync_status": sync_status}),
        (rf"/v0/runs/{_ID}/batch", RunBatchHandler),
        (rf"/v0/runs/{_ID}/actions", RunActionsHandler),
        (rf"/v0/runs/{_ID}", V0RunHandler),
        *ops_api.routes(_ID),
        *checkpoint_api.routes(_ID),
        *rest_v2.routes(_ID),
        (r"/v1/events/?", EventListHandler),
        (rf"/v1/events/{_ID}/runs", EventRunsHandler),
        (rf"/v1/events/{_ID}", EventHandler),
        (rf"/v1/runs/{_ID}", RunHandler),
        (r"/lab/apps", AppsHandler),
        (r"/lab/functions", FunctionsHandler),
        (r"/lab/runs/?", RunsHandler),
        (rf"/lab/runs/{_ID}/trace", RunTraceHandler),
        (rf"/lab/runs/{_ID}/cancel", RunCancelHandler),
        (r"/lab/live", LiveHandler),
        *dashboard_reads.routes(_ID),
        (rf"/lab/runs/{_ID}/state", RunStateHandler),
        (r"/lab/state/runs", RunStatesHandler),
        (r"/lab/state/functions", FunctionStatesHandler),
        *signals_api.routes(),
        *realtime_api.routes(_ID),
        *observability_http.routes(),
    ]


def headless_routes(sync_status: SyncStatus | None = None) -> list[tuple[Any, ...]]:
    """Every route the headless server mounts: ``api_routes``, the realtime WebSocket, the OpenAPI document's and
    the login's (none of the last three under Jupyter, which has its own login and no spec of its mount)."""
    return [
        *api_routes(sync_status),
        *realtime_api.stream_routes(),
        *openapi_api.routes(),
        *auth_routes(),  # /login, /logout: headless only (Jupyter has its own login)
    ]


def app_settings(engine: EngineApi, settings: ServerSettings) -> dict[str, Any]:
    """The Tornado application settings the API handlers read: the server context and the live change feed."""
    feed = ChangeFeed()
    engine.store.subscribe_changes(feed.on_commit)
    return {SETTINGS_KEY: ServerContext(engine, settings), FEED_KEY: feed}


def make_app(
    engine: EngineApi,
    settings: ServerSettings,
    *,
    sync_status: SyncStatus | None = None,
    extra_handlers: Sequence[tuple[Any, ...]] = (),
) -> tornado.web.Application:
    """Build the application. ``sync_status`` feeds ``GET /dev``; ``extra_handlers`` (dashboard, live views)
    are mounted before the catch-all 404.
    """
    routes = headless_routes(sync_status)
    routes.extend(extra_handlers)
    return GuardedApplication(  # every request passes auth_guard.decide first
        routes,
        default_handler_class=NotFoundHandler,
        log_function=log_request,
        compress_response=False,
        **app_settings(engine, settings),
    )


def start_server(
    app: tornado.web.Application,
    settings: ServerSettings,
    *,
    host: str = "127.0.0.1",
    port: int = DEFAULT_PORT,
    sockets: Sequence[socket.socket] | None = None,
) -> HTTPServer:
    """Listen on ``host:port`` (or the given pre-bound ``sockets``; port 0 picks a free port).

    Tornado's body limit is set above the Event API's own, so oversized event requests get a JSON 413.
    Must be called with a running event loop.
    """
    server = HTTPServer(app, max_body_size=settings.max_body_bytes, xheaders=False)
    server.add_sockets(list(sockets) if sockets is not None else bind_sockets(port, host))
    return server


def bound_port(server: HTTPServer) -> int:
    """The port the server listens on (useful after binding port 0)."""
    for sock in server._sockets.values():  # tornado keeps no public accessor
        return int(sock.getsockname()[1])
    raise RuntimeError("server has no sockets")
