"""A Postgres restart under load: two server processes keep working across it and lose nothing acknowledged.

Postgres runs with ``synchronous_commit=on``, so a commit it acknowledged survives its crash. While 150
``prod/chain`` events are sent over 6 s to both servers, Postgres is killed (``kill -9``, the postmaster and
its backends) 2 s in and started again on its port 1 s later (crash recovery). The servers reconnect by
themselves (the outbox keeps the rows in Redis until Postgres takes them); every event the Event API
acknowledged gets exactly one run, and every run completes and is readable from Postgres.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest

from tests.integration.production.conftest import Deployment, chain_load_across, outage
from tests.services import PostgresServer

RUNS = 150
SEND_S = 6.0


@pytest.mark.timeout(120)
async def test_every_acknowledged_event_gets_its_run_across_a_postgres_restart(
    make_deployment: Callable[[str, str], Deployment],
    make_postgres_server: Callable[..., PostgresServer],
    redis_uri: str,
) -> None:
    postgres = make_postgres_server(synchronous_commit=True)
    deployment = make_deployment(postgres.create_database(), redis_uri)
    await deployment.start(2, {"NAP_MS": "300"})

    acked, runs = await chain_load_across(deployment, outage(postgres), runs=RUNS, send_s=SEND_S)
    print(f"\npostgres restart: {len(acked)} of {RUNS} events acknowledged, {len(runs)} runs, all completed")
    assert len(runs) >= len(acked) > 0
