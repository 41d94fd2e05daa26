"""Go-style duration strings with ``d``/``w`` extensions, and ISO timestamps."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

_UNIT_MS = {
    "ns": 1e-6,
    "us": 1e-3,
    "µs": 1e-3,
    "ms": 1.0,
    "s": 1000.0,
    "m": 60_000.0,
    "h": 3_600_000.0,
    "d": 86_400_000.0,
    "w": 604_800_000.0,
}
_PART = re.compile(r"(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h|d|w)")


class DurationError(ValueError):
    """A duration string could not be parsed."""


def parse_duration_ms(text: str) -> int:
    """Parse ``"1h30m"``, ``"5s"``, ``"2d"`` into milliseconds. Raises DurationError."""
    s = text.strip()
    if not s:
        raise DurationError("empty duration")
    pos, total = 0, 0.0
    for m in _PART.finditer(s):
        if m.start() != pos:
            break
        total += float(m.group(1)) * _UNIT_MS[m.group(2)]
        pos = m.end()
    if pos != len(s):
        if s.isdigit():  # bare integers are seconds in some SDK paths
            return int(s) * 1000
        raise DurationError(f"invalid duration {text!r}")
    return int(total)


def format_duration(ms: int) -> str:
    """Write a duration with the largest whole unit, as the Python SDK does (``"5m"``, ``"30s"``)."""
    for unit, size in (("w", 604_800_000), ("d", 86_400_000), ("h", 3_600_000), ("m", 60_000), ("s", 1000)):
        if ms >= size and ms % size == 0:
            return f"{ms // size}{unit}"
    return f"{ms}ms"


def parse_time_ms(text: str) -> int | None:
    """Parse an ISO-8601/RFC3339 timestamp into epoch ms; None if it is not one."""
    if len(text) < 10:
        return None
    try:
        dt = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=UTC)
    return int(dt.timestamp() * 1000)


def iso_utc(ms: int) -> str:
    """Epoch ms as ISO-8601 UTC with milliseconds and ``Z``."""
    dt = datetime.fromtimestamp(ms / 1000, tz=UTC)
    return dt.strftime("%Y-%m-%dT%H:%M:%S.") + f"{dt.microsecond // 1000:03d}Z"


def to_ms(value: int | float | timedelta) -> int:
    """SDK durations: int ms or timedelta."""
    if isinstance(value, timedelta):
        return int(value.total_seconds() * 1000)
    return int(value)
