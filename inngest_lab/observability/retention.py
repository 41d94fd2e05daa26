"""Retention: ``--retention 30d`` deletes finished runs older than the window, in bounded batches.

``parse_window`` reads the flag (``0`` keeps everything). ``Retention`` runs ``Store.purge_finished`` on the
engine's clock: each batch is one short store transaction of at most ``batch`` runs, with a yield to the event
loop between batches, until a batch comes back short; then it sleeps for ``interval``. Several processes of one
deployment may run it at once (each batch picks rows no other holds).
"""

from __future__ import annotations

import asyncio
import logging
import re
from dataclasses import dataclass

from inngest_lab.executor.ports import Clock
from inngest_lab.store.ports import Store

log = logging.getLogger("inngest_lab.retention")

DEFAULT_BATCH = 500
_UNITS_MS = {"s": 1_000, "m": 60_000, "h": 3_600_000, "d": 86_400_000, "w": 7 * 86_400_000}
_WINDOW = re.compile(r"^\s*(\d+)\s*([smhdw]?)\s*$")


def parse_window(text: str) -> int:
    """``30d``, ``12h``, ``90m``, ``2w``, ``45s`` (or a bare number of days) in ms; ``0`` means keep everything."""
    match = _WINDOW.match(text.lower())
    if match is None:
        raise ValueError(f"retention {text!r} is not a duration like 30d, 12h, 90m or 0 (keep everything)")
    return int(match.group(1)) * _UNITS_MS[match.group(2) or "d"]


def describe(window_ms: int) -> str:
    """``30d`` for 30 days: the window as the flag would say it (``0`` when off)."""
    for unit, size in sorted(_UNITS_MS.items(), key=lambda kv: -kv[1]):
        if window_ms and window_ms % size == 0 and unit != "w":
            return f"{window_ms // size}{unit}"
    return "0"


@dataclass(frozen=True, slots=True)
class Swept:
    runs: int
    events: int
    batches: int


class Retention:
    """Deletes runs that ended more than ``window_ms`` ago, every ``interval_ms`` (default: window/10, 1s..10min)."""

    def __init__(
        self, store: Store, clock: Clock, window_ms: int, *, batch: int = DEFAULT_BATCH, interval_ms: int | None = None
    ) -> None:
        if window_ms <= 0:
            raise ValueError("a retention window must be positive (0 means no Retention at all)")
        self.store = store
        self.clock = clock
        self.window_ms = window_ms
        self.batch = batch
        self.interval_ms = interval_ms or min(600_000, max(1_000, window_ms // 10))
        self._task: asyncio.Task[None] | None = None

    async def sweep(self) -> Swept:
        """Purge everything due now, batch by batch; return the totals."""
        cutoff = self.clock.now_ms() - self.window_ms
        runs = events = batches = 0
        while True:
            purged = await self.store.purge_finished(cutoff, self.batch)
            runs, events, batches = runs + purged.runs, events + purged.events, batches + 1
            if not purged.more:
                break
            await asyncio.sleep(0)  # let the engine's work in between batches
        if runs or events:
            log.info(
                "retention: deleted %d runs and %d events that ended before the %s window",
                runs,
                events,
                describe(self.window_ms),
            )
        return Swept(runs, events, batches)

    def start(self) -> None:
        self._task = asyncio.get_running_loop().create_task(self._loop(), name="inngest-lab-retention")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            await asyncio.gather(self._task, return_exceptions=True)
            self._task = None

    async def _loop(self) -> None:
        while True:
            next_at = self.clock.now_ms() + self.interval_ms  # before the sweep: a long sweep does not delay the next
            try:
                await self.sweep()
            except Exception:  # a store outage: try again next interval
                log.exception("retention sweep failed; retrying in %d s", self.interval_ms // 1000)
            await self.clock.sleep_until(next_at)
