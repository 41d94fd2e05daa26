"""A step output over 4 MB fails the run with Inngest's ``InngestErrStepOutputTooLarge``."""

from __future__ import annotations

from tests.integration.official.harness import Target


async def test_a_step_returning_more_than_4_mb_fails_the_run(target: Target) -> None:
    done = await target.run("big-steps", {"sizes": [4 * 1024 * 1024 + 1]})

    assert done["status"] == "Failed", target.logs()
    assert done["output"]["name"] == "InngestErrStepOutputTooLarge"
    assert "4 MB" in done["output"]["message"]
