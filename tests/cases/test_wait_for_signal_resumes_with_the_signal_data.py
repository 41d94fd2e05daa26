"""step.wait_for_signal: a sent signal resumes the waiting run with its data; without one it times out to None."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import inngest_lab as inngest
from inngest_lab.engine.model import HistoryKind
from tests.cases.helpers import current, history_kinds, started_run


async def test_a_signal_resumes_the_run_with_its_data(lab: inngest.Lab, client: inngest.Inngest) -> None:
    @client.create_function(fn_id="approval", trigger=inngest.TriggerEvent(event="app/request"))
    async def approval(ctx: inngest.Context) -> object:
        return await ctx.step.wait_for_signal("approve", signal="order-1", timeout=timedelta(hours=1))

    lab.serve(client, [approval])
    [event_id] = lab.send({"name": "app/request"})
    run = await started_run(lab, event_id)
    await lab.idle()
    assert await lab.send_signal("order-2", {"ok": True}) is None  # nothing waits for another name

    assert await lab.send_signal("order-1", {"ok": True}) == run.run_id
    await lab.idle()

    done = await current(lab, run.run_id)
    assert done.status is inngest.RunStatus.COMPLETED
    assert done.output == {"signal": "order-1", "data": {"ok": True}}
    assert await lab.send_signal("order-1", {"again": True}) is None  # consumed: a second signal finds nothing


async def test_without_a_signal_the_wait_times_out_to_none(lab: inngest.Lab, client: inngest.Inngest) -> None:
    @client.create_function(fn_id="late", trigger=inngest.TriggerEvent(event="app/request"))
    async def late(ctx: inngest.Context) -> bool:
        got = await ctx.step.wait_for_signal("approve", signal="order-9", timeout=timedelta(minutes=5))
        return got is None

    lab.serve(client, [late])
    [event_id] = lab.send({"name": "app/request"})
    run = await started_run(lab, event_id)
    await lab.advance(minutes=5)

    done = await current(lab, run.run_id)
    assert done.status is inngest.RunStatus.COMPLETED and done.output is True
    assert HistoryKind.STEP_TIMED_OUT in await history_kinds(lab, run.run_id)
    assert await lab.send_signal("order-9") is None


async def test_fail_mode_fails_the_second_waiter_and_replace_takes_the_signal(
    lab: inngest.Lab, client: inngest.Inngest
) -> None:
    @client.create_function(fn_id="waiter", trigger=inngest.TriggerEvent(event="app/wait"))
    async def waiter(ctx: inngest.Context) -> object:
        mode = str(ctx.event.data["mode"])
        return await ctx.step.wait_for_signal("w", signal="shared", timeout=timedelta(hours=1), on_conflict=mode)

    lab.serve(client, [waiter])
    first = await started_run(lab, lab.send({"name": "app/wait", "data": {"mode": "fail"}})[0])
    await lab.idle()
    second = await started_run(lab, lab.send({"name": "app/wait", "data": {"mode": "fail"}})[0])
    await lab.idle()

    failed = await current(lab, second.run_id)
    assert failed.status is inngest.RunStatus.FAILED
    assert failed.error == {"name": "Error", "message": "Signal conflict; signal wait already exists for another run"}

    third = await started_run(lab, lab.send({"name": "app/wait", "data": {"mode": "replace"}})[0])
    await lab.idle()
    assert await lab.send_signal("shared", 3) == third.run_id
    await lab.idle()
    assert (await current(lab, third.run_id)).output == {"signal": "shared", "data": 3}
    assert (await current(lab, first.run_id)).status is inngest.RunStatus.RUNNING  # displaced: waits for its timeout
    await lab.advance(hours=1)
    assert (await current(lab, first.run_id)).output is None


async def test_two_senders_racing_for_one_wait_resume_it_once_and_one_gets_nothing(
    lab: inngest.Lab, client: inngest.Inngest
) -> None:
    @client.create_function(fn_id="once", trigger=inngest.TriggerEvent(event="app/once"))
    async def once(ctx: inngest.Context) -> object:
        return await ctx.step.wait_for_signal("w", signal="race", timeout=timedelta(hours=1))

    lab.serve(client, [once])
    run = await started_run(lab, lab.send({"name": "app/once"})[0])
    await lab.idle()

    answers = await asyncio.gather(*(lab.send_signal("race", n) for n in range(4)))
    await lab.idle()

    assert (answers.count(run.run_id), answers.count(None)) == (1, 3)
    done = await current(lab, run.run_id)
    assert done.output == {"signal": "race", "data": answers.index(run.run_id)}
