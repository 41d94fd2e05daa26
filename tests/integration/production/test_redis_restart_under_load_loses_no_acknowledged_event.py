"""A Redis restart under load: two server processes keep working across it and lose nothing acknowledged.

Redis runs with its append-only file fsynced on every write (``appendfsync always``), as a deployment that
must not lose acknowledged work does. While 150 ``prod/chain`` events are sent over 6 s to both servers,
Redis is killed (``kill -9``) 2 s in and started again on its port 1 s later. The servers reconnect by
themselves; every event the Event API acknowledged (HTTP 200) gets exactly one run, and every run completes.
Events refused during the outage are the client's to resend: they are counted and printed.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest

from tests.integration.production.conftest import Deployment, chain_load_across, outage
from tests.services import RedisServer

RUNS = 150
SEND_S = 6.0


@pytest.mark.timeout(120)
async def test_every_acknowledged_event_gets_its_run_across_a_redis_restart(
    make_deployment: Callable[[str, str], Deployment],
    make_redis_server: Callable[..., RedisServer],
    postgres_uri: str,
) -> None:
    redis = make_redis_server(aof=True, appendfsync="always")
    deployment = make_deployment(postgres_uri, redis.uri())
    await deployment.start(2, {"NAP_MS": "300"})

    acked, runs = await chain_load_across(deployment, outage(redis), runs=RUNS, send_s=SEND_S)
    print(f"\nredis restart: {len(acked)} of {RUNS} events acknowledged, {len(runs)} runs, all completed")
    assert len(runs) >= len(acked) > 0
