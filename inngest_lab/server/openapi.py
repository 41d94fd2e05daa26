"""The HTTP API's OpenAPI 3.1 spec: one ``Operation`` per route and method, built into the document.

Adding a route is one place: append an ``Operation`` to ``OPERATIONS`` (its shapes go in ``openapi_schemas``).
``tests/integration/api_contract/test_every_route_is_in_the_spec_and_back.py`` checks the route table against
this list both ways and prints the ``Operation(...)`` line a missing route needs (``spec_mismatches``).

Not in the spec: the SDK protocol routes (``SDK_PROTOCOL_PATHS``: sync, ``use_api`` reads, checkpoints). Their
shapes are Inngest's (the checkpoint batch is our SDK's), and the SDKs test them. Served at ``GET /openapi.json``
and rendered at ``GET /docs``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from functools import cache
from typing import Any

from tornado.web import RequestHandler

from inngest_lab.server.errors import allowed_methods
from inngest_lab.server.openapi_lab import LAB_OPERATIONS
from inngest_lab.server.openapi_model import (
    EVENTS,
    LAB,
    LOGIN,
    OPS,
    PAGES,
    REST,
    REST_V2,
    SERVER,
    Answer,
    Auth,
    Operation,
    Query,
)
from inngest_lab.server.openapi_realtime import REALTIME_OPERATIONS
from inngest_lab.server.openapi_schemas import (
    FILTER,
    ID,
    OBJECT,
    SCHEMAS,
    STRING,
    TIME_OR_MS,
    array,
    envelope,
    obj,
    ref,
)
from inngest_lab.server.openapi_v2 import V2_OPERATIONS, V2_SCHEMAS

OPENAPI_VERSION = "3.1.0"
SDK_PROTOCOL_PATHS = frozenset(
    {
        "/fn/register",
        "/v0/runs/{runId}/batch",
        "/v0/runs/{runId}/actions",
        "/v1/checkpoint/{runId}/async",
        "/v1/checkpoint/batch",
    }
)
"""Inngest's SDK protocol (protocol doc sections 3.2 and 4.9, and checkpoints: protocol-next doc 1.3, with our
SDK's batch of them): out of the spec on purpose. Any other ``/v1/checkpoint/...`` route counts too
(``is_sdk_protocol``)."""
SDK_PROTOCOL_PREFIXES = ("/v1/checkpoint/",)


_LIMIT = "how many to return"
_EPOCH_MS = {"type": "integer", "minimum": -(2**53), "maximum": 2**53}
_RUN_FILTERS = (
    Query("status", array(ref("RunStatus")), "only runs with one of these statuses (repeat, or comma-separated)"),
    Query("function_id", FILTER, "only runs of this function (<app>-<fn>)"),
    Query("event_id", FILTER, "only runs this event (internal id) started"),
    Query("limit", {"type": "integer", "minimum": 1, "maximum": 500, "default": 50}, _LIMIT),
)
_EVENT_FILTERS = (
    Query("name", FILTER, "only events of this name"),
    Query("cursor", FILTER, "internal id of the last event of the previous page"),
    Query("limit", {"type": "integer", "minimum": 1, "maximum": 100, "default": 20}, _LIMIT),
    Query("received_after", TIME_OR_MS, "only events received at or after this time"),
    Query("received_before", TIME_OR_MS, "only events received before this time"),
)


OPERATIONS: tuple[Operation, ...] = (
    Operation(
        "POST",
        "/e/{key}",
        "Send one event or an array of events; answers their ids",
        EVENTS,
        ref("EventApiReply"),
        body={"anyOf": [ref("EventInput"), array(ref("EventInput"))]},
        body_required=True,
        auth=Auth.EVENT_KEY,
    ),
    Operation("GET", "/health", "Liveness", SERVER, ref("Health"), auth=Auth.NONE),
    Operation(
        "GET", "/dev", "Dev-server info (404 on a start server)", SERVER, ref("DevInfo"), auth=Auth.NONE, errors=(404,)
    ),
    Operation(
        "GET",
        "/ready",
        "Readiness: 200 when the stores answer and are migrated, else 503 with the reason",
        SERVER,
        obj(["status", "message"], status={"const": 200}, message={"const": "ready"}),
        auth=Auth.NONE,
        answers=(Answer(503, "Not ready: the error says why", "application/json", ref("ErrorBody")),),
    ),
    Operation(
        "GET",
        "/metrics",
        "Prometheus metrics, text format 0.0.4 (OpenMetrics 1.0 when Accept asks for application/openmetrics-text;"
        " 404 when metrics are off)",
        SERVER,
        STRING,
        media_type="text/plain",
        other_media_types=("application/openmetrics-text",),
        errors=(404,),
    ),
    Operation("GET", "/openapi.json", "This document", SERVER, OBJECT),
    Operation(
        "GET",
        "/docs",
        "This document, rendered (anonymous page loads of a server with a login go to /login first)",
        SERVER,
        STRING,
        media_type="text/html",
        answers=(Answer(302, "To /login?next=/docs"),),
    ),
    Operation(
        "GET",
        "/login",
        "The dashboard's login page (or why there is none)",
        LOGIN,
        STRING,
        (Query("next", STRING, "where to go after logging in (same-origin paths only)"),),
        auth=Auth.NONE,
        media_type="text/html",
        answers=(Answer(303, "Already logged in: to next"),),
    ),
    Operation(
        "POST",
        "/login",
        "Log in with the dashboard password",
        LOGIN,
        None,
        body=obj(password=STRING, next=STRING),
        body_media_type="application/x-www-form-urlencoded",
        auth=Auth.NONE,
        answers=(
            Answer(303, "Logged in: to next, with the session and CSRF cookies"),
            Answer(401, "Wrong password: the form again", "text/html"),
            Answer(403, "No dashboard login on this server", "text/html"),
            Answer(429, "Too many failed logins (Retry-After): the form again", "text/html"),
        ),
    ),
    Operation(
        "POST",
        "/logout",
        "Log out (with a session, the CSRF token as X-CSRF-Token or the csrf_token field)",
        LOGIN,
        ref("Deleted"),
        body=obj(csrf_token=STRING),
        body_media_type="application/x-www-form-urlencoded",
        auth=Auth.NONE,
        errors=(403,),
        answers=(Answer(303, "A form post: to /login"),),
    ),
    Operation("DELETE", "/v0/runs/{runId}", "Cancel a run (v0)", REST, ref("V0Cancelled")),
    Operation(
        "GET", "/v1/events", "Recent events, newest first", REST, envelope(array(ref("EventInfo"))), _EVENT_FILTERS
    ),
    Operation("GET", "/v1/events/{eventId}", "One event", REST, envelope(ref("EventInfo"))),
    Operation("GET", "/v1/events/{eventId}/runs", "The runs an event started", REST, envelope(array(ref("Run")))),
    Operation("GET", "/v1/runs/{runId}", "One run", REST, envelope(ref("Run"))),
    Operation("DELETE", "/v1/runs/{runId}", "Cancel a run (idempotent for ended runs)", REST, envelope(ref("Run"))),
    Operation(
        "POST",
        "/v1/cancellations",
        "Bulk-cancel a function's runs started in a time range",
        OPS,
        envelope(ref("Cancellation")),
        body=ref("CancellationInput"),
        body_required=True,
        errors=(404,),  # an unknown function
    ),
    Operation(
        "GET", "/v1/cancellations", "Bulk cancellations, newest first", OPS, envelope(array(ref("Cancellation")))
    ),
    Operation("GET", "/v1/cancellations/{cancellationId}", "One bulk cancellation", OPS, envelope(ref("Cancellation"))),
    Operation(
        "DELETE", "/v1/cancellations/{cancellationId}", "Forget a bulk cancellation", OPS, envelope(ref("Deleted"))
    ),
    Operation(
        "GET", "/v1/functions/{functionId}/pause", "Whether a function is paused", OPS, envelope(ref("PauseState"))
    ),
    Operation(
        "POST",
        "/v1/functions/{functionId}/pause",
        "Pause a function",
        OPS,
        envelope(ref("PauseState")),
        body=ref("PauseInput"),
    ),
    Operation("POST", "/v1/functions/{functionId}/resume", "Resume a function", OPS, envelope(ref("PauseState"))),
    Operation(
        "POST",
        "/v1/events/{eventId}/replay",
        "Send a stored event again",
        OPS,
        envelope(ref("Replayed")),
        errors=(400,),  # an internal event (inngest/…) cannot be replayed
    ),
    Operation("GET", "/lab/apps", "Synced apps", LAB, envelope(array(ref("AppInfo")))),
    Operation("GET", "/lab/functions", "Registered functions", LAB, envelope(array(ref("FunctionInfo")))),
    Operation("GET", "/lab/runs", "Recent runs, newest first", LAB, envelope(array(ref("RunSummary"))), _RUN_FILTERS),
    Operation("GET", "/lab/runs/{runId}/trace", "A run's timeline", LAB, envelope(ref("Timeline"))),
    Operation("POST", "/lab/runs/{runId}/cancel", "Cancel a run", LAB, envelope(ref("RunSummary"))),
    Operation(
        "GET",
        "/lab/live",
        "Server-Sent Events: a JSON array of change notices per event",
        LAB,
        STRING,
        media_type="text/event-stream",
    ),
    Operation(
        "GET", "/lab/runs/{runId}/state", "A run's full record and history", LAB, envelope(ref("RunStateWithHistory"))
    ),
    Operation(
        "GET",
        "/lab/state/runs",
        "Full run records, newest first",
        LAB,
        envelope(array(ref("RunState"))),
        (*_RUN_FILTERS, Query("since_ms", _EPOCH_MS, "only runs created at or after this epoch ms")),
    ),
    Operation("GET", "/lab/state/functions", "Full function definitions", LAB, envelope(array(ref("FunctionState")))),
    *LAB_OPERATIONS,
    *REALTIME_OPERATIONS,
    *V2_OPERATIONS,
)
"""Every route and method of the API but the SDK protocol's (module docstring)."""

