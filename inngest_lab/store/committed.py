"""What the SQLite store knows on the event loop about committed state, so common reads skip the writer thread.

A read through the writer thread costs a round trip between threads (tens of microseconds of CPU on a
small VM, more than the read itself). Two reads happen on every step or event and are answered here:

* ``load_run``: the writer hands over a snapshot of every run a committed caller wrote (``RunChanged``);
  a snapshot is the run exactly as that commit left it. A run with no snapshot here is read through
  the writer as before. Only unfinished runs the writer's run cache holds are kept: a finished run, or
  one the cache dropped, is handed over as None and leaves the view, so this view costs no memory of its
  own beyond what the run cache's budget already counts (the snapshots are the cache's objects).
* ``pauses_for_event`` / ``pauses_for_run``: the number of pauses per event name and per run. When it
  is zero (nearly every event) the answer is the empty list without a read.

Updated only in ``SqliteStore._after_commit``, in commit order, before any caller of the commit resumes:
a caller that awaited a write always sees it here. A view answers only while no write that could change
its answer is in flight (``writing``), so a read still sees every write submitted before it, exactly as
a read queued behind them on the writer thread would. This assumes ``transact``'s ``decide`` writes only
its own run (the engine's ``transition`` does). Single-threaded (event loop only).
"""

from __future__ import annotations

from collections import Counter, OrderedDict
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from inngest_lab.engine.model import Run

DEFAULT_MAX_RUNS = 10_000


@dataclass(frozen=True, slots=True)
class RunChanged:
    """A committed caller wrote ``run_id``; ``run`` is its state after that caller (None: not known)."""

    run_id: str
    run: Run | None


@dataclass(frozen=True, slots=True)
class PauseChanged:
    """A pause was created (``delta`` 1) or deleted (``delta`` -1)."""

    event_name: str
    run_id: str
    delta: int


class CommittedViews:
    """Recently written unfinished runs (LRU, by count as a backstop) and pause counts, as of the last commit."""

    def __init__(self, max_runs: int = DEFAULT_MAX_RUNS) -> None:
        self._runs: OrderedDict[str, Run] = OrderedDict()
        self._max_runs = max_runs
        self._pauses_by_event: Counter[str] = Counter()
        self._pauses_by_run: Counter[str] = Counter()
        self._writing_runs: Counter[str] = Counter()  # runs with a write in flight
        self._writing_pauses = 0  # writes in flight that may create or delete pauses

    def __len__(self) -> int:
        """How many runs the view holds."""
        return len(self._runs)

    def run(self, run_id: str) -> Run | None:
        """The committed run; None when this view cannot answer (not: when the run does not exist)."""
        return None if self._writing_runs[run_id] else self._runs.get(run_id)

    def no_pauses_for_event(self, event_name: str) -> bool:
        """True when certainly no pause waits for ``event_name``; False: read the store."""
        return not self._writing_pauses and not self._pauses_by_event[event_name]

    def pause_writes_settled(self) -> bool:
        """True when no write that may create or delete pauses is in flight (committed state is current)."""
        return not self._writing_pauses

    def no_pauses_for_run(self, run_id: str) -> bool:
        """True when ``run_id`` certainly has no pause; False: read the store."""
        return not self._writing_pauses and not self._pauses_by_run[run_id]

    def writing(self, run_ids: Iterable[str], *, pauses: bool) -> Callable[[], None]:
        """Mark a write in flight to ``run_ids`` (and to pauses); call the result once it has settled."""
        runs = tuple(run_ids)
        for run_id in runs:
            self._writing_runs[run_id] += 1
        if pauses:
            self._writing_pauses += 1

        def settled() -> None:
            for run_id in runs:
                _bump(self._writing_runs, run_id, -1)
            if pauses:
                self._writing_pauses -= 1

        return settled

    def load_pauses(self, pauses: Iterable[tuple[str, str]]) -> None:
        """Start from the ``(event_name, run_id)`` of every stored pause (at open)."""
        self._pauses_by_event.clear()
        self._pauses_by_run.clear()
        for event_name, run_id in pauses:
            self._pauses_by_event[event_name] += 1
            self._pauses_by_run[run_id] += 1

    def runs_changed(self, changes: Iterable[RunChanged]) -> None:
        for change in changes:
            if change.run is None or change.run.status.is_terminal:  # finished runs leave the view
                self._runs.pop(change.run_id, None)
                continue
            self._runs[change.run_id] = change.run
            self._runs.move_to_end(change.run_id)
        while len(self._runs) > self._max_runs:
            self._runs.popitem(last=False)

    def pauses_changed(self, changes: Iterable[PauseChanged]) -> None:
        for change in changes:
            _bump(self._pauses_by_event, change.event_name, change.delta)
            _bump(self._pauses_by_run, change.run_id, change.delta)


def _bump(counts: Counter[str], key: str, delta: int) -> None:
    value = counts[key] + delta
    if value > 0:
        counts[key] = value
    else:
        del counts[key]  # no zero entries: the counters stay as small as the set of live pauses
