"""The records the API spec is written in: one ``Operation`` per route and method (``server/openapi.py``)."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from inngest_lab.server.openapi_schemas import Schema

EVENTS, REST, OPS, LAB, SERVER, LOGIN = "Event API", "REST v1", "Operations", "Dashboard (/lab)", "Server", "Login"
PAGES, REST_V2 = "Dashboard pages", "REST v2"
"""Tags: the spec's sections (``/docs`` groups operations by them)."""


class Auth(StrEnum):
    BEARER = "bearer"  # Authorization: Bearer <signing key or its hash>, when the server has signing keys
    EVENT_KEY = "event_key"  # the {key} path segment, checked against the server's event keys
    NONE = "none"


@dataclass(frozen=True, slots=True)
class Query:
    """A query parameter."""

    name: str
    schema: Schema
    description: str


@dataclass(frozen=True, slots=True)
class Answer:
    """A documented answer other than the 200 and the implied JSON errors (a page, a redirect)."""

    status: int
    description: str
    media_type: str | None = None  # None: no body (a redirect)
    schema: Schema | None = None


@dataclass(frozen=True, slots=True)
class Operation:
    """One method of one route. ``path`` is a template (``/v1/runs/{runId}``); each ``{name}`` is a string.

    The error answers are implied: 401 with ``Auth.BEARER`` or ``Auth.EVENT_KEY``, 404 with a path parameter,
    400 with query parameters or a body, 413 with a body; ``errors`` adds other JSON errors (``/dev``'s 404 under
    ``start``) and ``answers`` anything else. ``reply`` None: the operation never answers 200. ``error``: the
    JSON errors' schema when it is not the server's common ``ErrorBody`` (REST v2's ``{errors: [...]}``); a 401
    may then be either, since the headless server's auth guard refuses before routing, in the common shape.
    """

    method: str
    path: str
    summary: str
    tag: str
    reply: Schema | None
    query: tuple[Query, ...] = ()
    body: Schema | None = None
    body_required: bool = False
    auth: Auth = Auth.BEARER
    errors: tuple[int, ...] = ()
    media_type: str = "application/json"
    body_media_type: str = "application/json"
    answers: tuple[Answer, ...] = ()
    error: Schema | None = None
    other_media_types: tuple[str, ...] = ()  # the 200's other formats, chosen by Accept (/metrics' OpenMetrics)
