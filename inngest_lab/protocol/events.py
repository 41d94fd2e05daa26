"""The Event API edge: validate and normalize bodies of ``POST /e/{key}`` (protocol §6.1), build internal events.

Errors carry data so the server maps them to a status in one place:

    ValueError
     ├── EventValidationError   400, ``index`` = position of the offending event (None for the body)
     └── EventTooLarge          413, ``index`` and ``size`` in bytes
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from typing import Any

from inngest_lab.protocol.consts import INTERNAL_DATA_KEY, MAX_EVENT_BYTES, RESERVED_EVENT_PREFIX

MAX_EVENT_NAME_LENGTH = 512
MIN_TS_MS = int(datetime(1980, 1, 1, tzinfo=UTC).timestamp() * 1000)
MAX_TS_MS = int(datetime(2100, 1, 1, tzinfo=UTC).timestamp() * 1000)


class EventValidationError(ValueError):
    """An event (or the body) is malformed; answer 400 with ``message``."""

    def __init__(self, message: str, index: int | None = None) -> None:
        super().__init__(message if index is None else f"event {index}: {message}")
        self.message = message
        self.index = index


class EventTooLarge(ValueError):
    """One event is bigger than ``MAX_EVENT_BYTES`` once serialized; answer 413."""

    def __init__(self, index: int, size: int, limit: int = MAX_EVENT_BYTES) -> None:
        super().__init__(f"event {index} is {size} bytes, larger than the {limit} byte limit")
        self.index = index
        self.size = size
        self.limit = limit


def _encoded_size(event: Mapping[str, Any]) -> int:
    return len(json.dumps(event, separators=(",", ":"), ensure_ascii=False).encode("utf-8", "surrogatepass"))


def normalize_event(raw: Any, index: int, now_ms: int, new_id: Callable[[int], str]) -> dict[str, Any]:
    """One wire event → ``{id, name, data, user, ts[, v]}``. Raises EventValidationError / EventTooLarge.

    ``data`` null becomes ``{}``, ``data._inngest`` is dropped (only the server may set it), ``ts`` defaults to
    ``now_ms``, ``user`` to ``{}``, and a missing or empty ``id`` to ``new_id(index)``. Unknown keys are dropped.
    """
    if not isinstance(raw, Mapping):
        raise EventValidationError("an event must be a JSON object", index)
    name = raw.get("name")
    if not isinstance(name, str) or not name.strip():
        raise EventValidationError("event name is required", index)
    if "\x00" in name:  # no store can index it (Postgres text refuses NUL)
        raise EventValidationError("event name must not contain NUL characters", index)
    if len(name) > MAX_EVENT_NAME_LENGTH:
        raise EventValidationError(f"event name is longer than {MAX_EVENT_NAME_LENGTH} characters", index)
    if name.lower().startswith(RESERVED_EVENT_PREFIX):
        raise EventValidationError("event name is reserved for internal use", index)

    data = raw.get("data")
    if data is None:
        data = {}
    if not isinstance(data, Mapping):
        raise EventValidationError("event data must be a JSON object", index)
    data = {k: v for k, v in data.items() if k != INTERNAL_DATA_KEY}

    user = raw.get("user")
    if user is None:
        user = {}
    if not isinstance(user, Mapping):
        raise EventValidationError("event user must be a JSON object", index)

    ts = raw.get("ts")
    if isinstance(ts, bool):
        raise EventValidationError("event ts must be an integer number of milliseconds", index)
    if ts is None or ts == 0:
        ts = now_ms
    if isinstance(ts, float) and ts.is_integer():
        ts = int(ts)  # SDKs require an integer ts on the way out; accept 1.7e12 on the way in
    if not isinstance(ts, int) or isinstance(ts, bool):
        raise EventValidationError("event ts must be an integer number of milliseconds", index)
    if not MIN_TS_MS <= ts < MAX_TS_MS:
        raise EventValidationError("event ts must be between 1980 and 2100 (milliseconds since the epoch)", index)

    event_id = raw.get("id")
    if event_id is None or event_id == "":
        event_id = new_id(index)
    if not isinstance(event_id, str):
        raise EventValidationError("event id must be a string", index)

    event: dict[str, Any] = {"id": event_id, "name": name, "data": data, "user": dict(user), "ts": ts}
    version = raw.get("v")
    if isinstance(version, str) and version:
        event["v"] = version
    size = _encoded_size(event)
    if size > MAX_EVENT_BYTES:
        raise EventTooLarge(index, size)
    return event


def normalize_events(body: Any, now_ms: int, new_id: Callable[[int], str]) -> list[dict[str, Any]]:
    """Validate a ``POST /e`` body (one event object or an array of them) into normalized events, in order.

    All-or-nothing: the first bad event raises, so no event of a bad request is stored.
    """
    if isinstance(body, Mapping):
        items: list[Any] = [body]
    elif isinstance(body, list):
        items = body
    else:
        raise EventValidationError("body must be an event object or an array of events")
    return [normalize_event(raw, index, now_ms, new_id) for index, raw in enumerate(items)]


def internal_event(name: str, data: Mapping[str, Any], id: str, ts: int) -> dict[str, Any]:
    """An event the server itself creates (``inngest/function.finished``, invoke, …): no prefix or size check."""
    return {"id": id, "name": name, "data": dict(data), "user": {}, "ts": ts}
