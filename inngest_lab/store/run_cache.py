"""Decoded runs kept in memory by the SQLite writer, so a step costs no step-table scan or JSON parse.

Every step loads its run in ``transact`` (and hands a snapshot to ``CommittedViews`` after writing
it), and a run's memos grow with every step; re-reading and re-parsing them dominated the cost of a
step. The cache is written through: the writer updates it with the same commands it writes to SQL,
and whoever sees a rollback must ``evict`` the runs it touched (or ``clear`` after a batch rolled
back), so the cache never holds an uncommitted write. Least recently used runs are dropped past a
byte budget.

Memos are shared between the cache and the ``Run`` objects it hands out (as in ``MemoryStore``):
callers treat them as immutable. ``get`` hands out one snapshot until the run changes: the saved run
itself when its steps are exactly the cached ones.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterable
from dataclasses import dataclass, replace

from inngest_lab.engine.model import Json, Run

DEFAULT_BUDGET_BYTES = 64 * 1024 * 1024


@dataclass(slots=True)
class _Cached:
    meta: Run  # metadata as last saved; its steps/stack are ignored
    steps: dict[str, Json]  # insertion order is the stack
    size: int  # approximate bytes: the JSON text of the memos
    snapshot: Run | None = None  # what ``get`` handed out since the last change: reused, never mutated


class RunCache:
    """LRU of decoded runs, bounded by the size of their memos. Single-threaded."""

    def __init__(self, budget_bytes: int = DEFAULT_BUDGET_BYTES) -> None:
        self._runs: OrderedDict[str, _Cached] = OrderedDict()
        self._budget = budget_bytes
        self._size = 0

    def get(self, run_id: str) -> Run | None:
        """A snapshot of the cached run, or None when it is not cached (not: when it does not exist)."""
        cached = self._runs.get(run_id)
        if cached is None:
            return None
        self._runs.move_to_end(run_id)
        if cached.snapshot is None:
            meta, stack = cached.meta, tuple(cached.steps)
            # The engine saves runs whose own steps are the saved ones: hand out that run, don't copy it.
            if meta.stack == stack and meta.steps == cached.steps:
                cached.snapshot = meta
            else:
                cached.snapshot = replace(meta, steps=dict(cached.steps), stack=stack)
        return cached.snapshot

    def event_ids(self, run_id: str) -> tuple[str, ...] | None:
        cached = self._runs.get(run_id)
        return cached.meta.event_ids if cached is not None else None

    def put(self, meta: Run, steps: dict[str, Json], size: int) -> None:
        """Cache a run read from the database (``steps`` in stack order)."""
        self.evict((meta.run_id,))
        self._runs[meta.run_id] = _Cached(meta, steps, size)
        self._size += size
        self._trim()

    def save_run(self, run: Run) -> None:
        cached = self._runs.get(run.run_id)
        if cached is not None:  # an uncached run stays uncached: its saved steps are unknown here
            cached.meta = run
            cached.snapshot = None

    def save_step(self, run_id: str, step_id: str, memo: Json, size: int) -> None:
        cached = self._runs.get(run_id)
        if cached is not None and step_id not in cached.steps:  # the first save wins
            cached.steps[step_id] = memo
            cached.snapshot = None
            cached.size += size
            self._size += size
            self._trim()

    def evict(self, run_ids: Iterable[str]) -> None:
        for run_id in run_ids:
            cached = self._runs.pop(run_id, None)
            if cached is not None:
                self._size -= cached.size

    def clear(self) -> None:
        self._runs.clear()
        self._size = 0

    def _trim(self) -> None:
        while self._size > self._budget and len(self._runs) > 1:
            _, cached = self._runs.popitem(last=False)
            self._size -= cached.size
