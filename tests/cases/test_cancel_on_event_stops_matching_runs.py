"""``cancel=[Cancel(event, if_exp)]``: a later matching event cancels the run; non-matching events do not."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import inngest_lab as inngest
from tests.cases.helpers import current, started_run


def _reminder(client: inngest.Inngest, steps: list[str]) -> inngest.Function[Any]:
    @client.create_function(
        fn_id="reminder",
        trigger=inngest.TriggerEvent(event="app/signup"),
        cancel=[inngest.Cancel(event="app/unsubscribed", if_exp="async.data.id == event.data.id")],
    )
    async def reminder(ctx: inngest.Context) -> str:
        await ctx.step.sleep("wait", timedelta(days=1))
        await ctx.step.run("remind", lambda: steps.append(ctx.event.data["id"]))
        return "reminded"

    return reminder


async def test_matching_cancel_event_cancels_the_run(lab: inngest.Lab, client: inngest.Inngest) -> None:
    steps: list[str] = []
    lab.serve(client, [_reminder(client, steps)])
    [event_id] = lab.send({"name": "app/signup", "data": {"id": "u1"}})
    run = await started_run(lab, event_id)

    lab.send({"name": "app/unsubscribed", "data": {"id": "u1"}})
    await lab.idle()
    cancelled = await current(lab, run.run_id)
    assert cancelled.status is inngest.RunStatus.CANCELLED
    assert cancelled.error["name"] == "FunctionCancelledError"
    await lab.advance(days=2)
    assert steps == []


async def test_cancel_event_for_another_user_leaves_the_run_alone(lab: inngest.Lab, client: inngest.Inngest) -> None:
    steps: list[str] = []
    lab.serve(client, [_reminder(client, steps)])
    [u1, u2] = lab.send([{"name": "app/signup", "data": {"id": "u1"}}, {"name": "app/signup", "data": {"id": "u2"}}])
    run1, run2 = await started_run(lab, u1), await started_run(lab, u2)

    lab.send({"name": "app/unsubscribed", "data": {"id": "u2"}})
    await lab.advance(days=1)
    assert (await current(lab, run1.run_id)).status is inngest.RunStatus.COMPLETED
    assert (await current(lab, run2.run_id)).status is inngest.RunStatus.CANCELLED
    assert steps == ["u1"]


async def test_cancel_event_sent_before_the_run_started_does_not_cancel_it(
    lab: inngest.Lab, client: inngest.Inngest
) -> None:
    steps: list[str] = []
    lab.serve(client, [_reminder(client, steps)])
    lab.send({"name": "app/unsubscribed", "data": {"id": "u1"}})
    await lab.idle()
    [event_id] = lab.send({"name": "app/signup", "data": {"id": "u1"}})
    run = await started_run(lab, event_id)
    await lab.advance(days=1)
    assert (await current(lab, run.run_id)).status is inngest.RunStatus.COMPLETED


async def test_cancel_event_after_the_cancel_timeout_is_ignored(lab: inngest.Lab, client: inngest.Inngest) -> None:
    @client.create_function(
        fn_id="windowed",
        trigger=inngest.TriggerEvent(event="app/signup"),
        cancel=[inngest.Cancel(event="app/unsubscribed", timeout=timedelta(minutes=10))],
    )
    async def windowed(ctx: inngest.Context) -> str:
        await ctx.step.sleep("wait", timedelta(hours=1))
        return "finished"

    lab.serve(client, [windowed])
    [event_id] = lab.send({"name": "app/signup", "data": {"id": "u1"}})
    run = await started_run(lab, event_id)
    await lab.advance(minutes=11)
    lab.send({"name": "app/unsubscribed", "data": {"id": "u1"}})
    await lab.advance(hours=1)
    done = await current(lab, run.run_id)
    assert done.status is inngest.RunStatus.COMPLETED and done.output == "finished"
