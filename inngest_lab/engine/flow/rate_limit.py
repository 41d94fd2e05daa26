"""Rate limit: a hard GCRA on run starts per key, admitting exactly what Inngest's admits; excess events are skipped.

Inngest (``pkg/execution/ratelimit``) runs the generic cell rate algorithm with:

- emission interval ``T = period / limit`` (``limit`` below 1 counts as 1),
- burst ``B = limit // 10`` (integer division, computed by Inngest's Go caller; not configurable),
- delay variation tolerance ``(B + 1) * T``.

The only state is the theoretical arrival time ``tat`` per key. An event at ``now`` is admitted when
``tat - now <= B * T`` (no ``tat``, or one in the past, always admits), and then ``tat`` becomes
``max(tat, now) + T``; a skipped event leaves ``tat`` alone. So ``B + 1`` runs may start at once, then one
every ``T``, and no window of one ``period`` holds more than ``limit + B`` starts; with ``limit < 10`` that is
``limit`` (``limit: 1`` is exactly "one per period"). Inngest computes in floating-point nanoseconds; we use
exact fractions of a millisecond, so decisions at the exact edge are the mathematical ones. ``tat`` is stored
as the text of a fraction (``"1763800000000"``, ``"5291400003600001/3"``).
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

from inngest_lab.engine.model import Json


@dataclass(frozen=True, slots=True)
class RateDecision:
    admitted: bool
    tat: Fraction  # theoretical arrival time to store (unchanged when not admitted)
    expires_at_ms: int  # from then on ``tat`` is in the past, so dropping it changes no decision


def burst(limit: int) -> int:
    """Inngest's fixed burst for a rate limit: one extra start per full ten of ``limit``."""
    return max(limit, 1) // 10


def rate_limit(tat: Fraction | None, limit: int, period_ms: int, now_ms: int) -> RateDecision:
    """Admit or skip an event arriving at ``now_ms`` for a key whose stored arrival time is ``tat``."""
    limit = max(limit, 1)
    interval = Fraction(period_ms, limit)
    if tat is not None and tat - now_ms > burst(limit) * interval:
        return RateDecision(False, tat, _ceil(tat))
    new_tat = (Fraction(now_ms) if tat is None else max(tat, Fraction(now_ms))) + interval
    return RateDecision(True, new_tat, _ceil(new_tat))


def encode_tat(tat: Fraction) -> str:
    return str(tat)


def stored_tat(value: Json, limit: int, period_ms: int) -> Fraction | None:
    """The ``tat`` stored under a key; rows from before GCRA (the start times of the last period, a list) are
    replayed as admissions, so an upgrade neither forgets nor double-counts recent starts."""
    if isinstance(value, str):
        return Fraction(value)
    if isinstance(value, list):
        interval = Fraction(period_ms, max(limit, 1))
        tat: Fraction | None = None
        for start in value:
            if isinstance(start, int) and not isinstance(start, bool):
                tat = (Fraction(start) if tat is None else max(tat, Fraction(start))) + interval
        return tat
    return None


def _ceil(value: Fraction) -> int:
    return -(-value.numerator // value.denominator)
