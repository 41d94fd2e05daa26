"""SQLite only: memory is bounded. Finished runs leave every cache (run cache, committed views, run waiters), and
the run cache's budget counts what its decoded runs really cost."""

from __future__ import annotations

import json
import tracemalloc
from pathlib import Path

import pytest

import inngest_lab as inngest
from inngest_lab.engine.model import Json
from inngest_lab.protocol.consts import RunStatus
from inngest_lab.store.run_cache import RUN_BYTES, RunCache, estimate_bytes
from inngest_lab.store.sqlite import SqliteStore

from .records import a_run

RUNS = 60


async def test_finished_runs_leave_every_cache(tmp_path: Path) -> None:
    lab = inngest.Lab(tmp_path / "lab.db")
    await lab.start()
    client = inngest.Inngest(app_id="app", is_production=False)

    @client.create_function(fn_id="three", trigger=inngest.TriggerEvent(event="app/go"))
    async def three(ctx: inngest.Context) -> int:
        a: int = await ctx.step.run("a", lambda: 1)
        b: int = await ctx.step.run("b", lambda: a + 1)
        c: int = await ctx.step.run("c", lambda: b + 1)
        return c

    @client.create_function(fn_id="sleepy", trigger=inngest.TriggerEvent(event="app/nap"))
    async def sleepy(ctx: inngest.Context) -> None:
        await ctx.step.run("a", lambda: 1)
        await ctx.step.sleep("nap", 3_600_000)

    lab.serve(client, [three, sleepy])
    try:
        store = lab.engine.store
        assert isinstance(store, SqliteStore)
        await lab.send_async([{"name": "app/nap"}])
        ids = await lab.send_async([{"name": "app/go", "data": {"i": i}} for i in range(RUNS)])
        for event_id in ids:
            [run] = await lab.wait(event_id)
            assert run.status is RunStatus.COMPLETED
        await lab.wait(ids[0])  # waiting for a finished run again leaves nothing behind either
        await lab.idle()

        [sleeping] = await lab.runs(fn_id="app-sleepy")
        assert sleeping.status is RunStatus.RUNNING
        stats = store.cache_stats()
        assert stats["run_cache_runs"] == 1, stats  # only the unfinished run
        assert stats["committed_runs"] <= 1, stats
        assert not lab.engine._run_waiters
    finally:
        await lab.close()


def test_a_finished_run_leaves_the_run_cache_and_is_not_put_back() -> None:
    cache = RunCache()
    run = a_run("r1")
    cache.put(run, {}, 100)
    assert len(cache) == 1
    cache.save_run(a_run("r1", status=RunStatus.COMPLETED))
    assert len(cache) == 0
    assert cache.size == 0
    cache.put(a_run("r1", status=RunStatus.FAILED), {}, 100)  # read back from the file
    assert len(cache) == 0


def test_runs_trimmed_for_the_budget_are_reported_as_dropped() -> None:
    cache = RunCache(budget_bytes=3 * (RUN_BYTES + 100))
    for i in range(5):
        cache.put(a_run(f"r{i}"), {}, 100)
    assert len(cache) == 3
    assert cache.dropped == ["r0", "r1"]
    assert cache.size <= 3 * (RUN_BYTES + 100)


@pytest.mark.parametrize(
    "memo",
    [
        {"data": None},
        {"data": {"n": 7, "items": [7, 8, 9]}},
        {"data": [{"id": i, "name": f"name-{i}", "score": i * 1.5} for i in range(20)]},
        {"data": "x" * 4000},
        {"data": list(range(1000, 1200))},
        {"data": {"a": {"b": {"c": [{"d": [1, 2, {"e": "x"}]}]}}}},
    ],
)
def test_the_size_estimate_never_undercounts_the_decoded_objects(memo: Json) -> None:
    text = json.dumps(memo)
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        decoded = [json.loads(text) for _ in range(200)]
        measured = (tracemalloc.get_traced_memory()[0] - before) / len(decoded)
    finally:
        tracemalloc.stop()
    assert estimate_bytes(text) >= measured * 0.9  # 10%: the list holding them, allocator rounding
    assert estimate_bytes(text) <= measured * 2.5  # and not so high that the cache holds far fewer runs
