"""Batching: collect events per key into one run, started when ``max_size`` is reached, when the events'
data reaches 10 MiB, or ``timeout`` after the batch's first event, whichever comes first. The run gets every
event (``ctx.events``; ``ctx.event`` is the first). Events for which the ``if`` expression is not true are not
batched: they start a run alone.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from inngest_lab.engine.expressions import compile_expression
from inngest_lab.engine.model import Json

MAX_BATCH_BYTES = 10 * 1024 * 1024  # Inngest starts a batch whose events total 10 MiB


@dataclass(frozen=True, slots=True)
class Buffer:
    """A batch being collected (persisted as JSON). ``batch_id`` names its timer."""

    batch_id: str
    events: tuple[Mapping[str, Json], ...]  # each {"internal_id", "payload", "received_at_ms"}
    first_at_ms: int
    size_bytes: int = 0

    def to_json(self) -> dict[str, Json]:
        return {
            "batch_id": self.batch_id,
            "events": [dict(e) for e in self.events],
            "first_at_ms": self.first_at_ms,
            "size_bytes": self.size_bytes,
        }

    @classmethod
    def from_json(cls, raw: Mapping[str, Json]) -> Buffer:
        return cls(raw["batch_id"], tuple(raw["events"]), raw["first_at_ms"], raw.get("size_bytes", 0))


@dataclass(frozen=True, slots=True)
class BatchStep:
    """What one event does to its buffer: ``buffer`` to keep (None = none), ``ready`` events to start a run
    with now (empty = none), and ``timer_at_ms`` for a new buffer's timeout (None = no new timer)."""

    buffer: Buffer | None
    ready: tuple[Mapping[str, Json], ...]
    timer_at_ms: int | None


def batchable(if_exp: str | None, event: Mapping[str, Json]) -> bool:
    """Events join a batch unless the batch's ``if`` expression is set and not true for them."""
    return if_exp is None or compile_expression(if_exp).matches({"event": dict(event)})


def add_event(
    buffer: Buffer | None,
    event: Mapping[str, Json],
    batch_id: str,
    max_size: int,
    timeout_ms: int,
    now_ms: int,
    size_bytes: int = 0,
) -> BatchStep:
    """Add ``event`` (``size_bytes`` of data) to ``buffer`` (a new one named ``batch_id`` if None); start the
    batch when it holds ``max_size`` events or ``MAX_BATCH_BYTES`` of data."""
    current = buffer or Buffer(batch_id, (), now_ms)
    events: Sequence[Mapping[str, Json]] = (*current.events, event)
    total = current.size_bytes + size_bytes
    if len(events) >= max_size or total >= MAX_BATCH_BYTES:
        return BatchStep(None, tuple(events), None)
    timer = now_ms + timeout_ms if buffer is None else None
    return BatchStep(Buffer(current.batch_id, tuple(events), current.first_at_ms, total), (), timer)


def flush(buffer: Buffer | None, batch_id: str) -> tuple[Mapping[str, Json], ...]:
    """The events a timeout of batch ``batch_id`` starts: the buffer's, if it is still that batch."""
    if buffer is None or buffer.batch_id != batch_id:
        return ()
    return buffer.events
