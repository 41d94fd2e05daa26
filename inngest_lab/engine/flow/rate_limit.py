"""Rate limit: at most ``limit`` runs start in any window of ``period`` per key; excess events are skipped.

The state is the start times inside the last period (at most ``limit`` of them), so the guarantee is exact
for every sliding window. Inngest implements this with GCRA, which for ``limit: 1`` (the common case, e.g.
"once per 4h per customer") behaves identically; for larger limits GCRA lets a few more through at a
window's edge, and we chose the stricter reading (documented in ``docs/flow-control.md``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class RateDecision:
    admitted: bool
    window: tuple[int, ...]  # start times to store (only those within the period)
    expires_at_ms: int  # when the stored window no longer matters


def rate_limit(window: Sequence[int] | None, limit: int, period_ms: int, now_ms: int) -> RateDecision:
    """Admit an event at ``now_ms`` given the start times already in ``window``."""
    recent = tuple(t for t in (window or ()) if t > now_ms - period_ms)
    if len(recent) >= limit:
        return RateDecision(False, recent, recent[0] + period_ms)
    kept = (*recent, now_ms)
    return RateDecision(True, kept, kept[0] + period_ms)