_LAB_MODULE = "inngest_lab.server.openapi_lab"
_PARAM = re.compile(r"{([A-Za-z_][A-Za-z0-9_]*)}")


def _responses(op: Operation) -> dict[str, Any]:
    error = op.error or (ref("EventApiError") if op.auth is Auth.EVENT_KEY else ref("ErrorBody"))
    statuses = set(op.errors)
    if op.auth is not Auth.NONE:
        statuses.add(401)
    if _PARAM.search(op.path) and op.auth is not Auth.EVENT_KEY:
        statuses.add(404)
    if op.query or op.body is not None:
        statuses.add(400)
    if op.body is not None:
        statuses.add(413)
    out: dict[str, Any] = {}
    if op.reply is not None:
        media = (op.media_type, *op.other_media_types)
        out["200"] = {"description": "OK", "content": {m: {"schema": op.reply} for m in media}}
    for status in sorted(statuses):
        schema = {"anyOf": [ref("ErrorBody"), error]} if status == 401 and op.error is not None else error
        out[str(status)] = {"description": _ERROR_TEXT[status], "content": {"application/json": {"schema": schema}}}
    for answer in op.answers:
        out[str(answer.status)] = {"description": answer.description}
        if answer.media_type is not None:
            out[str(answer.status)]["content"] = {answer.media_type: {"schema": answer.schema or STRING}}
    return dict(sorted(out.items()))


