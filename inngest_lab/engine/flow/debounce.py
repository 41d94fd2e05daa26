"""Debounce: one run after ``period`` passes with no new event for the key; the run gets the last event.

Each event replaces the pending one and pushes the fire time to ``now + period``, but never past
``first + timeout`` when a ``timeout`` is set (so a steady stream still runs at least every ``timeout``).
The pending state carries a generation number; the timer item of an older generation finds it stale.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from inngest_lab.engine.model import Json


@dataclass(frozen=True, slots=True)
class Pending:
    """The debounced event waiting for its period to pass (persisted as JSON)."""

    event: Mapping[str, Json]  # {"internal_id", "payload", "received_at_ms"}
    first_at_ms: int
    fire_at_ms: int
    generation: int
    count: int = 1

    def to_json(self) -> dict[str, Json]:
        return {
            "event": dict(self.event),
            "first_at_ms": self.first_at_ms,
            "fire_at_ms": self.fire_at_ms,
            "generation": self.generation,
            "count": self.count,
        }

    @classmethod
    def from_json(cls, raw: Mapping[str, Json]) -> Pending:
        return cls(raw["event"], raw["first_at_ms"], raw["fire_at_ms"], raw["generation"], raw.get("count", 1))


def debounce(
    pending: Pending | None, event: Mapping[str, Json], period_ms: int, timeout_ms: int | None, now_ms: int
) -> Pending:
    """The pending state after ``event`` arrives at ``now_ms``: it replaces the previous one and resets the timer."""
    first = now_ms if pending is None else pending.first_at_ms
    fire = now_ms + period_ms
    if timeout_ms is not None:
        fire = min(fire, first + timeout_ms)
    generation = 0 if pending is None else pending.generation + 1
    count = 1 if pending is None else pending.count + 1
    return Pending(event, first, max(fire, now_ms), generation, count)


def is_due(pending: Pending | None, generation: int) -> bool:
    """Whether the timer of ``generation`` should start the run (it is the latest timer of that pending state)."""
    return pending is not None and pending.generation == generation
