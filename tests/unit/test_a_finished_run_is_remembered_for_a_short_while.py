"""``RunMemo`` (store/redis_pg/run_memo.py) keeps a run that finished, read-only, for ``FINISHED_TTL_S`` on its
clock, so clients asking for the result right after the end need no Redis or Postgres read; another process's
write to the run, or a lost feed, forgets it at once."""

from __future__ import annotations

from inngest_lab.engine.model import Run
from inngest_lab.protocol.consts import RunStatus
from inngest_lab.store.redis_pg.run_memo import FINISHED_BUDGET_BYTES, FINISHED_TTL_S, LIVE_BUDGET_BYTES, RunMemo


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def run(run_id: str, status: RunStatus, state_bytes: int = 0) -> Run:
    return Run(run_id, "fn", "app", status, (), (), 1, 1, state_bytes=state_bytes)


def test_a_finished_run_leaves_the_live_memo_and_is_read_until_its_time_is_up() -> None:
    clock = Clock()
    memo = RunMemo(clock=clock)
    memo.put(run("r", RunStatus.RUNNING), 3)
    assert memo.finished("r") is None

    memo.put(run("r", RunStatus.COMPLETED), 4)
    assert memo.get("r") is None  # decisions never read it from here
    finished = memo.finished("r")
    assert finished is not None and finished.status is RunStatus.COMPLETED

    clock.now += FINISHED_TTL_S + 0.1
    assert memo.finished("r") is None


def test_forget_and_clear_drop_finished_runs_too() -> None:
    memo = RunMemo(clock=Clock())
    memo.put(run("a", RunStatus.FAILED), 1)
    memo.put(run("b", RunStatus.CANCELLED), 1)

    memo.forget(["a"])
    assert memo.finished("a") is None and memo.finished("b") is not None
    memo.clear()
    assert memo.finished("b") is None


def test_at_most_max_runs_finished_runs_are_kept() -> None:
    memo = RunMemo(max_runs=2, clock=Clock())
    for n in range(3):
        memo.put(run(f"r{n}", RunStatus.COMPLETED), 1)
    assert memo.finished("r0") is None
    assert memo.finished("r2") is not None


def test_what_finished_runs_hold_is_bounded_by_their_state_size() -> None:
    memo = RunMemo(clock=Clock())
    memo.put(run("huge", RunStatus.COMPLETED, state_bytes=FINISHED_BUDGET_BYTES // 4), 1)
    assert memo.finished("huge") is None  # too large to keep at all

    eighth = FINISHED_BUDGET_BYTES // 8 - 2048
    for n in range(9):
        memo.put(run(f"r{n}", RunStatus.COMPLETED, state_bytes=eighth), 1)
    assert memo.finished("r0") is None  # the oldest went to make room
    assert memo.finished("r8") is not None


def test_live_runs_are_bounded_by_their_state_size_too() -> None:
    memo = RunMemo(clock=Clock())
    memo.put(run("huge", RunStatus.RUNNING, state_bytes=LIVE_BUDGET_BYTES // 4), 7)
    assert memo.get("huge") is None  # read from Redis at its next decision instead

    eighth = LIVE_BUDGET_BYTES // 8 - 2048
    for n in range(9):
        memo.put(run(f"r{n}", RunStatus.RUNNING, state_bytes=eighth), n)
    assert memo.get("r0") is None
    assert memo.get("r8") == (run("r8", RunStatus.RUNNING, state_bytes=eighth), 8)
    assert len(memo) == 8
