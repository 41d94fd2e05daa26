"""A step held back by a concurrency limit says so in its run's history: since when, for which key."""

from __future__ import annotations

from typing import Any

import pytest

import inngest_lab as inngest
from inngest_lab.engine.model import HistoryKind
from inngest_lab.executor.clock import FakeClock
from tests.cases.flow.gates import Gates
from tests.cases.helpers import history


@pytest.fixture(params=["sqlite"])
def lab_store(request: pytest.FixtureRequest) -> str:
    """This scenario pins the single-process queue's exact order: which waiting key goes next (keys take turns)
    and the order in which steps leased together start. Postgres + Redis holds the same limits with FIFO
    backlogs per key, but neither order (docs/architecture/production.md, known differences); the limits
    themselves are tested across processes in tests/integration/production."""
    return str(request.param)


async def test_the_waiting_run_records_how_long_it_waited_for_its_key(
    lab: inngest.Lab, client: inngest.Inngest, gates: Gates
) -> None:
    @client.create_function(
        fn_id="report",
        trigger=inngest.TriggerEvent(event="app/report"),
        concurrency=[inngest.Concurrency(limit=1, key="event.data.team")],
    )
    async def report(ctx: inngest.Context) -> Any:
        return await ctx.step.run("build", gates.work, ctx.event.data["n"])

    lab.serve(client, [report])
    [first] = await lab.send_async([{"name": "app/report", "data": {"team": "red", "n": "first"}}])
    [second] = await lab.send_async([{"name": "app/report", "data": {"team": "red", "n": "second"}}])
    await gates.quiesce(lab)
    clock = lab.clock
    assert isinstance(clock, FakeClock)
    queued_at = clock.now_ms()
    clock.advance(5_000)
    gates.open("first", "second")
    [waited] = await lab.wait(second)
    [ran_at_once] = await lab.wait(first)

    [delay] = [e for e in await history(lab, waited.run_id) if e.kind is HistoryKind.FLOW_DELAYED]
    assert delay.data["reason"] == "concurrency"
    assert delay.data["key"].endswith(":red")
    assert delay.data["limit"] == 1
    assert delay.data["since_ms"] == queued_at
    assert delay.data["waited_ms"] == 5_000
    assert HistoryKind.FLOW_DELAYED not in [e.kind for e in await history(lab, ran_at_once.run_id)]
