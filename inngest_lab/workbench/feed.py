"""``RunFeed``: one run's timeline view model, kept current from the source's change feed.

It draws from the hub's cache at once when it can, else loads the run and its history from the
store, buffering the changes that commit meanwhile so none is lost or counted twice. Changes are
coalesced: a burst of commits produces one view per ``interval_s`` at most, so a fast run does not
flood the front end with messages.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable
from typing import Any

from inngest_lab.engine.model import HistoryEntry, Run
from inngest_lab.engine.timeline import build_timeline
from inngest_lab.workbench.live import RunChange
from inngest_lab.workbench.source import WorkbenchSource

log = logging.getLogger(__name__)

ViewCallback = Callable[[dict[str, Any]], None]


class RunFeed:
    """Calls ``on_view`` with ``build_timeline(...)`` now (or once loaded) and after each change, until ``close``."""

    def __init__(
        self, source: WorkbenchSource, run_id: str, on_view: ViewCallback, *, interval_s: float = 0.05
    ) -> None:
        self.source = source
        self.run_id = run_id
        self.interval_s = interval_s
        self._on_view = on_view
        self._run: Run | None = None
        self._entries: list[HistoryEntry] = []
        self._buffer: list[RunChange] | None = None
        self._timer: asyncio.Handle | None = None
        self._last_emit = 0.0
        self._closed = False
        self._unsubscribe = source.watch(run_id, self._on_change)
        snapshot = source.snapshot(run_id)
        if snapshot is not None:
            self._run, self._entries = snapshot
            self.loaded: asyncio.Future[None] | None = None
            self.flush()
        else:
            self._buffer = []
            self.loaded = source.spawn(self._load())

    @property
    def run(self) -> Run | None:
        return self._run

    async def _load(self) -> None:
        run = await self.source.run(self.run_id)
        entries = await self.source.history(self.run_id)
        buffered, self._buffer = self._buffer or [], None
        if run is None:
            raise LookupError(f"run {self.run_id} not found")
        self._run, self._entries = run, entries
        for change in buffered:  # committed while we read: keep what the read missed
            self._apply(change, dedupe=True)
        self.flush()

    def _apply(self, change: RunChange, *, dedupe: bool = False) -> None:
        if change.run is not None:
            self._run = change.run
        for entry in change.entries:
            if not dedupe or entry not in self._entries:
                self._entries.append(entry)

    def _on_change(self, change: RunChange) -> None:
        if self._buffer is not None:
            self._buffer.append(change)
            return
        self._apply(change)
        self._schedule()

    def _schedule(self) -> None:
        if self._timer is not None or self._closed:
            return
        loop = asyncio.get_running_loop()
        delay = max(0.0, self._last_emit + self.interval_s - loop.time())
        self._timer = loop.call_later(delay, self.flush)

    def flush(self) -> None:
        """Hand the current view to ``on_view`` now (pending coalesced changes included)."""
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
        if self._run is None or self._closed:
            return
        with contextlib.suppress(RuntimeError):  # no loop: called from a test or before the kernel's loop runs
            self._last_emit = asyncio.get_running_loop().time()
        view = build_timeline(self._run, self._entries, self.source.now_ms())
        # The run's input, for its detail panel: the triggering event (the first of a batch) and the count.
        view["trigger"] = {"event": dict(self._run.event), "count": len(self._run.events)} if self._run.events else None
        self._on_view(view)

    def close(self) -> None:
        self._closed = True
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
        self._unsubscribe()
