"""Retry timing: Inngest's backoff table, ``Retry-After`` parsing, and the no-retry header rule.

Pure: randomness comes in as ``jitter`` (a float in [0, 1)) and time as ``now_ms``.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from email.utils import parsedate_to_datetime

from inngest_lab.protocol.consts import Header
from inngest_lab.protocol.durations import parse_time_ms

SECOND_MS = 1000
MIN_DELAY_MS = SECOND_MS
MAX_DELAY_MS = 24 * 3600 * SECOND_MS
MAX_JITTER_MS = 30 * SECOND_MS

# Delay before retry number ``attempt + 1``, indexed by the 0-based attempt that just failed
# (inngest/inngest pkg/backoff). Past the end the last entry repeats.
BACKOFF_TABLE_MS: tuple[int, ...] = tuple(s * SECOND_MS for s in (15, 30, 60, 120, 300, 600, 1200, 2400, 3600, 7200))


def clamp_delay_ms(delay_ms: int) -> int:
    """Clamp a retry delay to [1 s, 24 h], like the Go queue does."""
    return max(MIN_DELAY_MS, min(MAX_DELAY_MS, delay_ms))


def retry_delay_ms(attempt: int, jitter: float, interval_ms: int | None = None) -> int:
    """Delay after the 0-based ``attempt`` failed: table value plus ``jitter`` × 30 s, clamped to [1 s, 24 h].

    ``interval_ms`` switches to a fixed (linear) interval, as ``--retry-interval`` does in the Go server.
    Non-decreasing in ``attempt`` for a fixed ``jitter``.
    """
    if not 0.0 <= jitter < 1.0:
        raise ValueError(f"jitter must be in [0, 1), got {jitter!r}")
    if interval_ms is not None:
        return clamp_delay_ms(interval_ms)
    base = BACKOFF_TABLE_MS[min(max(attempt, 0), len(BACKOFF_TABLE_MS) - 1)]
    return clamp_delay_ms(base + int(jitter * MAX_JITTER_MS))


def retry_after_ms(header_value: str, now_ms: int) -> int | None:
    """Delay in ms requested by a ``Retry-After`` header, clamped to [1 s, 24 h]; None if unparsable.

    Accepts seconds (``"30"``, ``"1.5"``), an RFC3339/ISO timestamp, or an HTTP date. Past dates give 1 s.
    """
    text = header_value.strip()
    if not text:
        return None
    try:
        seconds = float(text)
    except ValueError:
        at_ms = _parse_date_ms(text)
        return None if at_ms is None else clamp_delay_ms(at_ms - now_ms)
    if not math.isfinite(seconds):
        return None
    return clamp_delay_ms(int(seconds * SECOND_MS))


def _parse_date_ms(text: str) -> int | None:
    parsed = parse_time_ms(text)
    if parsed is not None:
        return parsed
    try:
        http_date = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    if http_date.tzinfo is None:
        return None
    return int(http_date.timestamp() * 1000)


def _header(headers: Mapping[str, str], name: str) -> str | None:
    wanted = name.lower()
    for key, value in headers.items():
        if key.lower() == wanted:
            return value
    return None


def should_retry(status: int, headers: Mapping[str, str]) -> bool:
    """Whether a failed SDK response may be retried (Go ``ShouldRetry``).

    An explicit ``X-Inngest-No-Retry`` header wins (``true`` → never retry, anything else → retry).
    Without it every status is retried: modern SDKs answer 4xx for retriable errors too, so the status alone
    never ends a run. ``status`` is kept for callers' logging and future rules.
    """
    del status  # the header decides; see the docstring
    value = _header(headers, Header.NO_RETRY)
    if value is not None:
        return value.strip().lower() != "true"
    return True
