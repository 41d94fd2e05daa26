"""Live views' side of the store's change feed: per-run fan-out and a small cache of recent runs.

One ``LiveHub`` subscribes once to ``Store.subscribe_changes`` and hands each committed batch to the
views that watch the runs it touched, so widgets update when the engine commits, never by polling.
It also keeps the history of the runs it saw being scheduled (bounded, most recent first kept), so a
view created in the same process can draw a run synchronously, e.g. while IPython formats a cell's
output, before any await is possible.
"""

from __future__ import annotations

import logging
from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from inngest_lab.engine.model import AppendHistory, Command, HistoryEntry, HistoryKind, Run, SaveRun

log = logging.getLogger(__name__)

Unsubscribe = Callable[[], None]


@dataclass(frozen=True, slots=True)
class RunChange:
    """What one committed batch did to one run: its latest saved state (if saved) and new history."""

    run_id: str
    run: Run | None
    entries: tuple[HistoryEntry, ...]


RunListener = Callable[[RunChange], None]


@dataclass(slots=True)
class _Cached:
    run: Run | None = None
    entries: list[HistoryEntry] = field(default_factory=list)
    complete: bool = False  # saw the run being scheduled, so ``entries`` is its whole history


class LiveHub:
    """Per-run fan-out of the change feed plus a bounded cache (see module docstring)."""

    def __init__(self, capacity: int = 256) -> None:
        self.capacity = capacity
        self._cache: OrderedDict[str, _Cached] = OrderedDict()
        self._by_run: dict[str, list[RunListener]] = {}
        self._all: list[RunListener] = []
        self._functions: list[Callable[[], None]] = []

    # ------------------------------------------------------------ feed side

    def on_commit(self, commands: Sequence[Command]) -> None:
        """The store's change listener: group the batch by run, cache it, notify watchers.

        It runs after every commit of the engine, so it stays cheap: one pass, no work per unwatched run
        beyond appending to its cache entry.
        """
        runs: dict[str, Run] = {}
        entries: dict[str, list[HistoryEntry]] = {}
        for c in commands:
            if isinstance(c, SaveRun):
                runs[c.run.run_id] = c.run  # the last save of a run wins
            elif isinstance(c, AppendHistory):
                entries.setdefault(c.entry.run_id, []).append(c.entry)
        for run_id in dict.fromkeys([*runs, *entries]):  # in commit order
            change = RunChange(run_id, runs.get(run_id), tuple(entries.get(run_id, ())))
            self._remember(change)
            listeners = self._by_run.get(run_id)
            if listeners:
                self._notify(listeners, change)
            if self._all:
                self._notify(self._all, change)

    @staticmethod
    def _notify(listeners: list[RunListener], change: RunChange) -> None:
        for listener in list(listeners):  # a listener may unsubscribe itself
            try:
                listener(change)
            except Exception:
                log.exception("live view listener failed")

    def functions_changed(self) -> None:
        for listener in list(self._functions):
            try:
                listener()
            except Exception:
                log.exception("function list listener failed")

    def _remember(self, change: RunChange) -> None:
        cached = self._cache.get(change.run_id)
        if cached is None:
            scheduled = bool(change.entries) and change.entries[0].kind is HistoryKind.RUN_SCHEDULED
            cached = self._cache[change.run_id] = _Cached(complete=scheduled)
            while len(self._cache) > self.capacity:
                self._cache.popitem(last=False)
        else:
            self._cache.move_to_end(change.run_id)
        if change.run is not None:
            cached.run = change.run
        cached.entries.extend(change.entries)

    # ------------------------------------------------------------ view side

    def watch(self, run_id: str | None, listener: RunListener) -> Unsubscribe:
        """Call ``listener`` for every change of ``run_id`` (every run when None) until unsubscribed."""
        bucket = self._all if run_id is None else self._by_run.setdefault(run_id, [])

        def unsubscribe() -> None:
            if listener in bucket:
                bucket.remove(listener)
            if run_id is not None and not bucket:
                self._by_run.pop(run_id, None)

        bucket.append(listener)
        return unsubscribe

    def watch_functions(self, listener: Callable[[], None]) -> Unsubscribe:
        self._functions.append(listener)
        return lambda: self._functions.remove(listener) if listener in self._functions else None

    def snapshot(self, run_id: str) -> tuple[Run, list[HistoryEntry]] | None:
        """The run and its whole history, when this hub saw all of it; else None (load it from the store)."""
        cached = self._cache.get(run_id)
        if cached is None or not cached.complete or cached.run is None:
            return None
        return cached.run, list(cached.entries)

    def runs_for_event(self, event_id: str) -> list[Run]:
        """The cached runs ``event_id`` started, newest first (what this hub saw; the store may know more)."""
        runs = [c.run for c in self._cache.values() if c.run is not None and event_id in c.run.event_ids]
        return sorted(runs, key=lambda r: r.run_id, reverse=True)

    def watchers(self, run_id: str | None = None) -> int:
        """How many listeners watch ``run_id`` (all-run listeners when None); tests check cleanup with it."""
        return len(self._all if run_id is None else self._by_run.get(run_id, ()))
