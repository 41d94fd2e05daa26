"""Runs, steps and history: SaveRun, SaveStep, AppendHistory and the run queries."""

from __future__ import annotations

from dataclasses import replace

from inngest_lab.engine.model import AppendHistory, HistoryEntry, HistoryKind, SaveRun, SaveStep
from inngest_lab.protocol.consts import RunStatus
from inngest_lab.store.ports import Store

from .records import a_run


async def test_load_run_returns_none_for_an_unknown_run(store: Store) -> None:
    assert await store.load_run("nope") is None


async def test_saved_run_loads_with_its_steps_in_save_order(store: Store) -> None:
    await store.apply([SaveRun(a_run("run-1")), SaveStep("run-1", "b", {"data": 2})])
    await store.apply([SaveStep("run-1", "a", {"data": 1}), SaveStep("run-1", "c", None)])

    run = await store.load_run("run-1")

    assert run is not None
    assert run.stack == ("b", "a", "c")
    assert dict(run.steps) == {"b": {"data": 2}, "a": {"data": 1}, "c": None}


async def test_saving_a_step_id_twice_keeps_the_first_memo_and_one_stack_entry(store: Store) -> None:
    await store.apply([SaveRun(a_run("run-1")), SaveStep("run-1", "a", {"data": "first"})])
    await store.apply([SaveStep("run-1", "a", {"data": "second"}), SaveStep("run-1", "b", {"data": 3})])

    run = await store.load_run("run-1")

    assert run is not None
    assert run.stack == ("a", "b")
    assert run.steps["a"] == {"data": "first"}


async def test_every_run_field_round_trips(store: Store) -> None:
    run = replace(
        a_run("run-1", event_ids=("e1", "e2")),
        started_at_ms=1_001,
        ended_at_ms=1_002,
        force_plan=True,
        version=2,
        pending=frozenset({"p1", "p2"}),
        output={"ok": [1, 2.5, "é"]},
        error={"name": "Error", "message": "boom"},
        correlation_id="corr",
        state_bytes=123,
        cron="*/5 * * * *",
        original_run_id="run-0",
        skip_reason="Singleton",
    )
    await store.apply([SaveRun(run)])

    assert await store.load_run("run-1") == run


async def test_save_run_updates_metadata_and_ignores_steps_carried_by_the_run(store: Store) -> None:
    await store.apply([SaveRun(a_run("run-1")), SaveStep("run-1", "a", {"data": 1})])
    finished = replace(a_run("run-1", status=RunStatus.COMPLETED), output="done", steps={"zzz": 1}, stack=("zzz",))
    await store.apply([SaveRun(finished)])

    run = await store.load_run("run-1")

    assert run is not None
    assert (run.status, run.output, run.stack) == (RunStatus.COMPLETED, "done", ("a",))


async def test_a_loaded_run_is_a_snapshot_that_later_saves_do_not_change(store: Store) -> None:
    await store.apply([SaveRun(a_run("run-1")), SaveStep("run-1", "a", 1)])
    before = await store.load_run("run-1")
    await store.apply([SaveStep("run-1", "b", 2)])

    assert before is not None
    assert before.stack == ("a",)
    assert dict(before.steps) == {"a": 1}


async def test_list_runs_is_newest_first(store: Store) -> None:
    await store.apply([SaveRun(a_run(f"run-{i}", created_at_ms=1_000 + i)) for i in (2, 0, 3, 1)])

    runs = await store.list_runs()

    assert [r.run_id for r in runs] == ["run-3", "run-2", "run-1", "run-0"]


async def test_list_runs_includes_each_runs_steps(store: Store) -> None:
    await store.apply([SaveRun(a_run("run-1")), SaveStep("run-1", "a", {"data": 1}), SaveRun(a_run("run-2"))])

    runs = {r.run_id: r for r in await store.list_runs()}

    assert runs["run-1"].stack == ("a",)
    assert runs["run-2"].stack == ()


async def test_list_runs_filters_by_function_status_event_and_time_window(store: Store) -> None:
    await store.apply(
        [
            SaveRun(a_run("a", fn_id="app-one", created_at_ms=100, event_ids=("e-a",))),
            SaveRun(a_run("b", fn_id="app-two", created_at_ms=200, status=RunStatus.COMPLETED)),
            SaveRun(a_run("c", fn_id="app-one", created_at_ms=300, status=RunStatus.FAILED, event_ids=("x", "e-c"))),
            SaveRun(a_run("d", fn_id="app-one", created_at_ms=400, status=RunStatus.COMPLETED)),
        ]
    )

    async def ids(**filters: object) -> list[str]:
        return [r.run_id for r in await store.list_runs(**filters)]  # type: ignore[arg-type]

    assert await ids(fn_id="app-one") == ["d", "c", "a"]
    assert await ids(status=[RunStatus.COMPLETED, RunStatus.FAILED]) == ["d", "c", "b"]
    assert await ids(status=[]) == []
    assert await ids(event_id="e-c") == ["c"]
    assert await ids(since_ms=200, until_ms=400) == ["c", "b"]
    assert await ids(fn_id="app-one", status=[RunStatus.COMPLETED]) == ["d"]
    assert await ids(limit=2) == ["d", "c"]


async def test_history_is_returned_in_insertion_order_per_run(store: Store) -> None:
    entries = [
        HistoryEntry("run-1", 5, HistoryKind.RUN_STARTED),
        HistoryEntry("run-2", 4, HistoryKind.RUN_STARTED),
        HistoryEntry("run-1", 3, HistoryKind.STEP_COMPLETED, step_id="s", name="fetch", attempt=1, data={"x": 1}),
        HistoryEntry("run-1", 9, HistoryKind.RUN_COMPLETED, data=None),
    ]
    await store.apply([AppendHistory(e) for e in entries[:2]])
    await store.apply([AppendHistory(e) for e in entries[2:]])

    assert await store.history("run-1") == [entries[0], entries[2], entries[3]]
    assert await store.history("run-2") == [entries[1]]
    assert await store.history("run-3") == []