_ERROR_TEXT = {
    400: "Malformed input; the error names the field or parameter",
    401: "Missing or wrong key",
    403: "Refused (a missing or wrong CSRF token)",
    404: "Unknown id",
    409: "Conflicts with the record's state (a run that has already ended)",
    413: "Body too large",
}


def _operation(op: Operation) -> dict[str, Any]:
    params: list[dict[str, Any]] = [
        {"name": name, "in": "path", "required": True, "schema": ID} for name in _PARAM.findall(op.path)
    ]
    params += [{"name": q.name, "in": "query", "schema": q.schema, "description": q.description} for q in op.query]
    out: dict[str, Any] = {
        "operationId": f"{op.method.lower()}{''.join(p.capitalize() for p in re.split(r'[^A-Za-z0-9]+', op.path))}",
        "summary": op.summary,
        "tags": [op.tag],
        "responses": _responses(op),
    }
    if params:
        out["parameters"] = params
    if op.body is not None:
        content = {op.body_media_type: {"schema": op.body}}
        out["requestBody"] = {"required": op.body_required, "content": content}
    out["security"] = [{"signingKey": []}, {}] if op.auth is Auth.BEARER else []
    return out


@cache
def spec() -> dict[str, Any]:
    """The OpenAPI 3.1 document (built once; treat it as read-only)."""
    paths: dict[str, dict[str, Any]] = {}
    for op in OPERATIONS:
        paths.setdefault(op.path, {})[op.method.lower()] = _operation(op)
    return {
        "openapi": OPENAPI_VERSION,
        "info": {
            "title": "inngest-lab HTTP API",
            "version": "1",
            "description": (
                "The Event API, REST v1 and v2, operator actions and the dashboard routes of inngest-lab. The "
                "SDK protocol routes (/fn/register, /v0/runs/{runId}/batch|actions, /v1/checkpoint/...) are "
                "Inngest's and are not described here. Errors are JSON {code, error, status}; REST v2's are "
                "{errors: [{code, message}]}. With signing keys configured, routes "
                "marked signingKey need Authorization: Bearer <signing key>."
            ),
        },
        "tags": [{"name": t} for t in (EVENTS, REST, REST_V2, OPS, LAB, PAGES, SERVER, LOGIN)],
        "paths": paths,
        "components": {
            "schemas": {**SCHEMAS, **V2_SCHEMAS},
            "securitySchemes": {"signingKey": {"type": "http", "scheme": "bearer"}},
        },
    }


