"""Maintenance: retention deletes finished runs older than the window (bounded batches), and the gauges."""

from __future__ import annotations

from dataclasses import replace

from inngest_lab.engine.model import (
    AppendHistory,
    CreatePause,
    Enqueue,
    HistoryEntry,
    HistoryKind,
    SaveRun,
    SaveStep,
    StoreEvent,
)
from inngest_lab.protocol.consts import RunStatus
from inngest_lab.store.ports import Store

from .records import a_pause, a_run, an_event, an_item

DAY_MS = 86_400_000
NOW_MS = 100 * DAY_MS
CUT_MS = NOW_MS - 30 * DAY_MS


def _ended(run_id: str, *, ended_days_ago: int, event_id: str) -> SaveRun:
    ended = NOW_MS - ended_days_ago * DAY_MS
    run = a_run(run_id, status=RunStatus.COMPLETED, created_at_ms=ended - DAY_MS, event_ids=(event_id,))
    return SaveRun(replace(run, started_at_ms=ended - DAY_MS, ended_at_ms=ended, output="done"))


async def test_runs_ended_before_the_window_go_with_their_steps_history_and_events(store: Store) -> None:
    running = a_run("running", created_at_ms=NOW_MS - 40 * DAY_MS, event_ids=("e-running",))
    await store.apply(
        [
            *(StoreEvent(an_event(e, received_at_ms=NOW_MS - 40 * DAY_MS)) for e in ("e-old", "e-running", "e-orph")),
            StoreEvent(an_event("e-recent", received_at_ms=NOW_MS - 29 * DAY_MS)),
            StoreEvent(an_event("e-new-orph", received_at_ms=NOW_MS - DAY_MS)),
            _ended("old", ended_days_ago=31, event_id="e-old"),
            SaveStep("old", "s1", {"data": 1}),
            AppendHistory(HistoryEntry("old", NOW_MS - 31 * DAY_MS, HistoryKind.RUN_COMPLETED)),
            _ended("recent", ended_days_ago=29, event_id="e-recent"),
            AppendHistory(HistoryEntry("recent", NOW_MS - 29 * DAY_MS, HistoryKind.RUN_COMPLETED)),
            SaveRun(running),
        ]
    )

    purged = await store.purge_finished(CUT_MS, 100)

    assert (purged.runs, purged.events, purged.more) == (1, 2, False)
    assert await store.load_run("old") is None
    assert await store.history("old") == []
    assert await store.get_event("e-old") is None and await store.get_event("e-orph") is None
    assert await store.load_run("recent") is not None and await store.load_run("running") is not None
    assert [e.kind for e in await store.history("recent")] == [HistoryKind.RUN_COMPLETED]
    for kept in ("e-recent", "e-running", "e-new-orph"):
        assert await store.get_event(kept) is not None, kept
    assert {r.run_id for r in await store.list_runs()} == {"recent", "running"}


async def test_a_purge_deletes_at_most_its_limit_and_says_when_more_remain(store: Store) -> None:
    await store.apply([_ended(f"old-{i}", ended_days_ago=40 + i, event_id=f"e{i}") for i in range(5)])

    batches = []
    while True:
        purged = await store.purge_finished(CUT_MS, 2)
        batches.append(purged.runs)
        if not purged.more:
            break

    assert batches == [2, 2, 1]
    assert await store.list_runs() == []


async def test_gauges_count_the_queue_its_oldest_waiting_item_and_pending_pauses(store: Store) -> None:
    await store.apply([Enqueue(an_item("late", due_at_ms=200)), Enqueue(an_item("early", due_at_ms=100))])
    await store.apply([SaveRun(a_run("run-1")), CreatePause(a_pause("p1"))])

    gauges = await store.gauges(150)
    assert (gauges.queue_depth, gauges.oldest_due_ms, gauges.pending_pauses) == (2, 100, 1)

    [lease] = await store.lease(150, 1, 30_000)
    assert lease.item.item_id == "early"
    assert (await store.gauges(150)).oldest_due_ms == 200, "a leased item is not waiting"


async def test_the_process_that_claims_the_reporter_role_keeps_it(store: Store) -> None:
    assert await store.claim_reporter("process-a", NOW_MS)
    assert await store.claim_reporter("process-a", NOW_MS)
