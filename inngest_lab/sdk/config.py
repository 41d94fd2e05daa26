"""Events, triggers and function configuration, with their registration wire shapes (protocol doc section 3.2).

Durations accept int milliseconds or ``timedelta`` and are written with the largest whole unit (``"5m"``).
Every ``to_wire`` leaves out unset (None) keys, as inngest-py's deep ``None`` strip does.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import timedelta
from enum import StrEnum
from typing import Any, Literal

from inngest_lab.protocol.durations import format_duration, to_ms
from inngest_lab.sdk.errors import FunctionConfigInvalidError

Duration = int | timedelta


def duration_str(value: Duration) -> str:
    """Write a duration the way inngest-py does: at least 1s, whole seconds, largest whole unit."""
    ms = to_ms(value)
    if ms < 1000:
        raise FunctionConfigInvalidError("duration must be at least 1 second")
    if ms % 1000:
        raise FunctionConfigInvalidError("duration must be a whole number of seconds")
    return format_duration(ms)


def _maybe_duration(value: Duration | None) -> str | None:
    return None if value is None else duration_str(value)


def _strip(d: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in d.items() if v is not None}


@dataclass(frozen=True, slots=True)
class Event:
    """An event as user code sends and receives it (inngest-py ``Event``: name, data, id, ts)."""

    name: str
    data: Mapping[str, Any] = field(default_factory=dict)
    id: str = ""
    ts: int = 0

    @classmethod
    def from_wire(cls, raw: Any) -> Event:
        """Strictly validate a wire event (int ``ts``, str ``id``, ``data: null`` becomes ``{}``). Raises ValueError."""
        if not isinstance(raw, Mapping):
            raise ValueError("event must be an object")
        name, data, eid, ts = raw.get("name"), raw.get("data"), raw.get("id", ""), raw.get("ts", 0)
        if not isinstance(name, str):
            raise ValueError("event.name must be a string")
        if data is None:
            data = {}
        if not isinstance(data, Mapping):
            raise ValueError("event.data must be an object")
        if not isinstance(eid, str):
            raise ValueError("event.id must be a string")
        if not isinstance(ts, int) or isinstance(ts, bool):
            raise ValueError("event.ts must be an integer")
        return cls(name=name, data=dict(data), id=eid, ts=ts)

    def to_dict(self) -> dict[str, Any]:
        return {"data": dict(self.data), "id": self.id, "name": self.name, "ts": self.ts}


class ParallelMode(StrEnum):
    WAIT = "wait"
    RACE = "race"


@dataclass(frozen=True, slots=True)
class TriggerEvent:
    event: str
    expression: str | None = None

    def to_wire(self) -> dict[str, Any]:
        return _strip({"event": self.event, "expression": self.expression})


@dataclass(frozen=True, slots=True)
class TriggerCron:
    cron: str
    jitter: str | Duration | None = None

    def to_wire(self) -> dict[str, Any]:
        jitter = self.jitter if isinstance(self.jitter, str) or self.jitter is None else duration_str(self.jitter)
        return _strip({"cron": self.cron, "jitter": jitter})


Trigger = TriggerEvent | TriggerCron


@dataclass(frozen=True, slots=True)
class Cancel:
    event: str
    if_exp: str | None = None
    timeout: Duration | None = None

    def to_wire(self) -> dict[str, Any]:
        return _strip({"event": self.event, "if": self.if_exp, "timeout": _maybe_duration(self.timeout)})


@dataclass(frozen=True, slots=True)
class Concurrency:
    limit: int
    key: str | None = None
    scope: Literal["account", "env", "fn"] | None = None

    def to_wire(self) -> dict[str, Any]:
        return _strip({"key": self.key, "limit": self.limit, "scope": self.scope})


@dataclass(frozen=True, slots=True)
class Throttle:
    limit: int
    period: Duration
    burst: int | None = 1  # inngest-py's default, so it is on the wire unless set to None
    key: str | None = None

    def to_wire(self) -> dict[str, Any]:
        return _strip({"key": self.key, "limit": self.limit, "period": duration_str(self.period), "burst": self.burst})


@dataclass(frozen=True, slots=True)
class RateLimit:
    limit: int
    period: Duration
    key: str | None = None

    def to_wire(self) -> dict[str, Any]:
        return _strip({"key": self.key, "limit": self.limit, "period": duration_str(self.period)})


@dataclass(frozen=True, slots=True)
class Debounce:
    period: Duration
    key: str | None = None
    timeout: Duration | None = None

    def to_wire(self) -> dict[str, Any]:
        return _strip({"key": self.key, "period": duration_str(self.period), "timeout": _maybe_duration(self.timeout)})


@dataclass(frozen=True, slots=True)
class Batch:
    max_size: int
    timeout: Duration | None = None
    key: str | None = None
    if_exp: str | None = None

    def to_wire(self) -> dict[str, Any]:
        return _strip(
            {"maxSize": self.max_size, "timeout": _maybe_duration(self.timeout), "key": self.key, "if": self.if_exp}
        )


@dataclass(frozen=True, slots=True)
class Priority:
    run: str

    def to_wire(self) -> dict[str, Any]:
        return {"run": self.run}


@dataclass(frozen=True, slots=True)
class Singleton:
    key: str | None = None
    mode: Literal["skip", "cancel"] = "skip"

    def to_wire(self) -> dict[str, Any]:
        return _strip({"key": self.key, "mode": self.mode})


@dataclass(frozen=True, slots=True)
class Timeouts:
    start: Duration | None = None
    finish: Duration | None = None

    def to_wire(self) -> dict[str, Any]:
        return _strip({"start": _maybe_duration(self.start), "finish": _maybe_duration(self.finish)})
