"""Production mode: two ``inngest-lab start`` processes on one Postgres + Redis. Events go to both in turn, so
either process dispatches a run, while TS sends every checkpoint to the first (its ``INNGEST_BASE_URL``): a run
dispatched by one process is checkpointed through the other, and the dispatching process sees those steps (and
the extended lease) when the call's final ``RunComplete`` arrives. Each run is one call, each step recorded once."""

from __future__ import annotations

import asyncio

from tests.integration.official.checkpointing import app_stats, completed_steps, ts
from tests.integration.official.harness import Target

RUNS = 6


async def test_checkpointed_runs_complete_across_two_processes(start_pg_target: Target) -> None:
    target = ts(start_pg_target)
    runs = await asyncio.gather(*(target.run("quick-steps") for _ in range(RUNS)))

    for run in runs:
        assert run["status"] == "Completed", target.logs()
        assert run["output"] == 45
        assert (await app_stats(target, run["run_id"]))["calls"] == 1
        recorded = completed_steps(target, run["run_id"])
        assert len(recorded) == 10 and set(recorded.values()) == {1}, recorded
    first, second = (s.log.read_text() for s in target.stack.servers)
    assert first.count("POST /v1/checkpoint/") >= RUNS * 10, "every checkpoint reached the first process"
    assert "POST /v1/checkpoint/" not in second
