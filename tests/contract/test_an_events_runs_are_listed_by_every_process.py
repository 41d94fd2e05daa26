"""The runs an event started (``list_runs(event_id=...)``, what ``GET /v1/events/{id}/runs`` answers) are listed
by every process of a Postgres + Redis deployment, whichever process stored the event or started the run, and a
run stays listed, at every moment, while it finishes and moves from Redis to Postgres.

The process that stored an event answers from memory and Redis (``store/redis_pg/event_runs.py``); the others
from Postgres. Both must give the same answer."""

from __future__ import annotations

import asyncio
from dataclasses import replace

from inngest_lab.engine.model import EventRecord, Run, SaveRun, StoreEvent
from inngest_lab.protocol.consts import RunStatus
from inngest_lab.store.redis_pg import RedisPgStore

from .records import a_run

EVENT = EventRecord("evt-x", {"name": "test/go", "data": {}}, 1_000)


async def listed(store: RedisPgStore, event_id: str = EVENT.internal_id) -> list[tuple[str, RunStatus]]:
    return [(run.run_id, run.status) for run in await store.list_runs(event_id=event_id)]


async def until_listed(store: RedisPgStore, expected: list[tuple[str, RunStatus]], timeout_s: float = 5.0) -> None:
    deadline = asyncio.get_running_loop().time() + timeout_s
    while (found := await listed(store)) != expected:
        assert asyncio.get_running_loop().time() < deadline, f"listed {found}, expected {expected}"
        await asyncio.sleep(0.005)


async def until_gone_from_redis(store: RedisPgStore, run_id: str, check: list[tuple[str, RunStatus]]) -> None:
    """Wait for the outbox to move ``run_id`` to Postgres, checking the listing all along."""
    deadline = asyncio.get_running_loop().time() + 10
    while await store.hot.runs([run_id]):
        assert await listed(store) == check
        assert asyncio.get_running_loop().time() < deadline, "the outbox never moved the finished run"
        await asyncio.sleep(0.002)


def ended(run: Run) -> Run:
    return replace(run, status=RunStatus.COMPLETED, started_at_ms=1_100, ended_at_ms=1_200, output=45)


async def test_runs_another_process_starts_for_an_event_are_listed_everywhere(
    pair: tuple[RedisPgStore, RedisPgStore],
) -> None:
    stored_it, other = pair
    await stored_it.apply([StoreEvent(EVENT), SaveRun(a_run("first", created_at_ms=1_000, event_ids=("evt-x",)))])
    assert await listed(stored_it) == [("first", RunStatus.RUNNING)]

    # a run for the same event started by the other process (a rerun, a batch or a debounce firing there)
    await other.apply([SaveRun(a_run("second", created_at_ms=2_000, event_ids=("evt-x",)))])

    both = [("second", RunStatus.RUNNING), ("first", RunStatus.RUNNING)]  # newest first
    await until_listed(stored_it, both)
    await until_listed(other, both)


async def test_a_run_finished_by_a_blind_write_stays_listed_while_it_moves_to_postgres(
    pair: tuple[RedisPgStore, RedisPgStore],
) -> None:
    stored_it, other = pair
    run = a_run("r", event_ids=("evt-x",))
    await stored_it.apply([StoreEvent(EVENT), SaveRun(run)])
    await stored_it.apply([SaveRun(ended(run))])

    done = [("r", RunStatus.COMPLETED)]
    await until_gone_from_redis(stored_it, "r", done)
    assert await listed(stored_it) == done  # now from Postgres
    assert await listed(other) == done
    assert (await stored_it.list_runs(event_id="evt-x"))[0].output == 45


async def test_a_run_finished_by_a_decision_stays_listed_while_it_moves_to_postgres(
    pair: tuple[RedisPgStore, RedisPgStore],
) -> None:
    stored_it, other = pair
    run = a_run("r", event_ids=("evt-x",))
    await stored_it.apply([StoreEvent(EVENT), SaveRun(run)])
    await stored_it.transact("r", lambda latest: [SaveRun(ended(latest or run))])

    done = [("r", RunStatus.COMPLETED)]
    await until_gone_from_redis(stored_it, "r", done)
    assert await listed(stored_it) == done  # the finished run as this process last saw it
    assert await stored_it.load_run("r") == (await other.list_runs(event_id="evt-x"))[0]


async def test_an_event_without_runs_is_answered_as_before(pair: tuple[RedisPgStore, RedisPgStore]) -> None:
    stored_it, _ = pair
    await stored_it.apply([StoreEvent(EVENT)])
    assert await listed(stored_it) == []
    assert await listed(stored_it, "no-such-event") == []
