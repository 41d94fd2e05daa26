"""``EventRuns`` (store/redis_pg/event_runs.py) answers for an event only from this process's commit that stored
it: a run relayed from another process for an event this process never stored could be one of several, so that
event is left to Postgres."""

from __future__ import annotations

from inngest_lab.engine.model import EventRecord, Run, SaveRun, StoreEvent
from inngest_lab.protocol.consts import RunStatus
from inngest_lab.store.redis_pg.event_runs import EventRuns


def run(run_id: str, created_at_ms: int, *event_ids: str) -> Run:
    return Run(run_id, "fn", "app", RunStatus.QUEUED, (), event_ids, created_at_ms, 1)


def stored(event_id: str) -> StoreEvent:
    return StoreEvent(EventRecord(event_id, {"name": "e"}, 1))


def test_runs_of_an_event_stored_here_are_listed_newest_first_whoever_started_them() -> None:
    index = EventRuns()
    index.observe([stored("e1"), SaveRun(run("a", 10, "e1"))], local=True)
    index.observe([SaveRun(run("b", 30, "e1"))], local=False)
    index.observe([SaveRun(run("c", 20, "e1", "e2"))], local=True)
    index.observe([SaveRun(run("a", 10, "e1"))], local=True)  # the same run saved again (a step): listed once

    assert index.runs_of("e1", limit=10) == ["b", "c", "a"]
    assert index.runs_of("e1", limit=2) == ["b", "c"]


def test_an_event_stored_elsewhere_or_without_runs_is_not_answered() -> None:
    index = EventRuns()
    index.observe([stored("remote"), SaveRun(run("r", 1, "remote"))], local=False)
    index.observe([stored("empty")], local=True)

    assert index.runs_of("remote", limit=10) is None
    assert index.runs_of("empty", limit=10) is None
    assert index.runs_of("unknown", limit=10) is None


def test_the_oldest_events_leave_first_and_clear_forgets_all() -> None:
    index = EventRuns(capacity=2)
    for n in range(3):
        index.observe([stored(f"e{n}"), SaveRun(run(f"r{n}", n, f"e{n}"))], local=True)

    assert index.runs_of("e0", limit=10) is None
    assert index.runs_of("e2", limit=10) == ["r2"]
    index.clear()
    assert index.runs_of("e2", limit=10) is None
