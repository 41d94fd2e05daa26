"""A function or step that returns something JSON cannot encode fails the run with a clear, non-retried error."""

from __future__ import annotations

import inngest_lab as inngest


async def test_function_returning_an_unserializable_value_fails_clearly(
    lab: inngest.Lab, client: inngest.Inngest
) -> None:
    attempts: list[int] = []

    @client.create_function(fn_id="sets", trigger=inngest.TriggerEvent(event="app/go"))
    async def sets(ctx: inngest.Context) -> object:
        attempts.append(ctx.attempt)
        return {1, 2, 3}

    lab.serve(client, [sets])
    [event_id] = lab.send({"name": "app/go"})
    [run] = await lab.wait(event_id)
    assert run.status is inngest.RunStatus.FAILED
    assert run.error["name"] == "OutputUnserializableError"
    assert "unserializable" in run.error["message"]
    assert attempts == [0]


async def test_step_returning_an_unserializable_value_fails_clearly(lab: inngest.Lab, client: inngest.Inngest) -> None:
    @client.create_function(fn_id="step-sets", trigger=inngest.TriggerEvent(event="app/go"))
    async def step_sets(ctx: inngest.Context) -> object:
        return await ctx.step.run("make", lambda: object())

    lab.serve(client, [step_sets])
    [event_id] = lab.send({"name": "app/go"})
    [run] = await lab.wait(event_id)
    assert run.status is inngest.RunStatus.FAILED
    assert run.error["name"] == "OutputUnserializableError"
    assert '"make"' in run.error["message"]
