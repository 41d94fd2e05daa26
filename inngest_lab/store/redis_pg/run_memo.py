"""This process's last known state of the runs it is driving, each with the Redis write version it matches.

A decision on a run needs the run; reading it from Redis costs a round trip and the decoding of every memo,
once per step, so the state a commit leaves is kept here instead (``after_commit`` replays the commit's
``SaveRun``/``SaveStep`` on the state the decision saw). It is only ever a guess: a decision taken on a stale
entry fails its version check and runs again on fresh state, and ``load_run`` checks the version (one small
read) before trusting an entry unless the feed bus is live (then another process's commit reaches ``forget``
within a message's latency, and a decision taken in that window fails its version check). Finished runs leave
it, and it holds at most ``max_runs`` runs.

A run that finishes moves to a second, read-only memo (``finished``) for ``FINISHED_TTL_S``: clients ask for a
run's result right after it ends (``GET /v1/runs/{id}``, ``/v1/events/{id}/runs``), and a finished run's state
is final, while reading it back costs Redis round trips, or Postgres queries once the outbox has moved it there.
The time limit keeps it from outliving a retention purge by another process (the shortest window is a minute);
both parts are bounded by a count and by the state they hold (``LIVE_BUDGET_BYTES``, ``FINISHED_BUDGET_BYTES``).
"""

from __future__ import annotations

import time
from collections import Counter, OrderedDict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import replace
from typing import Generic, TypeGuard, TypeVar

from inngest_lab.engine.model import Command, Json, Run, SaveRun, SaveStep
from inngest_lab.protocol.consts import RunStatus

DEFAULT_MAX_RUNS = 2048
LIVE_BUDGET_BYTES = 64 * 1024 * 1024
FINISHED_TTL_S = 30.0
FINISHED_BUDGET_BYTES = 8 * 1024 * 1024
"""Each part holds at most ``max_runs`` runs and its budget of state, each run counted as ``Run.state_bytes`` (its
memos' JSON) plus 1 KB; a run larger than an eighth of the budget is not kept (its next decision reads Redis)."""

T = TypeVar("T")


class _Bounded(Generic[T]):
    """Runs by id, each with a tag, least recently used first, within a count and a state budget."""

    def __init__(self, max_runs: int, max_bytes: int) -> None:
        self.items: OrderedDict[str, tuple[Run, T]] = OrderedDict()
        self._max_runs = max_runs
        self._max_bytes = max_bytes
        self._bytes = 0

    def get(self, run_id: str) -> tuple[Run, T] | None:
        found = self.items.get(run_id)
        if found is not None:
            self.items.move_to_end(run_id)
        return found

    def put(self, run: Run, tag: T) -> None:
        self.drop(run.run_id)
        cost = _cost(run)
        if cost * 8 > self._max_bytes:
            return
        self.items[run.run_id] = (run, tag)
        self._bytes += cost
        while len(self.items) > self._max_runs or self._bytes > self._max_bytes:
            self.drop(next(iter(self.items)))

    def drop(self, run_id: str) -> None:
        found = self.items.pop(run_id, None)
        if found is not None:
            self._bytes -= _cost(found[0])

    def clear(self) -> None:
        self.items.clear()
        self._bytes = 0


class RunMemo:
    def __init__(self, max_runs: int = DEFAULT_MAX_RUNS, clock: Callable[[], float] = time.monotonic) -> None:
        self._runs: _Bounded[int] = _Bounded(max_runs, LIVE_BUDGET_BYTES)  # run id -> (run, its Redis version)
        self._finished: _Bounded[float] = _Bounded(max_runs, FINISHED_BUDGET_BYTES)  # -> (run, when it ended)
        self._clock = clock

    def __len__(self) -> int:
        return len(self._runs.items)

    def get(self, run_id: str) -> tuple[Run, int] | None:
        return self._runs.get(run_id)

    def finished(self, run_id: str) -> Run | None:
        """The final state of ``run_id`` if it finished here within ``FINISHED_TTL_S``."""
        found = self._finished.get(run_id)
        if found is None:
            return None
        if self._clock() - found[1] > FINISHED_TTL_S:
            self._finished.drop(run_id)
            return None
        return found[0]

    def put(self, run: Run, version: int) -> None:
        if run.status.is_terminal:
            self._runs.drop(run.run_id)
            self._finished.put(run, self._clock())
        else:
            self._finished.drop(run.run_id)
            self._runs.put(run, version)

    def clear(self) -> None:
        self._runs.clear()
        self._finished.clear()

    def forget(self, run_ids: Iterable[str]) -> None:
        for run_id in run_ids:
            self._runs.drop(run_id)
            self._finished.drop(run_id)

    def after_commit(self, run_id: str, before: Run | None, commands: Sequence[Command], version: int) -> None:
        """Keep the state ``commands`` left ``run_id`` in, at ``version`` (the run's version after the commit)."""
        meta = before
        steps: dict[str, Json] = dict(before.steps) if before is not None else {}
        stack = list(before.stack) if before is not None else []
        for command in commands:
            if isinstance(command, SaveRun) and command.run.run_id == run_id:
                meta = command.run
            elif isinstance(command, SaveStep) and command.run_id == run_id and command.step_id not in steps:
                steps[command.step_id] = command.memo
                stack.append(command.step_id)
        if meta is None:
            self._runs.drop(run_id)
            return
        self.put(replace(meta, steps=steps, stack=tuple(stack)), version)

    def after_create(self, commands: Sequence[Command]) -> None:
        """Keep the runs a blind batch created (saved queued and never started: ingest, invoke, rerun). They had
        no record before it (fresh ULIDs), so each is now at one version per write of the batch. A wrong guess
        only fails a version check."""
        created = [
            c.run.run_id
            for c in commands
            if isinstance(c, SaveRun) and c.run.status is RunStatus.QUEUED and c.run.started_at_ms is None
        ]
        if not created:
            return
        writes = Counter(c.run.run_id if isinstance(c, SaveRun) else c.run_id for c in commands if _writes_run(c))
        for run_id in created:
            self.after_commit(run_id, None, commands, writes[run_id])


def _cost(run: Run) -> int:
    return run.state_bytes + 1024


def _writes_run(command: Command) -> TypeGuard[SaveRun | SaveStep]:
    return isinstance(command, SaveRun | SaveStep)


def written_runs(commands: Sequence[Command]) -> set[str]:
    return {c.run.run_id if isinstance(c, SaveRun) else c.run_id for c in commands if _writes_run(c)}
