"""The base request handler: JSON in and out, auth, and the catch-all that turns every failure into JSON.

No handler ever answers with Tornado's HTML error page or a stack trace: ``write_error`` renders the
``ApiError`` chosen by ``errors.as_api_error``. Logs never carry secrets: event keys in paths are masked
and request headers (``Authorization``, cookies) are never logged.

Auth comes in two layers: on the headless server, ``auth_guard.decide`` runs before routing (Host, cross-site and
login checks); here, each handler checks its own credential: ``require_bearer`` for the SDK routes,
``require_auth`` (the signing key or a dashboard session with its CSRF token) for the REST routes.
"""

from __future__ import annotations

import json
import logging
import math
import re
from dataclasses import dataclass
from types import TracebackType
from typing import Any

from tornado.web import HTTPError, RequestHandler

from inngest_lab.engine.model import Json
from inngest_lab.protocol import json_text
from inngest_lab.protocol.consts import Header
from inngest_lab.server.auth_guard import SAFE_METHODS, Principal, bearer_ok, identify
from inngest_lab.server.auth_session import CSRF_HEADER, SESSION_COOKIE, csrf_matches
from inngest_lab.server.engine_port import EngineApi
from inngest_lab.server.errors import (
    ApiError,
    BadRequest,
    Forbidden,
    MethodNotAllowed,
    NotFound,
    Unauthorized,
    allowed_methods,
    as_api_error,
    invalid_request,
)
from inngest_lab.server.settings import ServerSettings

log = logging.getLogger("inngest_lab.server")
access_log = logging.getLogger("inngest_lab.server.access")

SETTINGS_KEY = "inngest_lab"
_EVENT_KEY_PATH = re.compile(r"^/e/[^/?]*")


@dataclass(frozen=True, slots=True)
class ServerContext:
    """What every handler reads: the engine and the settings (stored in the Tornado application settings)."""

    engine: EngineApi
    settings: ServerSettings


def mask_path(uri: str) -> str:
    """The request path safe to log: the event key of ``/e/{key}`` becomes ``***`` and queries are dropped."""
    path = uri.split("?", 1)[0]
    return _EVENT_KEY_PATH.sub("/e/***", path)


def log_request(handler: RequestHandler) -> None:
    """Tornado ``log_function``: one access line, with the path masked."""
    status = handler.get_status()
    level = logging.INFO if status < 400 else logging.WARNING if status < 500 else logging.ERROR
    if not access_log.isEnabledFor(level):
        return  # off by default: don't mask paths and time requests for nothing
    ms = 1000.0 * handler.request.request_time()
    access_log.log(level, "%d %s %s %.1fms", status, handler.request.method, mask_path(handler.request.uri or ""), ms)


def _reject_constant(name: str) -> Any:
    raise ValueError(f"invalid JSON constant {name}")


def decode_json(raw: bytes) -> Json:
    """Decode a request body; ``BadRequest`` (``Invalid request: …``) when it is not strict JSON."""
    if not raw.strip():
        raise BadRequest(invalid_request("empty body"))
    try:
        return json_text.loads(raw, _strict_loads)
    except (ValueError, UnicodeDecodeError) as exc:
        raise BadRequest(invalid_request(f"malformed JSON: {exc}")) from None


def _strict_loads(raw: str | bytes) -> Json:
    """json.loads(raw, parse_constant=…), without building a decoder per request: NaN and Infinity refused."""
    text = raw if isinstance(raw, str) else raw.decode(json.detect_encoding(raw), "surrogatepass")
    return _DECODER.decode(text)


def encode_json(body: Json) -> bytes:
    return json_text.dumps_bytes(body, _ENCODER)


def _json_default(value: object) -> Json:
    if isinstance(value, float) and not math.isfinite(value):  # pragma: no cover - allow_nan guards first
        return None
    if isinstance(value, frozenset | set | tuple):
        return list(value)
    raise TypeError(f"not JSON serializable: {type(value).__name__}")


