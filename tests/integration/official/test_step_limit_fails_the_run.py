"""A run may hold at most 1,000 steps: reporting more fails it with Inngest's ``InngestErrStepLimit``."""

from __future__ import annotations

from tests.integration.official.harness import Target


async def test_planning_more_than_a_thousand_steps_fails_the_run(target: Target) -> None:
    done = await target.run("many-steps", {"count": 1001})

    assert done["status"] == "Failed", target.logs()
    assert done["output"]["name"] == "InngestErrStepLimit"
    assert "1000 steps" in done["output"]["message"]
