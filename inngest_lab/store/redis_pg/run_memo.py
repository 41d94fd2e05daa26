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
a byte budget (``FINISHED_BUDGET_BYTES``) bounds what it holds, so large runs leave at once, as before.
"""

from __future__ import annotations

import time
from collections import Counter, OrderedDict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import replace
from typing import TypeGuard

from inngest_lab.engine.model import Command, Json, Run, SaveRun, SaveStep
from inngest_lab.protocol.consts import RunStatus

DEFAULT_MAX_RUNS = 2048
FINISHED_TTL_S = 30.0
FINISHED_BUDGET_BYTES = 8 * 1024 * 1024
"""What the finished runs kept may hold, counted as their state (``Run.state_bytes``, the memos' JSON) plus 1 KB
each: a run as large as the budget's eighth is not kept at all."""


class RunMemo:
    def __init__(self, max_runs: int = DEFAULT_MAX_RUNS, clock: Callable[[], float] = time.monotonic) -> None:
        self._runs: OrderedDict[str, tuple[Run, int]] = OrderedDict()
        self._finished: OrderedDict[str, tuple[Run, float]] = OrderedDict()  # run id -> (run, when it ended)
        self._finished_bytes = 0
        self._max_runs = max_runs
        self._clock = clock

    def __len__(self) -> int:
        return len(self._runs)

    def get(self, run_id: str) -> tuple[Run, int] | None:
        found = self._runs.get(run_id)
        if found is not None:
            self._runs.move_to_end(run_id)
        return found

    def finished(self, run_id: str) -> Run | None:
        """The final state of ``run_id`` if it finished here within ``FINISHED_TTL_S``."""
        found = self._finished.get(run_id)
        if found is None:
            return None
        if self._clock() - found[1] > FINISHED_TTL_S:
            self._drop_finished(run_id)
            return None
        return found[0]

    def _drop_finished(self, run_id: str) -> None:
        found = self._finished.pop(run_id, None)
        if found is not None:
            self._finished_bytes -= _cost(found[0])

    def put(self, run: Run, version: int) -> None:
        if run.status.is_terminal:
            self._runs.pop(run.run_id, None)
            self._drop_finished(run.run_id)
            if _cost(run) * 8 > FINISHED_BUDGET_BYTES:
                return
            self._finished[run.run_id] = (run, self._clock())
            self._finished_bytes += _cost(run)
            while len(self._finished) > self._max_runs or self._finished_bytes > FINISHED_BUDGET_BYTES:
                self._drop_finished(next(iter(self._finished)))
            return
        self._runs[run.run_id] = (run, version)
        self._runs.move_to_end(run.run_id)
        while len(self._runs) > self._max_runs:
            self._runs.popitem(last=False)

    def clear(self) -> None:
        self._runs.clear()
        self._finished.clear()
        self._finished_bytes = 0

    def forget(self, run_ids: Iterable[str]) -> None:
        for run_id in run_ids:
            self._runs.pop(run_id, None)
            self._drop_finished(run_id)

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
            self._runs.pop(run_id, None)
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