_DECODER = json.JSONDecoder(parse_constant=_reject_constant)
_ENCODER = json.JSONEncoder(separators=(",", ":"), allow_nan=False, default=_json_default)


class ApiHandler(RequestHandler):
    """Base of every route: JSON responses, ``X-Inngest-Server-Kind`` on all of them, errors as JSON."""

    @property
    def ctx(self) -> ServerContext:
        ctx = self.application.settings[SETTINGS_KEY]
        assert isinstance(ctx, ServerContext)
        return ctx

    def set_default_headers(self) -> None:
        # Runs again on send_error's clear(), so error responses carry the header too.
        self.set_header(Header.SERVER_KIND, self.ctx.settings.server_kind.value)
        self.set_header(Header.CONTENT_TYPE, "application/json")

    def check_xsrf_cookie(self) -> None:
        """API routes are called by SDKs and scripts, never by cookie-bearing forms."""

    def write_json(self, body: Json, status: int = 200) -> None:
        self.set_status(status)
        self.finish(encode_json(body))

    def json_body(self) -> Json:
        return decode_json(self.request.body)

    def require_bearer(self) -> None:
        """Check ``Authorization: Bearer`` when signing keys are configured; ignore it entirely otherwise.

        (With no key the TS SDK sends the literal ``Bearer undefined``.) The SDK routes use this; a malformed or
        non-ASCII header is a 401 like any wrong key.
        """
        keys = self.ctx.settings.signing_keys
        if keys and not bearer_ok(self.request.headers.get(Header.AUTHORIZATION), tuple(keys)):
            raise Unauthorized("Authentication failed")

    def require_auth(self) -> None:
        """The REST routes' check: ``require_bearer``, or a dashboard session cookie whose state-changing
        requests carry the session's ``X-CSRF-Token``. With no signing keys nothing is required here: the headless
        server's guard (``auth_guard``) and Jupyter's auth are then what close the routes.
        """
        settings = self.ctx.settings
        if not settings.signing_keys:
            return
        cookie = self.get_cookie(SESSION_COOKIE)
        now_s = self.ctx.engine.clock.now_ms() // 1000
        who = identify(settings, self.request.headers.get(Header.AUTHORIZATION), cookie, now_s)
        if who.principal is Principal.BEARER:
            return
        if who.session is not None:
            if self.request.method in SAFE_METHODS or csrf_matches(who.session, self.request.headers.get(CSRF_HEADER)):
                return
            raise Forbidden("missing or wrong X-CSRF-Token (send the inngest_lab_csrf cookie's value)")
        raise Unauthorized("Authentication failed")

    def render_error(self, err: ApiError) -> Json:
        """The JSON body for ``err``. The Event API overrides this with its own shape."""
        return err.body()

    def write_error(self, status_code: int, **kwargs: Any) -> None:
        exc_info = kwargs.get("exc_info")
        exc = exc_info[1] if exc_info else HTTPError(status_code)
        err = as_api_error(exc)
        if err.status == MethodNotAllowed.status:
            self.set_header("Allow", ", ".join(allowed_methods(type(self))))
        self.set_status(err.status)
        self.finish(encode_json(self.render_error(err)))

    def log_exception(
        self,
        typ: type[BaseException] | None,
        value: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        path = mask_path(self.request.uri or "")
        if isinstance(value, HTTPError) and as_api_error(value).status < 500:
            log.debug("%s %s -> %s", self.request.method, path, value)
            return
        if isinstance(value, HTTPError):
            log.warning("%s %s -> %s", self.request.method, path, value)
            return
        # Unexpected: keep the traceback (it holds no request headers) but never the request repr.
        log.error(
            "unhandled %s on %s %s",
            typ.__name__ if typ else "error",
            self.request.method,
            path,
            exc_info=(typ, value, tb) if typ and value else None,
        )


class NotFoundHandler(ApiHandler):
    """Every unknown path: JSON 404 instead of Tornado's HTML page."""

    def prepare(self) -> None:
        raise NotFound("not found")


class HealthHandler(ApiHandler):
    def get(self) -> None:
        self.write_json({"status": 200, "message": "OK"})
