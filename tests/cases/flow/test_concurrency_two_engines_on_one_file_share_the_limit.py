"""Two engines (as two processes would) on one SQLite file share a concurrency limit: together they never run
more steps at once than the limit, because slots are confirmed in the file, not in either engine's memory."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

import inngest_lab as inngest
from inngest_lab.executor.clock import FakeClock
from inngest_lab.protocol.consts import RunStatus
from inngest_lab.store.sqlite import SLOT_RETRY_MS
from tests.cases.flow.gates import Gates


@pytest.fixture
async def labs(tmp_path: Path) -> AsyncIterator[tuple[inngest.Lab, inngest.Lab]]:
    clock = FakeClock()  # one virtual time for both, as two processes share the wall clock
    first, second = inngest.Lab(tmp_path / "lab.db", clock=clock), inngest.Lab(tmp_path / "lab.db", clock=clock)
    await first.start()
    await second.start()
    try:
        yield first, second
    finally:
        await second.close()
        await first.close()


async def test_steps_of_both_engines_together_stay_within_the_limit(
    labs: tuple[inngest.Lab, inngest.Lab], gates: Gates
) -> None:
    a, b = labs
    for lab in labs:
        client = inngest.Inngest(app_id="app", is_production=False)

        @client.create_function(
            fn_id="export",
            trigger=inngest.TriggerEvent(event="app/export"),
            concurrency=[inngest.Concurrency(limit=2, key='"warehouse"', scope="account")],
        )
        async def export(ctx: inngest.Context) -> Any:
            return await ctx.step.run("copy", gates.work, ctx.event.data["name"])

        lab.serve(client, [export])
    clock = a.clock
    assert isinstance(clock, FakeClock)

    await a.send_async([{"name": "app/export", "data": {"name": n}} for n in ("a1", "a2")])
    await gates.quiesce(a, b, until=lambda: len(gates.executing) == 2)
    await b.send_async([{"name": "app/export", "data": {"name": n}} for n in ("b1", "b2")])
    for _ in range(3):  # b keeps asking the file for a slot, and keeps being refused
        clock.advance(SLOT_RETRY_MS)
        await gates.quiesce(a, b)
    assert sorted(gates.executing) == ["a1", "a2"]

    gates.open("a1", "a2")
    for _ in range(3):
        clock.advance(SLOT_RETRY_MS)
        await gates.quiesce(a, b)
    assert sorted(gates.executing) == ["b1", "b2"]

    gates.open_all()
    for _ in range(5):
        clock.advance(SLOT_RETRY_MS)
        await a.idle()
        await b.idle()
    assert gates.peak == 2
    runs = await a.runs()
    assert sorted(r.output for r in runs) == ["a1", "a2", "b1", "b2"]
    assert all(r.status is RunStatus.COMPLETED for r in runs)
