"""Flow control across processes: a concurrency limit of 2 on one key holds when three server processes
(one Postgres, one Redis) share the runs. The app's step logs its start and end times; at no instant do
more than 2 of them overlap, and the limit is actually reached (2 at once), so the test is not vacuous.
"""

from __future__ import annotations

import asyncio

from inngest_lab.protocol.consts import RunStatus
from tests.integration.production.conftest import Deployment, max_overlap

RUNS = 12
HOLD_MS = 300


async def test_no_more_than_two_runs_of_one_key_execute_at_once_across_three_processes(
    deployment: Deployment,
) -> None:
    await deployment.start(3, {"HOLD_MS": str(HOLD_MS)})
    servers = deployment.servers

    await asyncio.gather(
        *(
            deployment.send_somewhere("prod/limited", {"n": n, "key": "shared"}, first=n % len(servers))
            for n in range(RUNS)
        )
    )
    runs = await deployment.all_ended("prod-limited", RUNS, timeout=30)

    assert {r["status"] for r in runs} == {RunStatus.COMPLETED.value}, deployment.logs()
    assert len(runs) == RUNS
    starts: dict[int, float] = {}
    ends: dict[int, float] = {}
    for line in deployment.step_lines():
        what, n, at = line.split()
        (starts if what == "start" else ends)[int(n)] = float(at)
    assert sorted(starts) == sorted(ends) == list(range(RUNS)), "each step executed exactly once"
    overlap = max_overlap([(starts[n], ends[n]) for n in range(RUNS)])
    print(f"\nmax concurrent executions of key 'shared': {overlap} (limit 2), over {RUNS} runs on 3 processes")
    assert overlap == 2
