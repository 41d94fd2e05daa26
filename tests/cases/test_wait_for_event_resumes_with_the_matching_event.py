"""wait_for_event: an event that matches the ``if_exp`` resumes the run with the whole event; others do not."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import inngest_lab as inngest
from inngest_lab.engine.model import HistoryKind
from tests.cases.helpers import current, history_kinds, started_run


def _waiter(client: inngest.Inngest) -> inngest.Function[Any]:
    @client.create_function(fn_id="waiter", trigger=inngest.TriggerEvent(event="app/order.created"))
    async def waiter(ctx: inngest.Context) -> dict[str, Any] | None:
        paid = await ctx.step.wait_for_event(
            "paid", event="app/order.paid", if_exp="async.data.id == event.data.id", timeout=timedelta(hours=1)
        )
        return None if paid is None else {"name": paid.name, "id": paid.id, "data": dict(paid.data), "ts": paid.ts}

    return waiter


async def test_matching_event_resumes_the_wait_with_the_whole_event(lab: inngest.Lab, client: inngest.Inngest) -> None:
    lab.serve(client, [_waiter(client)])
    [event_id] = lab.send({"name": "app/order.created", "data": {"id": "o1"}})
    run = await started_run(lab, event_id)
    assert HistoryKind.STEP_WAITING in await history_kinds(lab, run.run_id)

    lab.send({"name": "app/order.paid", "data": {"id": "o1", "amount": 42}, "id": "pay-1", "ts": 1_767_000_000_000})
    [done] = await lab.wait(run.run_id)
    assert done.status is inngest.RunStatus.COMPLETED
    assert done.output == {
        "name": "app/order.paid",
        "id": "pay-1",
        "data": {"id": "o1", "amount": 42},
        "ts": 1_767_000_000_000,
    }


async def test_event_for_another_order_does_not_resume_the_wait(lab: inngest.Lab, client: inngest.Inngest) -> None:
    lab.serve(client, [_waiter(client)])
    [event_id] = lab.send({"name": "app/order.created", "data": {"id": "o1"}})
    run = await started_run(lab, event_id)

    lab.send({"name": "app/order.paid", "data": {"id": "o2"}})
    lab.send({"name": "app/order.refunded", "data": {"id": "o1"}})
    await lab.idle()
    assert (await current(lab, run.run_id)).status is inngest.RunStatus.RUNNING

    lab.send({"name": "app/order.paid", "data": {"id": "o1"}})
    [done] = await lab.wait(run.run_id)
    assert done.status is inngest.RunStatus.COMPLETED
    assert done.output["data"] == {"id": "o1"}
