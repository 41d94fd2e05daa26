"""Cron triggers: parse Inngest's cron strings, compute the next tick, build the ``inngest/scheduled.timer`` event.

Inngest validates with robfig/cron's standard 5-field parser (minute hour day-of-month month day-of-week),
optionally prefixed by ``TZ=Area/City`` or ``CRON_TZ=Area/City`` (default UTC). Six-field (seconds) specs and
``@daily``-style descriptors are rejected, as are croniter extensions robfig lacks (``L``, ``W``, ``#``, ``H``).
Tick arithmetic is croniter's, run in the schedule's zone: a time skipped by a DST jump fires at the first
valid instant after it, and a repeated wall time fires on each occurrence.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from croniter import croniter

from inngest_lab.engine.model import Json
from inngest_lab.protocol.consts import InternalEvent
from inngest_lab.protocol.durations import DurationError, parse_duration_ms

MAX_CRON_LENGTH = 255
MIN_JITTER_MS = 1000
MAX_JITTER_MS = 5 * 60 * 1000

_TZ_PREFIX = re.compile(r"^(?:CRON_TZ|TZ)=(\S+)\s+(.*)$", re.DOTALL)
_MONTHS = {"JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"}
_DAYS = {"SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"}
_FIELD_NAMES = ("minute", "hour", "day of month", "month", "day of week")
_ATOM = r"(?:\*|\?|[0-9A-Za-z]+(?:-[0-9A-Za-z]+)?)(?:/\d+)?"
_FIELD = re.compile(rf"^{_ATOM}(?:,{_ATOM})*$")


class CronError(ValueError):
    """A cron spec or jitter is invalid; the message says why."""


@dataclass(frozen=True, slots=True)
class CronSchedule:
    """A validated cron schedule. ``expression`` is the 5-field part, ``zone`` an IANA name or ``"UTC"``."""

    spec: str
    expression: str
    zone: str

    def _tz(self) -> tzinfo:
        return UTC if self.zone == "UTC" else ZoneInfo(self.zone)

    def next_after(self, ms: int) -> int:
        """The first tick strictly after epoch ``ms``, as epoch ms."""
        start = datetime.fromtimestamp(ms / 1000, tz=UTC).astimezone(self._tz())
        ticks = croniter(self.expression, start)
        while True:
            tick = ticks.get_next(datetime)
            tick_ms = int(tick.astimezone(UTC).timestamp() * 1000)
            if tick_ms > ms:
                return tick_ms

    def latest_at_or_before(self, ms: int) -> int:
        """The last tick at or before epoch ``ms``, as epoch ms."""
        start = datetime.fromtimestamp(ms / 1000, tz=UTC).astimezone(self._tz())
        latest = int(croniter(self.expression, start).get_prev(datetime).astimezone(UTC).timestamp() * 1000)
        # croniter's get_prev is strictly before ``start``; step forward over ticks it skipped (``ms`` on a tick)
        while (following := self.next_after(latest)) <= ms:
            latest = following
        return latest


def parse_cron(spec: str) -> CronSchedule:
    """Validate ``spec`` (e.g. ``"TZ=Europe/Paris 0 12 * * 5"``). Raises :class:`CronError`."""
    text = spec.strip()
    if not text:
        raise CronError("cron expression is empty")
    if len(text) > MAX_CRON_LENGTH:
        raise CronError(f"cron expression is longer than {MAX_CRON_LENGTH} characters")
    zone = "UTC"
    prefixed = _TZ_PREFIX.match(text)
    if prefixed:
        zone, text = prefixed.group(1), prefixed.group(2).strip()
        try:
            ZoneInfo(zone)
        except (ZoneInfoNotFoundError, ValueError):
            raise CronError(f"unknown time zone {zone!r} in cron {spec!r}") from None
    if text.startswith("@"):
        raise CronError(f"cron descriptors such as {text.split()[0]!r} are not supported; use 5 fields")
    fields = text.split()
    if len(fields) != 5:
        raise CronError(
            f"cron {spec!r} has {len(fields)} fields; expected 5 (minute hour day-of-month month day-of-week)"
        )
    for index, field in enumerate(fields):
        _check_field(spec, index, field)
    expression = " ".join(fields)
    if not croniter.is_valid(expression):
        raise CronError(f"cron {spec!r} has a value out of range")
    return CronSchedule(spec=spec, expression=expression, zone=zone)


def _check_field(spec: str, index: int, field: str) -> None:
    name = _FIELD_NAMES[index]
    if not _FIELD.match(field):
        raise CronError(f"cron {spec!r}: invalid {name} field {field!r}")
    allowed = _MONTHS if index == 3 else _DAYS if index == 4 else set()
    for word in re.findall(r"[A-Za-z]+", field):
        if word.upper() not in allowed:
            raise CronError(f"cron {spec!r}: {word!r} is not allowed in the {name} field")
    if "?" in field and index not in (2, 4):
        raise CronError(f"cron {spec!r}: '?' is only allowed in the day-of-month and day-of-week fields")


def parse_jitter_ms(text: str) -> int:
    """A cron jitter duration (``"30s"``), which Inngest requires to be within 1 s … 5 m."""
    try:
        ms = parse_duration_ms(text)
    except DurationError:
        raise CronError(f"invalid cron jitter {text!r}") from None
    if not MIN_JITTER_MS <= ms <= MAX_JITTER_MS:
        raise CronError(f"cron jitter {text!r} must be between 1s and 5m")
    return ms


def rfc3339_seconds(ms: int) -> str:
    """Epoch ms as ``2026-01-01T00:00:07Z`` (whole seconds, as the cron event carries it)."""
    return datetime.fromtimestamp(ms // 1000, tz=UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def scheduled_timer_event(cron: str, scheduled_ms: int, fire_ms: int) -> dict[str, Json]:
    """The ``inngest/scheduled.timer`` event for one tick (protocol §9).

    ``id`` is the RFC3339 scheduled time, which doubles as the tick's idempotency key; ``ts`` is the fire time
    (scheduled time plus any jitter).
    """
    scheduled = rfc3339_seconds(scheduled_ms)
    return {
        "name": str(InternalEvent.SCHEDULED_TIMER),
        "id": scheduled,
        "ts": fire_ms,
        "data": {"cron": cron, "scheduledAt": scheduled, "fireAt": rfc3339_seconds(fire_ms)},
        "user": {},
    }
