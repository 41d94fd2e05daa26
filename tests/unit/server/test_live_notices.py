"""What the live stream tells dashboards about a committed batch: touched runs and stored events, once each."""

from __future__ import annotations

from inngest_lab.engine.model import (
    AppendHistory,
    Command,
    EventRecord,
    HistoryEntry,
    HistoryKind,
    Run,
    SaveRun,
    SaveStep,
    StoreEvent,
)
from inngest_lab.protocol.consts import RunStatus
from inngest_lab.server.live import MAX_BACKLOG, ChangeFeed, notices

RUN = Run("r1", "app-fn", "app", RunStatus.RUNNING, ({"name": "a/b"},), ("e1",), 0, 1)


def test_a_run_saved_with_its_steps_is_one_notice_with_its_status() -> None:
    batch: list[Command] = [
        SaveStep("r1", "s", {"data": 1}),
        SaveRun(RUN),
        AppendHistory(HistoryEntry("r1", 0, HistoryKind.STEP_COMPLETED)),
    ]
    assert notices(batch) == [{"type": "run", "run_id": "r1", "function_id": "app-fn", "status": "Running"}]


def test_history_of_another_run_and_a_stored_event_are_reported() -> None:
    batch: list[Command] = [
        AppendHistory(HistoryEntry("r2", 0, HistoryKind.STEP_SLEEPING)),
        StoreEvent(EventRecord("e9", {"name": "demo/hello"}, 0)),
    ]
    assert notices(batch) == [{"type": "run", "run_id": "r2"}, {"type": "event", "id": "e9", "name": "demo/hello"}]


def test_a_client_that_falls_behind_is_told_to_resync() -> None:
    feed = ChangeFeed()
    q = feed.connect()
    for _ in range(MAX_BACKLOG + 1):
        feed.on_commit([SaveRun(RUN)])
    assert q.qsize() == MAX_BACKLOG
    *_, last = (q.get_nowait() for _ in range(MAX_BACKLOG))
    assert last[-1] == {"type": "resync"}
    feed.disconnect(q)
    assert feed.client_count == 0
