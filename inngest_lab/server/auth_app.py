"""Tornado glue for the request guard: an ``Application`` that asks ``auth_guard.decide`` before routing.

Deciding in ``find_handler`` rather than in each handler's ``prepare`` means no route can forget it: the API,
the dashboard's pages and assets, and the 404 handler are all behind it. Only the headless server uses this
application class; inside Jupyter the same handlers sit behind Jupyter's own auth (``jupyter/handlers.py``).
"""

from __future__ import annotations

import contextlib
import logging
from typing import Any

import tornado.web
from tornado import httputil

from inngest_lab.protocol.consts import Header
from inngest_lab.server.auth_guard import Redirect, Refusal, RequestFacts, Verdict, decide
from inngest_lab.server.auth_session import CSRF_HEADER, SESSION_COOKIE
from inngest_lab.server.base import SETTINGS_KEY, ApiHandler, ServerContext, mask_path
from inngest_lab.server.errors import Forbidden, Unauthorized

log = logging.getLogger("inngest_lab.server.auth")


_PORT_ATTR = "_inngest_lab_local_port"


def local_port(request: httputil.HTTPServerRequest) -> int | None:
    """The port the connection arrived on (the server's own port, even when bound to port 0).

    Kept on the connection: a keep-alive connection (an SDK's checkpoints, a poller) asks on every request, and
    the answer is a system call."""
    connection = request.connection
    known: int | None = getattr(connection, _PORT_ATTR, 0)
    if known != 0:
        return known
    stream = getattr(connection, "stream", None)
    sock = getattr(stream, "socket", None)
    try:
        port = int(sock.getsockname()[1]) if sock is not None else None
    except (OSError, IndexError, TypeError, ValueError):
        return None
    with contextlib.suppress(AttributeError):  # a connection object that takes no attributes: ask each time
        setattr(connection, _PORT_ATTR, port)
    return port


def request_facts(request: httputil.HTTPServerRequest, now_s: int) -> RequestFacts:
    headers = request.headers
    cookie = request.cookies.get(SESSION_COOKIE)
    return RequestFacts(
        method=request.method or "GET",
        path=request.path,
        target=request.uri or request.path,
        host=request.host or "",
        forwarded_host=headers.get("X-Forwarded-Host"),
        local_port=local_port(request),
        origin=headers.get("Origin"),
        fetch_site=headers.get("Sec-Fetch-Site"),
        wants_html="text/html" in headers.get("Accept", ""),
        authorization=headers.get(Header.AUTHORIZATION),
        session_cookie=cookie.value if cookie is not None else None,
        csrf_token=headers.get(CSRF_HEADER),
        now_s=now_s,
    )


class RefusalHandler(ApiHandler):
    """Answers a request the guard turned away: a JSON 401/403, or a redirect to the login page."""

    def initialize(self, verdict: Verdict) -> None:
        self._verdict = verdict

    def prepare(self) -> None:
        verdict = self._verdict
        if isinstance(verdict, Redirect):
            self.set_header(Header.CONTENT_TYPE, "text/plain; charset=utf-8")
            self.redirect(verdict.location, status=303)
            return
        assert isinstance(verdict, Refusal)
        log.info("refused %s %s: %d", self.request.method, mask_path(self.request.uri or ""), verdict.status)
        raise (Unauthorized if verdict.status == 401 else Forbidden)(verdict.message)


class GuardedApplication(tornado.web.Application):
    """``tornado.web.Application`` whose every request passes ``auth_guard.decide`` first."""

    def find_handler(self, request: httputil.HTTPServerRequest, **kwargs: Any) -> Any:
        ctx = self.settings[SETTINGS_KEY]
        assert isinstance(ctx, ServerContext)
        verdict = decide(request_facts(request, ctx.engine.clock.now_ms() // 1000), ctx.settings)
        if verdict is None:
            return super().find_handler(request, **kwargs)
        return self.get_handler_delegate(request, RefusalHandler, {"verdict": verdict})
