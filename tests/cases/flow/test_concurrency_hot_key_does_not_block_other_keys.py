"""A keyed limit is per key: a busy key's backlog never holds up another key, and each key is FIFO."""

from __future__ import annotations

from typing import Any

import pytest

import inngest_lab as inngest
from tests.cases.flow.gates import Gates, send_apart


@pytest.fixture(params=["sqlite"])
def lab_store(request: pytest.FixtureRequest) -> str:
    """This scenario pins the single-process queue's exact order: which waiting key goes next (keys take turns)
    and the order in which steps leased together start. Postgres + Redis holds the same limits with FIFO
    backlogs per key, but neither order (docs/architecture/production.md, known differences); the limits
    themselves are tested across processes in tests/integration/production."""
    return str(request.param)


async def test_a_key_at_its_limit_does_not_delay_runs_of_other_keys(
    lab: inngest.Lab, client: inngest.Inngest, gates: Gates
) -> None:
    @client.create_function(
        fn_id="sync-contacts",
        trigger=inngest.TriggerEvent(event="crm/sync"),
        concurrency=[inngest.Concurrency(limit=1, key="event.data.account")],
    )
    async def sync_contacts(ctx: inngest.Context) -> Any:
        return await ctx.step.run("sync", gates.work, f"{ctx.event.data['account']}{ctx.event.data['n']}")

    lab.serve(client, [sync_contacts])
    hot = [{"name": "crm/sync", "data": {"account": "hot", "n": n}} for n in range(1, 5)]
    await send_apart(lab, [*hot, {"name": "crm/sync", "data": {"account": "cold", "n": 1}}])
    await gates.quiesce(lab)
    assert gates.executing == ["hot1", "cold1"]  # cold1 started after the hot key's whole backlog

    gates.open("cold1", "hot1")
    await gates.quiesce(lab)
    assert gates.executing == ["hot2"]
    gates.open("hot2", "hot3")
    await gates.quiesce(lab)
    assert gates.executing == ["hot4"]
    gates.open("hot4")
    await lab.idle()
    assert gates.started == ["hot1", "cold1", "hot2", "hot3", "hot4"]