# ---------------------------------------------------------------- route table <-> spec


def _sample(template: str) -> str:
    """A concrete path for ``template``: each ``{name}`` becomes ``x-name``."""
    return _PARAM.sub(lambda m: f"x-{m.group(1)}", template)


def _template_for(pattern: str) -> str:
    """A path template suggested for a route regex (for the fix-it message)."""
    path = pattern.replace("/?", "").replace("([^/]*)", "{id}").replace("([^/]+)", "{id}")
    return path.rstrip("$")


def is_sdk_protocol(pattern: str) -> bool:
    """Whether a route regex is one of the SDK protocol's by its prefix (``SDK_PROTOCOL_PREFIXES``)."""
    return pattern.startswith(SDK_PROTOCOL_PREFIXES)


def spec_mismatches(routes: Iterable[Sequence[Any]], operations: Sequence[Operation] = OPERATIONS) -> list[str]:
    """What differs between a route table (``(regex, handler, …)``, first match wins) and ``operations``, each
    as a sentence that says what to add or remove. Empty when they agree."""
    table = [(str(r[0]), r[1]) for r in routes]
    problems: list[str] = []
    served: dict[str, tuple[str, type[RequestHandler]] | None] = {}
    for path in {op.path for op in operations} | SDK_PROTOCOL_PATHS:
        served[path] = next(((p, h) for p, h in table if re.fullmatch(p, _sample(path))), None)
    covered: set[str] = set()
    by_path: dict[str, set[str]] = {}
    for op in operations:
        by_path.setdefault(op.path, set()).add(op.method.upper())
    for path, methods in sorted(by_path.items()):
        route = served[path]
        if route is None:
            problems.append(f"spec path {path} matches no route: remove its Operation(...)s, or add the route")
            continue
        pattern, handler = route
        covered.add(pattern)
        implemented = set(allowed_methods(handler))
        for method in sorted(implemented - methods):
            problems.append(
                f"{method} {path} ({handler.__name__}) is not in the spec: add "
                f'Operation("{method}", "{path}", "<summary>", <tag>, <reply schema>) to OPERATIONS in '
                f"{__name__} (or a module of its own, as {_LAB_MODULE})"
            )
        for method in sorted(methods - implemented):
            problems.append(f"{method} {path} is in the spec but {handler.__name__} has no {method.lower()}()")
    covered |= {route[0] for p in SDK_PROTOCOL_PATHS if (route := served[p]) is not None}
    for pattern, handler in table:
        if pattern not in covered and not is_sdk_protocol(pattern):
            listed = ", ".join(allowed_methods(handler)) or "no method"
            problems.append(
                f"route {pattern!r} ({handler.__name__}: {listed}) is not in the spec: add an Operation per "
                f"method to OPERATIONS in {__name__} (or a module of its own, as {_LAB_MODULE}), e.g. "
                f'Operation("{(allowed_methods(handler) or ["GET"])[0]}", "{_template_for(pattern)}", ...)'
            )
    return problems
