"""Decoded runs kept in memory by the SQLite writer, so a step costs no step-table scan or JSON parse.

Every step loads its run in ``transact`` (and hands a snapshot to ``CommittedViews`` after writing
it), and a run's memos grow with every step; re-reading and re-parsing them dominated the cost of a
step. The cache is written through: the writer updates it with the same commands it writes to SQL,
and whoever sees a rollback must ``evict`` the runs it touched (or ``clear`` after a batch rolled
back), so the cache never holds an uncommitted write.

Only unfinished runs are cached: a run leaves the cache when it is saved with a terminal status, and a
finished run read from the file is not put in. Finished runs are read rarely (a wait, the dashboard), and
keeping them made memory grow with every run ever finished.

The budget counts what the decoded objects really cost (``estimate_bytes``), not their JSON text, which
is 1× (one long string) to 20× (small nested objects) smaller. Least recently used runs go past it; the
ids of runs trimmed so are kept in ``dropped`` until the writer hands them to ``CommittedViews`` (which
must not keep a run alive that the cache let go).

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

# Calibrated with tracemalloc (CPython 3.11, 64-bit) on json.loads of 2,000 values each of eight shapes, from
# ``{"data": null}`` to 4 KB strings, lists of 200 ints, lists of 20 small dicts and nesting 6 deep: the
# decoded objects cost about the text's length (string payloads), plus ~150-400 B per dict or list (object
# header, hash table) plus ~30-50 B per element or key (a pointer, an int or a str header). With the constants
# below the estimate was 1.0-1.9× the measured size for every shape, never under; JSON length alone was
# 1.1-23× under.
CONTAINER_BYTES = 200  # per "{" or "["
ITEM_BYTES = 50  # per "," or ":"
RUN_BYTES = 1_000
"""Fixed cost of one cached run beyond what ``estimate_bytes`` gives for its metadata and memos: the ``Run``
and ``_Cached`` objects, the steps dict, a snapshot and the LRU slot. End to end (tracemalloc, 2,000 sleeping
runs of ``benchmarks/soak.py``'s 3-step function loaded and snapshotted): 4.6 KB measured per run, 7.9 KB
estimated."""


def estimate_bytes(json_text: str) -> int:
    """What ``json.loads(json_text)`` costs in Python objects, conservatively (see the calibration above).

    Linear in the text at C speed (``str.count``); counts separators inside strings too, which only
    overestimates.
    """
    containers = json_text.count("{") + json_text.count("[")
    items = json_text.count(",") + json_text.count(":")
    return len(json_text) + CONTAINER_BYTES * containers + ITEM_BYTES * items


@dataclass(slots=True)
class _Cached:
    meta: Run  # metadata as last saved; its steps/stack are ignored
    steps: dict[str, Json]  # insertion order is the stack
    size: int  # estimated bytes of everything this entry keeps alive
    snapshot: Run | None = None  # what ``get`` handed out since the last change: reused, never mutated


class RunCache:
    """LRU of decoded unfinished runs, bounded by their estimated size in memory. Single-threaded."""

    def __init__(self, budget_bytes: int = DEFAULT_BUDGET_BYTES) -> None:
        self._runs: OrderedDict[str, _Cached] = OrderedDict()
        self._budget = budget_bytes
        self._size = 0
        self.dropped: list[str] = []  # runs trimmed for the budget, not yet reported (see module docstring)

    def __len__(self) -> int:
        return len(self._runs)

    @property
    def size(self) -> int:
        """Estimated bytes held."""
        return self._size

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
        """Cache a run read from the database (``steps`` in stack order; ``size`` from ``estimate_bytes`` of
        its metadata and memos). A finished run is not cached."""
        self.evict((meta.run_id,))
        if meta.status.is_terminal:
            return
        size += RUN_BYTES
        self._runs[meta.run_id] = _Cached(meta, steps, size)
        self._size += size
        self._trim()

    def save_run(self, run: Run) -> None:
        cached = self._runs.get(run.run_id)
        if cached is None:
            return  # an uncached run stays uncached: its saved steps are unknown here
        if run.status.is_terminal:
            self.evict((run.run_id,))  # finished: it leaves the cache (see module docstring)
            return
        cached.meta = run
        cached.snapshot = None

    def save_step(self, run_id: str, step_id: str, memo: Json, size: int) -> None:
        """Record a saved memo; ``size`` is ``estimate_bytes`` of its JSON."""
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
        self.dropped.extend(self._runs)
        self._runs.clear()
        self._size = 0

    def _trim(self) -> None:
        while self._size > self._budget and len(self._runs) > 1:
            run_id, cached = self._runs.popitem(last=False)
            self._size -= cached.size
            self.dropped.append(run_id)
