"""step.invoke starts the child function with the given data and returns the child's return value."""

from __future__ import annotations

import inngest_lab as inngest


async def test_invoke_returns_what_the_child_returned(lab: inngest.Lab, client: inngest.Inngest) -> None:
    @client.create_function(fn_id="double", trigger=inngest.TriggerEvent(event="app/never"))
    async def double(ctx: inngest.Context) -> int:
        return int(ctx.event.data["n"]) * 2

    @client.create_function(fn_id="parent", trigger=inngest.TriggerEvent(event="app/parent"))
    async def parent(ctx: inngest.Context) -> int:
        result: int = await ctx.step.invoke("call-double", function=double, data={"n": 21})
        return result + 1

    lab.serve(client, [double, parent])
    [event_id] = lab.send({"name": "app/parent"})
    [run] = await lab.wait(event_id)
    assert run.status is inngest.RunStatus.COMPLETED
    assert run.output == 43
    [child] = await lab.runs(fn_id="app-double")
    assert child.status is inngest.RunStatus.COMPLETED and child.output == 42
    assert child.event["name"] == "inngest/function.invoked"


async def test_invoke_of_a_child_returning_nothing_gives_none(lab: inngest.Lab, client: inngest.Inngest) -> None:
    @client.create_function(fn_id="quiet", trigger=inngest.TriggerEvent(event="app/never"))
    async def quiet(ctx: inngest.Context) -> None:
        return None

    @client.create_function(fn_id="parent", trigger=inngest.TriggerEvent(event="app/parent"))
    async def parent(ctx: inngest.Context) -> str:
        result = await ctx.step.invoke_by_id("call-quiet", function_id="quiet")
        return repr(result)

    lab.serve(client, [quiet, parent])
    [event_id] = lab.send({"name": "app/parent"})
    [run] = await lab.wait(event_id)
    assert run.status is inngest.RunStatus.COMPLETED and run.output == "None"
