"""A function's admission options, parsed from its registration entry (``FunctionDef.config``).

Field names, units and limits follow Inngest's registration JSON (features doc §1): durations are Go-style
strings (``"1m"``) or int milliseconds; invalid values raise :class:`FlowConfigError` with a message the
registration turns into a 400. Values Inngest clamps are clamped here the same way (batch size and timeout).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from inngest_lab.engine.model import Json
from inngest_lab.protocol.durations import DurationError, parse_duration_ms

SECOND_MS = 1_000
DAY_MS = 86_400_000
RATE_LIMIT_MAX_PERIOD_MS = DAY_MS
DEBOUNCE_MAX_PERIOD_MS = 7 * DAY_MS
BATCH_MIN_SIZE = 2
BATCH_MAX_SIZE = 100  # Inngest's default cap: larger sizes are clamped
BATCH_MAX_TIMEOUT_MS = 60 * SECOND_MS  # Inngest clamps longer batch timeouts to 60s
IDEMPOTENCY_PERIOD_MS = DAY_MS


class FlowConfigError(ValueError):
    """An admission option is invalid; the message names the option and the value."""


@dataclass(frozen=True, slots=True)
class RateLimitConfig:
    limit: int
    period_ms: int
    key: str | None = None


@dataclass(frozen=True, slots=True)
class ThrottleConfig:
    limit: int
    period_ms: int
    burst: int = 0
    key: str | None = None


@dataclass(frozen=True, slots=True)
class DebounceConfig:
    period_ms: int
    key: str | None = None
    timeout_ms: int | None = None


@dataclass(frozen=True, slots=True)
class BatchConfig:
    max_size: int
    timeout_ms: int
    key: str | None = None
    if_exp: str | None = None


@dataclass(frozen=True, slots=True)
class SingletonConfig:
    mode: str = "skip"
    key: str | None = None


@dataclass(frozen=True, slots=True)
class TimeoutsConfig:
    start_ms: int | None = None
    finish_ms: int | None = None


@dataclass(frozen=True, slots=True)
class FlowConfig:
    """Everything decided when an event arrives or a run is about to start. All None = nothing to decide."""

    idempotency: str | None = None
    rate_limit: RateLimitConfig | None = None
    throttle: ThrottleConfig | None = None
    debounce: DebounceConfig | None = None
    batch: BatchConfig | None = None
    singleton: SingletonConfig | None = None
    timeouts: TimeoutsConfig | None = None

    @property
    def empty(self) -> bool:
        return self == _EMPTY


_EMPTY = FlowConfig()


def parse_flow_config(raw: Mapping[str, Json]) -> FlowConfig:
    """Parse the admission options of one registration entry. Raises :class:`FlowConfigError`."""
    idempotency = raw.get("idempotency")
    if idempotency is not None and not isinstance(idempotency, str):
        raise FlowConfigError(f"idempotency must be a CEL expression string, got {idempotency!r}")
    return FlowConfig(
        idempotency=idempotency or None,
        rate_limit=_rate_limit(_section(raw, "rateLimit")),
        throttle=_throttle(_section(raw, "throttle")),
        debounce=_debounce(_section(raw, "debounce")),
        batch=_batch(_section(raw, "batchEvents")),
        singleton=_singleton(_section(raw, "singleton")),
        timeouts=_timeouts(_section(raw, "timeouts")),
    )


def _section(raw: Mapping[str, Json], name: str) -> Mapping[str, Json] | None:
    value = raw.get(name)
    if value is None:
        return None
    if not isinstance(value, Mapping):
        raise FlowConfigError(f"{name} must be an object, got {value!r}")
    return value


def _duration(where: str, value: Json, *, required: bool = False) -> int | None:
    if value is None or value == "":
        if required:
            raise FlowConfigError(f"{where} is required")
        return None
    if isinstance(value, int) and not isinstance(value, bool):
        ms = value
    elif isinstance(value, str):
        try:
            ms = parse_duration_ms(value)
        except DurationError:
            raise FlowConfigError(f"invalid duration in {where}: {value!r} (use e.g. '30s', '5m', '2h')") from None
    else:
        raise FlowConfigError(f"{where} must be a duration string such as '30s', got {value!r}")
    if ms <= 0:
        raise FlowConfigError(f"{where} must be a positive duration, got {value!r}")
    return ms


def _whole(where: str, value: Json, *, minimum: int) -> int:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if not isinstance(value, int) or isinstance(value, bool) or value < minimum:
        raise FlowConfigError(f"{where} must be a whole number ≥ {minimum}, got {value!r}")
    return value


def _key(where: str, value: Json) -> str | None:
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        raise FlowConfigError(f"{where} must be a CEL expression string, got {value!r}")
    return value


def _rate_limit(raw: Mapping[str, Json] | None) -> RateLimitConfig | None:
    if raw is None:
        return None
    limit = _whole("rateLimit.limit", raw.get("limit"), minimum=1)
    period = _duration("rateLimit.period", raw.get("period"), required=True)
    assert period is not None
    if period < SECOND_MS or period > RATE_LIMIT_MAX_PERIOD_MS:
        raise FlowConfigError(f"rateLimit.period must be between 1s and 24h, got {raw.get('period')!r}")
    return RateLimitConfig(limit, period, _key("rateLimit.key", raw.get("key")))


def _throttle(raw: Mapping[str, Json] | None) -> ThrottleConfig | None:
    if raw is None:
        return None
    limit = max(1, _whole("throttle.limit", raw.get("limit"), minimum=0))  # Inngest normalizes 0 to 1
    period = _duration("throttle.period", raw.get("period"), required=True)
    assert period is not None
    if period < SECOND_MS:
        raise FlowConfigError(f"throttle.period must be at least 1s, got {raw.get('period')!r}")
    burst_raw = raw.get("burst")
    burst = 0 if burst_raw is None else _whole("throttle.burst", burst_raw, minimum=0)
    return ThrottleConfig(limit, period, burst, _key("throttle.key", raw.get("key")))


def _debounce(raw: Mapping[str, Json] | None) -> DebounceConfig | None:
    if raw is None:
        return None
    period = _duration("debounce.period", raw.get("period"), required=True)
    assert period is not None
    if period < SECOND_MS or period > DEBOUNCE_MAX_PERIOD_MS:
        raise FlowConfigError(f"debounce.period must be between 1s and 7d, got {raw.get('period')!r}")
    timeout = _duration("debounce.timeout", raw.get("timeout"))
    return DebounceConfig(period, _key("debounce.key", raw.get("key")), timeout)


def _batch(raw: Mapping[str, Json] | None) -> BatchConfig | None:
    if raw is None:
        return None
    size = raw.get("maxSize")
    if not isinstance(size, int) or isinstance(size, bool) or size < BATCH_MIN_SIZE:
        raise FlowConfigError(f"batchEvents.maxSize: batch size cannot be smaller than {BATCH_MIN_SIZE}, got {size!r}")
    timeout = _duration("batchEvents.timeout", raw.get("timeout"), required=True)
    assert timeout is not None
    if timeout < SECOND_MS:
        raise FlowConfigError(f"batchEvents.timeout should be at least 1s, got {raw.get('timeout')!r}")
    return BatchConfig(
        max_size=min(size, BATCH_MAX_SIZE),
        timeout_ms=min(timeout, BATCH_MAX_TIMEOUT_MS),
        key=_key("batchEvents.key", raw.get("key")),
        if_exp=_key("batchEvents.if", raw.get("if")),
    )


def _singleton(raw: Mapping[str, Json] | None) -> SingletonConfig | None:
    if raw is None:
        return None
    mode = raw.get("mode") or "skip"
    if mode not in ("skip", "cancel"):
        raise FlowConfigError(f"singleton.mode must be 'skip' or 'cancel', got {mode!r}")
    return SingletonConfig(str(mode), _key("singleton.key", raw.get("key")))


def _timeouts(raw: Mapping[str, Json] | None) -> TimeoutsConfig | None:
    if raw is None:
        return None
    start = _duration("timeouts.start", raw.get("start"))
    finish = _duration("timeouts.finish", raw.get("finish"))
    return None if start is None and finish is None else TimeoutsConfig(start, finish)
