"""Throttle: GCRA on run starts. Excess runs are not dropped: each gets the earliest start time that conforms.

Emission interval ``T = period / limit``; tolerance ``burst * T``. A start at ``t`` conforms when
``t >= tat - tolerance`` (``tat`` = theoretical arrival time); a run arriving earlier is scheduled at exactly
``tat - tolerance``. Starts are therefore FIFO, ``burst + 1`` may start at once, and over any window of one
``period`` at most ``limit + burst`` start.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class ThrottleDecision:
    start_at_ms: int  # when the run may start (``now`` if it need not wait)
    tat: float  # the new theoretical arrival time to store
    expires_at_ms: int  # after this the stored tat no longer delays anything


def throttle(tat: float | None, limit: int, period_ms: int, burst: int, now_ms: int) -> ThrottleDecision:
    """Schedule one run start arriving at ``now_ms``."""
    interval = period_ms / max(limit, 1)
    tolerance = burst * interval
    previous = now_ms if tat is None else max(float(tat), float(now_ms))
    start = max(float(now_ms), previous - tolerance)
    start_ms = int(-(-start // 1))  # ceil: never start before the conforming time
    new_tat = max(previous, float(start_ms)) + interval
    return ThrottleDecision(start_ms, new_tat, int(new_tat) + 1)
