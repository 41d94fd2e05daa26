"""``lab.steps(run_id)``: a run's steps by name, in the order they ran, with their outputs and errors.

``run.steps`` stays keyed by the protocol's hashed step ids; ``steps`` names them (a name used twice appears
twice, each with its own output), gives a sleep no output and a failed step its error.
"""

from __future__ import annotations

import contextlib

import pytest

import inngest_lab as inngest
from inngest_lab.engine.step_results import StepResult


async def test_steps_are_named_in_order_with_outputs(lab: inngest.Lab, client: inngest.Inngest) -> None:
    @client.create_function(fn_id="flow", trigger=inngest.TriggerEvent(event="app/flow"), retries=0)
    async def flow(ctx: inngest.Context) -> str:
        first = await ctx.step.run("lookup", lambda: {"user": "ada"})
        again = await ctx.step.run("lookup", lambda: 2)
        await ctx.step.sleep("nap", 1000)

        def boom() -> None:
            raise ValueError("no such plan")

        with contextlib.suppress(inngest.StepError):
            await ctx.step.run("charge", boom)
        return f"{first['user']} {again}"

    lab.serve(client, [flow])
    [event_id] = lab.send({"name": "app/flow", "data": {}})
    await lab.advance(seconds=1)
    [run] = await lab.wait(event_id)
    assert run.status is inngest.RunStatus.COMPLETED

    steps = await lab.steps(run.run_id)
    assert [(s.name, s.output) for s in steps] == [
        ("lookup", {"user": "ada"}),
        ("lookup", 2),
        ("nap", None),
        ("charge", None),
    ]
    assert [s.step_id for s in steps] == list(run.stack)  # the hashed ids still key run.steps
    charge = steps[-1]
    assert isinstance(charge, StepResult) and isinstance(charge.error, dict)
    assert charge.error["message"] == "no such plan"
    assert run.steps[steps[0].step_id] == {"data": {"user": "ada"}}


async def test_steps_of_an_unknown_run_is_a_key_error(lab: inngest.Lab) -> None:
    with pytest.raises(KeyError, match="no run 'nope'"):
        await lab.steps("nope")
