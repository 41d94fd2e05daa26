"""Timeouts: ``start`` bounds the time from scheduling to the run's start (queue, throttle and retry waits
included); ``finish`` bounds the time from its start to its end. A run over either is cancelled.

The timer for ``finish`` is armed at scheduling for ``created + finish`` (a run cannot have started earlier);
when it fires before ``started + finish`` it is re-armed for that time.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from inngest_lab.engine.model import Run
from inngest_lab.protocol.consts import RunStatus


class Which(StrEnum):
    START = "start"
    FINISH = "finish"


@dataclass(frozen=True, slots=True)
class TimeoutDecision:
    cancel_reason: str | None = None  # cancel the run with this reason
    rearm_at_ms: int | None = None  # check again at this time


def on_timeout(run: Run | None, which: Which, limit_ms: int, now_ms: int) -> TimeoutDecision:
    """What a due ``which`` timeout does to ``run`` at ``now_ms``."""
    if run is None or run.status.is_terminal:
        return TimeoutDecision()
    if which is Which.START:
        if run.status is not RunStatus.QUEUED or now_ms < run.created_at_ms + limit_ms:
            return TimeoutDecision()
        return TimeoutDecision(cancel_reason=f"timeouts.start: the run did not start within {_seconds(limit_ms)}")
    if run.started_at_ms is None:
        return TimeoutDecision(rearm_at_ms=now_ms + limit_ms)  # not started yet: the clock has not begun
    deadline = run.started_at_ms + limit_ms
    if now_ms < deadline:
        return TimeoutDecision(rearm_at_ms=deadline)
    return TimeoutDecision(cancel_reason=f"timeouts.finish: the run did not finish within {_seconds(limit_ms)}")


def _seconds(ms: int) -> str:
    return f"{ms / 1000:g}s"
