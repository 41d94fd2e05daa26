"""``def fn(ctx)`` functions get the same step semantics: send_event, sleep, wait_for_event and invoke."""

from __future__ import annotations

from datetime import timedelta

import inngest_lab as inngest
from tests.cases.helpers import current, started_run


async def test_sync_send_event_from_a_worker_thread_triggers_functions(
    lab: inngest.Lab, client: inngest.Inngest
) -> None:
    @client.create_function(fn_id="sender", trigger=inngest.TriggerEvent(event="app/start"))
    def sender(ctx: inngest.ContextSync) -> list[str]:
        return ctx.step.send_event("send", inngest.Event(name="app/next", data={"k": 1}))

    @client.create_function(fn_id="receiver", trigger=inngest.TriggerEvent(event="app/next"))
    def receiver(ctx: inngest.ContextSync) -> int:
        return int(ctx.event.data["k"]) + 1

    lab.serve(client, [sender, receiver])
    [event_id] = lab.send({"name": "app/start"})
    [run] = await lab.wait(event_id, timeout=5)
    assert run.status is inngest.RunStatus.COMPLETED
    [next_id] = run.output
    [child] = await lab.wait(next_id, timeout=5)
    assert child.output == 2


async def test_sync_sleep_wait_and_invoke(lab: inngest.Lab, client: inngest.Inngest) -> None:
    @client.create_function(fn_id="child", trigger=inngest.TriggerEvent(event="app/never"))
    def child(ctx: inngest.ContextSync) -> str:
        return f"child saw {ctx.event.data['x']}"

    @client.create_function(fn_id="parent", trigger=inngest.TriggerEvent(event="app/start"))
    def parent(ctx: inngest.ContextSync) -> list[str]:
        ctx.step.sleep("nap", timedelta(minutes=1))
        got = ctx.step.wait_for_event("ping", event="app/ping", timeout=timedelta(hours=1))
        invoked = ctx.step.invoke("call", function=child, data={"x": "y"})
        return [got.name if got else "none", invoked]

    lab.serve(client, [child, parent])
    [event_id] = lab.send({"name": "app/start"})
    run = await started_run(lab, event_id)
    await lab.advance(minutes=1)
    lab.send({"name": "app/ping"})
    await lab.idle()
    done = await current(lab, run.run_id)
    assert done.status is inngest.RunStatus.COMPLETED
    assert done.output == ["app/ping", "child saw y"]
