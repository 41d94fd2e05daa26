"""When the invoked child fails, the parent's step.invoke raises StepError carrying the child's error."""

from __future__ import annotations

import inngest_lab as inngest


async def test_child_failure_raises_step_error_in_the_parent(lab: inngest.Lab, client: inngest.Inngest) -> None:
    @client.create_function(fn_id="broken", trigger=inngest.TriggerEvent(event="app/never"), retries=0)
    async def broken(ctx: inngest.Context) -> None:
        raise ValueError("child exploded")

    @client.create_function(fn_id="parent", trigger=inngest.TriggerEvent(event="app/parent"))
    async def parent(ctx: inngest.Context) -> dict[str, str]:
        try:
            await ctx.step.invoke("call-broken", function=broken)
        except inngest.StepError as err:
            return {"name": err.name, "message": err.message}
        return {}

    lab.serve(client, [broken, parent])
    [event_id] = lab.send({"name": "app/parent"})
    [run] = await lab.wait(event_id)
    assert run.status is inngest.RunStatus.COMPLETED
    assert run.output == {"name": "ValueError", "message": "child exploded"}


async def test_uncaught_child_failure_fails_the_parent(lab: inngest.Lab, client: inngest.Inngest) -> None:
    @client.create_function(fn_id="broken", trigger=inngest.TriggerEvent(event="app/never"), retries=0)
    async def broken(ctx: inngest.Context) -> None:
        raise inngest.NonRetriableError("no way")

    @client.create_function(fn_id="parent", trigger=inngest.TriggerEvent(event="app/parent"))
    async def parent(ctx: inngest.Context) -> None:
        await ctx.step.invoke("call-broken", function=broken)

    lab.serve(client, [broken, parent])
    [event_id] = lab.send({"name": "app/parent"})
    [run] = await lab.wait(event_id)
    assert run.status is inngest.RunStatus.FAILED
    assert run.error["message"] == "no way"
