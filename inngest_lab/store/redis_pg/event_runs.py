"""Which runs each event this process stored started: ``GET /v1/events/{id}/runs`` without Postgres.

Clients poll that route for a run's result, and answering it from Postgres costs an outbox barrier (this
process's pending writes flushed first) and two queries per poll: a quarter of a ``start`` process's CPU under
the step benchmark. Yet the process that stored an event saw, in its own commits, every run the event started
there, and through the live change feed every run other processes started for it later (a batch flushed, a
debounce fired, a rerun).

So the index holds an entry for an event only from this process's own commit that stored it, and adds each run
naming the event from any commit after that, local or relayed. An entry is trusted only while the feed has
been live since it was made: a lost subscription may have dropped a relayed run, so the store clears the index
on every (re)subscription. Runs another process started but whose commit has not reached this process yet are
missing for that moment, as they would be from Postgres until that process's outbox flushed.

The index is bounded (oldest events first out); an event it does not hold is answered from Postgres as before.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Sequence

from inngest_lab.engine.model import Command, SaveRun, StoreEvent

CAPACITY = 20_000
"""Events remembered: the last minutes of events at hundreds per second, the window clients poll in. About 360
bytes each with its ids (tracemalloc), so 7 MB at most: a soak's RSS levels off once it is full."""


class EventRuns:
    """Event id -> ``(created_at_ms, run_id)`` of the runs it started, for events this process stored."""

    def __init__(self, capacity: int = CAPACITY) -> None:
        self._capacity = capacity
        self._runs: OrderedDict[str, list[tuple[int, str]]] = OrderedDict()

    def observe(self, commands: Sequence[Command], *, local: bool) -> None:
        """A committed batch: ``local`` when this process committed it (only those add events)."""
        runs = self._runs
        if local:
            for command in commands:
                if type(command) is StoreEvent:
                    runs.setdefault(command.event.internal_id, [])
            while len(runs) > self._capacity:
                runs.popitem(last=False)
        for command in commands:
            if type(command) is SaveRun:
                run = command.run
                for event_id in run.event_ids:
                    known = runs.get(event_id)
                    if known is not None and all(run_id != run.run_id for _, run_id in known):
                        known.append((run.created_at_ms, run.run_id))

    def runs_of(self, event_id: str, limit: int) -> list[str] | None:
        """The event's run ids newest first (Postgres' order: created, then id, descending), at most ``limit``;
        None when the index does not hold the event, or holds it with no run yet (nothing to tell "none yet"
        from "no such event" with)."""
        known = self._runs.get(event_id)
        if not known:
            return None
        return [run_id for _, run_id in sorted(known, reverse=True)[:limit]]

    def clear(self) -> None:
        self._runs.clear()
