"""``step.invoke`` of a paused function does not wait for its timeout: the step fails at once with
FunctionSkippedError naming the reason, and the child's skipped run records why."""

from __future__ import annotations

import inngest_lab as inngest
from inngest_lab.protocol.consts import SkipReason


async def test_invoking_a_paused_function_raises_step_error(lab: inngest.Lab, client: inngest.Inngest) -> None:
    @client.create_function(fn_id="child", trigger=inngest.TriggerEvent(event="app/child"))
    async def child(ctx: inngest.Context) -> str:
        return "never"

    @client.create_function(fn_id="parent", trigger=inngest.TriggerEvent(event="app/parent"))
    async def parent(ctx: inngest.Context) -> dict[str, str]:
        try:
            await ctx.step.invoke("call-child", function=child)
        except inngest.StepError as err:
            return {"name": err.name, "message": err.message}
        return {}

    lab.serve(client, [child, parent])
    await lab.pause("app-child")
    [event_id] = lab.send({"name": "app/parent"})
    [run] = await lab.wait(event_id)

    assert run.output["name"] == "FunctionSkippedError"
    assert "FunctionPaused" in run.output["message"]
    [skipped] = await lab.runs(fn_id="app-child")
    assert skipped.skip_reason == SkipReason.FUNCTION_PAUSED.value
