"""A concurrency limit of N lets at most N steps of the function execute at once; the rest wait in order."""

from __future__ import annotations

from typing import Any

import pytest

import inngest_lab as inngest
from inngest_lab.protocol.consts import RunStatus
from tests.cases.flow.gates import Gates, send_apart


@pytest.fixture(params=["sqlite"])
def lab_store(request: pytest.FixtureRequest) -> str:
    """This scenario pins the single-process queue's exact order: which waiting key goes next (keys take turns)
    and the order in which steps leased together start. Postgres + Redis holds the same limits with FIFO
    backlogs per key, but neither order (docs/architecture/production.md, known differences); the limits
    themselves are tested across processes in tests/integration/production."""
    return str(request.param)


async def test_at_most_the_limit_execute_and_the_rest_start_in_the_order_their_runs_started(
    lab: inngest.Lab, client: inngest.Inngest, gates: Gates
) -> None:
    @client.create_function(
        fn_id="import",
        trigger=inngest.TriggerEvent(event="app/import"),
        concurrency=[inngest.Concurrency(limit=2)],
    )
    async def import_file(ctx: inngest.Context) -> Any:
        return await ctx.step.run("work", gates.work, ctx.event.data["name"])

    lab.serve(client, [import_file])
    await send_apart(lab, [{"name": "app/import", "data": {"name": name}} for name in "abcde"])
    await gates.quiesce(lab)
    assert gates.executing == ["a", "b"]

    gates.open("b")
    await gates.quiesce(lab)
    assert gates.executing == ["a", "c"]

    gates.open("a", "c", "d", "e")
    await lab.idle()
    assert gates.started == ["a", "b", "c", "d", "e"]
    assert gates.peak == 2
    assert all(r.status is RunStatus.COMPLETED for r in await lab.runs())
