"""``priority.run`` moves a run ahead of work queued up to that many seconds earlier (clamped to ±12 h)."""

from __future__ import annotations

from typing import Any

import inngest_lab as inngest
from tests.cases.flow.gates import Gates, send_apart


async def test_a_high_priority_run_starts_before_runs_queued_earlier(
    lab: inngest.Lab, client: inngest.Inngest, gates: Gates
) -> None:
    @client.create_function(
        fn_id="support",
        trigger=inngest.TriggerEvent(event="app/ticket"),
        concurrency=[inngest.Concurrency(limit=1)],  # one at a time, so the queue order shows
        priority=inngest.Priority(run="event.data.plan == 'enterprise' ? 120 : 0"),
    )
    async def support(ctx: inngest.Context) -> Any:
        return await ctx.step.run("answer", gates.work, ctx.event.data["who"])

    lab.serve(client, [support])
    lab.engine.lease_ms = 24 * 3_600_000  # virtual minutes pass while a gated step executes; keep its lease
    tickets = [("free", "f1"), ("free", "f2"), ("free", "f3"), ("enterprise", "e1")]
    await send_apart(lab, [{"name": "app/ticket", "data": {"plan": p, "who": w}} for p, w in tickets], apart_ms=30_000)
    await gates.quiesce(lab)
    assert gates.executing == ["f1"]

    gates.open_all()
    await lab.idle()
    # e1 was queued 60 s after f2 and 30 s after f3, with 120 s of priority: it goes before both
    assert gates.started == ["f1", "e1", "f2", "f3"]


async def test_priority_only_covers_its_number_of_seconds(
    lab: inngest.Lab, client: inngest.Inngest, gates: Gates
) -> None:
    @client.create_function(
        fn_id="support",
        trigger=inngest.TriggerEvent(event="app/ticket"),
        concurrency=[inngest.Concurrency(limit=1)],
        priority=inngest.Priority(run="event.data.boost"),
    )
    async def support(ctx: inngest.Context) -> Any:
        return await ctx.step.run("answer", gates.work, ctx.event.data["who"])

    lab.serve(client, [support])
    lab.engine.lease_ms = 24 * 3_600_000  # virtual minutes pass while a gated step executes; keep its lease
    tickets = [(0, "a"), (0, "b"), (0, "c"), (45, "d"), (-90, "e"), (0, "f")]
    await send_apart(lab, [{"name": "app/ticket", "data": {"boost": n, "who": w}} for n, w in tickets], apart_ms=30_000)
    await gates.quiesce(lab)
    gates.open_all()
    await lab.idle()
    # d (t=90 s, +45) goes before c (t=60 s) but not b (t=30 s); e (t=120 s, -90) goes after f (t=150 s)
    assert gates.started == ["a", "b", "d", "c", "f", "e"]
