"""Invoking a function id nobody registered fails the invoke step with FunctionNotFoundError."""

from __future__ import annotations

import inngest_lab as inngest


async def test_invoking_an_unknown_function_raises_step_error(lab: inngest.Lab, client: inngest.Inngest) -> None:
    @client.create_function(fn_id="parent", trigger=inngest.TriggerEvent(event="app/parent"))
    async def parent(ctx: inngest.Context) -> dict[str, str]:
        try:
            await ctx.step.invoke_by_id("call-ghost", function_id="ghost")
        except inngest.StepError as err:
            return {"name": err.name, "message": err.message}
        return {}

    lab.serve(client, [parent])
    [event_id] = lab.send({"name": "app/parent"})
    [run] = await lab.wait(event_id)
    assert run.status is inngest.RunStatus.COMPLETED
    assert run.output["name"] == "FunctionNotFoundError"
    assert "app-ghost" in run.output["message"]


async def test_uncaught_unknown_invoke_fails_the_run(lab: inngest.Lab, client: inngest.Inngest) -> None:
    @client.create_function(fn_id="parent", trigger=inngest.TriggerEvent(event="app/parent"))
    async def parent(ctx: inngest.Context) -> None:
        await ctx.step.invoke_by_id("call-ghost", app_id="other-app", function_id="ghost")

    lab.serve(client, [parent])
    [event_id] = lab.send({"name": "app/parent"})
    [run] = await lab.wait(event_id)
    assert run.status is inngest.RunStatus.FAILED
    assert run.error["name"] == "FunctionNotFoundError"
