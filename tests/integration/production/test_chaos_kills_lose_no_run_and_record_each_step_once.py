"""Chaos: three server processes on one Postgres + one Redis, and ``kill -9`` of a random one every 2 s.

500 runs of ``prod-chain`` (five ``step.run`` steps and a 300 ms sleep) are sent over the first 20 s, round
robin to the three servers (to the next one when a server is down). For 30 s, every 2 s, one server at
random is killed with SIGKILL and started again on its port at once. With ``--queue-lease 2`` the dead
process's leases come back 2 s later and another process takes its work.

Then: every run completes with the right output, and every acknowledged event has exactly one run; each
step's result is recorded once in the run's history (one ``step.completed`` per step); and the steps the
app executed more than once (a call in flight when its server died, whose answer nobody recorded) are
counted, printed, and bounded by the calls that could be in flight at the kills: kills × ``--workers``.
"""

from __future__ import annotations

import asyncio
import random
import time
from collections import Counter

import pytest

from inngest_lab.protocol.consts import RunStatus
from tests.integration.production.app import STEPS
from tests.integration.production.conftest import Deployment

RUNS = 500
SEND_S = 20.0
CHAOS_S = 30.0
KILL_EVERY_S = 2.0
WORKERS = 8
SEED = 9


@pytest.mark.timeout(180)
async def test_runs_survive_a_random_server_killed_every_two_seconds(deployment: Deployment) -> None:
    await deployment.start(3, {"NAP_MS": "300"}, workers=WORKERS)
    servers = deployment.servers
    rng = random.Random(SEED)
    acked: dict[str, int] = {}  # event id -> n

    async def send_all() -> None:
        started = time.monotonic()
        for n in range(RUNS):
            await asyncio.sleep(max(0.0, started + n * SEND_S / RUNS - time.monotonic()))
            acked[await deployment.send_somewhere("prod/chain", {"n": n}, first=n)] = n

    kills: list[str] = []

    async def chaos() -> None:
        deadline = time.monotonic() + CHAOS_S
        while time.monotonic() < deadline:
            await asyncio.sleep(KILL_EVERY_S)
            victim = rng.choice(servers)
            victim.kill()
            kills.append(victim.name)
            victim.start()  # same port, same Postgres + Redis

    began = time.monotonic()
    await asyncio.gather(send_all(), chaos())
    await asyncio.gather(*(deployment.ready(s) for s in servers))
    runs = await deployment.all_ended("prod-chain", RUNS, timeout=90)
    elapsed = time.monotonic() - began

    # Every run completes, with the output its steps returned.
    bad = [r for r in runs if r["status"] != RunStatus.COMPLETED.value]
    assert not bad, f"{len(bad)} runs did not complete: {bad[:3]}\n{deployment.logs()}"
    for r in runs:
        n = r["events"][0]["data"]["n"]
        assert r["output"] == [f"{n}:{name}" for name in STEPS], r
    # Every acknowledged event has exactly one run; an unacknowledged send that a dying server had stored
    # anyway (and that we then sent again elsewhere) may add a run, which must complete like the others.
    per_event = Counter(
        event_id
        for (event_id,) in await deployment.query(
            "SELECT event_id FROM run_events WHERE event_id = ANY(%s)", (list(acked),)
        )
    )
    assert len(acked) == RUNS
    assert {e: per_event[e] for e in acked if per_event[e] != 1} == {}, "an acknowledged event lost or doubled its run"
    assert {r["events"][0]["data"]["n"] for r in runs} == set(range(RUNS))

    # Each step's result is recorded once.
    doubled = await deployment.query(
        "SELECT h.run_id, h.step_id, count(*) FROM history h JOIN runs r USING (run_id)"
        " WHERE r.fn_id = 'prod-chain' AND h.kind = 'step.completed' GROUP BY 1, 2 HAVING count(*) > 1"
    )
    assert doubled == [], f"step results recorded twice: {doubled[:5]}"
    [(completed,)] = await deployment.query(
        "SELECT count(*) FROM history h JOIN runs r USING (run_id)"
        " WHERE r.fn_id = 'prod-chain' AND h.kind = 'step.completed'"
    )
    assert completed == len(STEPS) * len(runs)

    # Steps executed again: at most one call per worker of each killed process was in flight.
    executions = Counter(deployment.step_lines())
    assert set(executions) == {f"{n}:{name}" for n in range(RUNS) for name in STEPS} | {
        f"{r['events'][0]['data']['n']}:{name}" for r in runs for name in STEPS
    }
    reexecuted = sum(count - 1 for count in executions.values())
    bound = len(kills) * WORKERS
    print(
        f"\nchaos: {RUNS} runs ({len(runs)} incl. re-sent events), {len(kills)} kills {Counter(kills)},"
        f" {sum(executions.values())} step executions for {len(STEPS) * len(runs)} steps:"
        f" {reexecuted} re-executed (bound: {len(kills)} kills x {WORKERS} workers = {bound}),"
        f" all done {elapsed:.1f}s after the first event"
    )
    assert reexecuted <= bound
