"""Two Postgres + Redis stores on the same URIs (two processes of one deployment) see each other's work:
commits reach the other's change feed and wake its dispatcher, shared configuration changes reach its
listeners, and a queue item is leased by exactly one of them."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence

from inngest_lab.engine.model import App, Command, Enqueue, SaveRun, SaveStep
from inngest_lab.store.redis_pg import RedisPgStore

from .conftest import eventually
from .records import a_function, a_run, an_item


async def test_a_commit_reaches_the_other_processes_change_feed(pair: tuple[RedisPgStore, RedisPgStore]) -> None:
    writer, reader = pair
    seen: list[Sequence[Command]] = []
    reader.subscribe_changes(seen.append)

    await writer.apply([SaveRun(a_run("run-1")), SaveStep("run-1", "a", {"data": 1})])

    await eventually(lambda: seen)
    [batch] = seen
    assert [type(c) for c in batch] == [SaveRun, SaveStep]
    assert isinstance(batch[0], SaveRun) and batch[0].run.run_id == "run-1"
    assert (await reader.load_run("run-1")) is not None


async def test_an_enqueue_wakes_the_other_process_and_one_of_them_leases_it(
    pair: tuple[RedisPgStore, RedisPgStore],
) -> None:
    writer, reader = pair
    woken: list[int] = []
    reader.subscribe(lambda: woken.append(1))

    await writer.apply([Enqueue(an_item("i", due_at_ms=5))])
    await eventually(lambda: woken and reader.next_due_ms() == 5)

    both = await asyncio.gather(reader.lease(10, 10, 1_000), writer.lease(10, 10, 1_000))
    assert sorted(len(leases) for leases in both) == [0, 1]


async def test_a_sync_in_one_process_tells_the_other_to_reload_its_functions(
    pair: tuple[RedisPgStore, RedisPgStore],
) -> None:
    writer, reader = pair
    changed: list[str] = []
    reader.subscribe_config(changed.append)

    functions = [a_function("shop-fn", app_id="shop")]
    await writer.upsert_app(App(app_id="shop", url="http://127.0.0.1:1/api/inngest"), functions)
    await writer.put_record("pause", "shop-fn", 1, {"function_id": "shop-fn"})

    await eventually(lambda: len(changed) == 2)
    assert changed == ["registry", "records:pause"]
    assert [f.fn_id for f in await reader.list_functions()] == [f.fn_id for f in functions]


async def test_another_processes_commit_reaches_change_listeners_but_not_local_ones(
    pair: tuple[RedisPgStore, RedisPgStore],
) -> None:
    writer, reader = pair
    everything: list[Sequence[Command]] = []
    local: list[Sequence[Command]] = []
    reader.subscribe_changes(everything.append)
    reader.subscribe_local_changes(local.append)

    await writer.apply([SaveRun(a_run("run-remote"))])
    await eventually(lambda: everything)
    await reader.apply([SaveRun(a_run("run-local"))])

    assert [c.run.run_id for b in local for c in b if isinstance(c, SaveRun)] == ["run-local"], "metrics count once"


async def test_one_process_at_a_time_reports_the_deployment_gauges(pair: tuple[RedisPgStore, RedisPgStore]) -> None:
    first, second = pair
    assert await first.claim_reporter("first", 0, ttl_ms=200)
    assert not await second.claim_reporter("second", 0, ttl_ms=200), "summing the processes counts each item once"
    assert await first.claim_reporter("first", 0, ttl_ms=200), "the reporter keeps its role while it scrapes"
    await asyncio.sleep(0.3)  # the reporter stopped scraping: its lease in Redis expires (Redis's own clock)
    assert await second.claim_reporter("second", 0, ttl_ms=200)
