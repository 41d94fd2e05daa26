"""Concurrency counts executing steps, not runs: a run that sleeps or waits gives its slot to others."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import inngest_lab as inngest
from inngest_lab.protocol.consts import RunStatus
from tests.cases.flow.gates import Gates


async def test_a_sleeping_run_lets_another_run_execute_under_a_limit_of_one(
    lab: inngest.Lab, client: inngest.Inngest, gates: Gates
) -> None:
    @client.create_function(
        fn_id="nightly",
        trigger=inngest.TriggerEvent(event="app/nightly"),
        concurrency=[inngest.Concurrency(limit=1)],
    )
    async def nightly(ctx: inngest.Context) -> Any:
        name = ctx.event.data["name"]
        await ctx.step.run("before", gates.work, f"{name}-before")
        await ctx.step.sleep("rest", timedelta(hours=1))
        await ctx.step.wait_for_event("go", event="app/go", timeout=timedelta(hours=1))
        return await ctx.step.run("after", gates.work, f"{name}-after")

    lab.serve(client, [nightly])
    [first] = await lab.send_async([{"name": "app/nightly", "data": {"name": "a"}}])
    await lab.send_async([{"name": "app/nightly", "data": {"name": "b"}}])
    await gates.quiesce(lab)
    assert gates.executing == ["a-before"]

    gates.open("a-before")  # a goes to sleep: b may execute while it sleeps
    await gates.quiesce(lab)
    assert gates.executing == ["b-before"]
    gates.open("b-before")
    await lab.advance(hours=1)  # both now wait for app/go, holding nothing

    gates.open("a-after", "b-after")
    lab.send({"name": "app/go", "data": {}})
    [done] = await lab.wait(first)
    assert done.status is RunStatus.COMPLETED
    assert gates.peak == 1
