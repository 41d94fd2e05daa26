"""``step.invoke`` starts the child through ``inngest/function.invoked`` and returns the child's output."""

from __future__ import annotations

from tests.integration.official.harness import Target


async def test_invoke_runs_the_child_and_returns_its_output(target: Target) -> None:
    done = await target.run("invoke", {"x": 41})

    assert done["status"] == "Completed", target.logs()
    assert done["output"] == {"child": 41}
    invoked = [
        e
        for e in await target.events("inngest/function.invoked", at_least=1)
        if e["data"]["_inngest"]["correlation_id"].startswith(done["run_id"] + ".")
    ]
    [child] = await target.data(f"/v1/events/{invoked[0]['internal_id']}/runs")
    assert (child["function_id"], child["status"], child["output"]) == (target.fn("child"), "Completed", {"child": 41})
