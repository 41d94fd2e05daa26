"""A run's state may not exceed 32 MB: the step that crosses it fails the run with ``InngestErrStateOverflowed``."""

from __future__ import annotations

from tests.integration.official.harness import Target


async def test_steps_adding_up_to_more_than_32_mb_fail_the_run(target: Target) -> None:
    done = await target.run("big-steps", {"sizes": [3_900_000] * 9, "parallel": True})

    assert done["status"] == "Failed", target.logs()
    assert done["output"]["name"] == "InngestErrStateOverflowed"
    assert "32 MB" in done["output"]["message"]
