"""Query parameters, read strictly: a parameter that is present must be well formed, or the answer is a 400
that names it (``BadRequest``). Absent means the default; present but empty (``?limit=``) is malformed, as the
spec (``server.openapi``) types every parameter and a client that means "no filter" leaves it out.

Values are read as sent: Tornado's own getters strip whitespace and turn control characters into spaces,
which would silently make ``?since_ms=%16`` an absent filter and ``?name=a%00b`` another name.
"""

from __future__ import annotations

from typing import TypeVar

from tornado.web import RequestHandler

from inngest_lab.protocol.consts import RunStatus
from inngest_lab.server.errors import BadRequest
from inngest_lab.server.shapes import parse_time_ms

D = TypeVar("D", int, None)


def text_arg(handler: RequestHandler, name: str, *, empty_is_absent: bool = False) -> str | None:
    """The last value of ``name`` (None when absent); any non-empty string without NUL characters. With
    ``empty_is_absent`` an empty value means absent (a paging cursor: empty is the first page)."""
    values = raw_args(handler, name)
    raw = values[-1] if values else None
    if raw is None or (raw == "" and empty_is_absent):
        return None
    if raw == "":
        raise BadRequest(f"{name} must not be empty: leave the parameter out for no filter")
    return no_nul(raw, name)


def raw_args(handler: RequestHandler, name: str) -> list[str]:
    """Every value of query parameter ``name``, decoded as UTF-8 (a 400 otherwise) and otherwise untouched."""
    return [handler.decode_argument(v, name=name) for v in handler.request.query_arguments.get(name, [])]


def no_nul(value: str, name: str) -> str:
    """``value``, or a 400 naming ``name`` when it holds a NUL character.

    No identifier or filter of the API holds one, and Postgres text cannot store or compare one (it would be a
    500 in production mode), so the API refuses it at the door, the same way on every store."""
    if "\x00" in value:
        raise BadRequest(f"{name} must not contain NUL characters")
    return value


def int_arg(handler: RequestHandler, name: str, default: D, *, low: int, high: int) -> int | D:
    """``name`` as a decimal integer in ``[low, high]``, ``default`` when absent."""
    raw = text_arg(handler, name)
    if raw is None:
        return default
    digits = raw[1:] if raw.startswith("-") else raw
    if not (digits.isascii() and digits.isdigit()) or not low <= int(raw) <= high:
        raise BadRequest(f"{name} must be an integer between {low} and {high}")
    return int(raw)


def time_arg(handler: RequestHandler, name: str) -> int | None:
    """``name`` as epoch ms, from an RFC 3339 timestamp or an integer of epoch ms (None when absent)."""
    raw = text_arg(handler, name)
    if raw is None:
        return None
    try:
        return parse_time_ms(raw)
    except ValueError:
        raise BadRequest(f"{name} must be an RFC 3339 timestamp or epoch milliseconds") from None


_STATUS_BY_NAME = {s.value.lower(): s for s in RunStatus}


def statuses_arg(handler: RequestHandler, name: str = "status") -> list[RunStatus]:
    """Run statuses from ``name``, which may repeat or hold a comma list; names are case-insensitive."""
    out: list[RunStatus] = []
    for raw in raw_args(handler, name):
        for part in (part.strip().lower() for part in raw.split(",")):
            if part not in _STATUS_BY_NAME:
                raise BadRequest(f"unknown {name} {part!r}; one of {', '.join(s.value for s in RunStatus)}")
            out.append(_STATUS_BY_NAME[part])
    return out
