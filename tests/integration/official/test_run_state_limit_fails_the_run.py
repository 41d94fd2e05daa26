"""A run's state may not exceed 32 MB: the step that crosses it fails the run with ``InngestErrStateOverflowed``.

Both SDKs, on the dev stack only: moving 35 MB costs seconds per run, and signing changes nothing here (the
4 MB step limit and the 1,000-step limit run in both modes).
"""

from __future__ import annotations

from tests.integration.official.harness import Target


async def test_steps_adding_up_to_more_than_32_mb_fail_the_run(dev_sdk_target: Target) -> None:
    target = dev_sdk_target
    done = await target.run("big-steps", {"sizes": [3_900_000] * 9, "parallel": True})

    assert done["status"] == "Failed", target.logs()
    assert done["output"]["name"] == "InngestErrStateOverflowed"
    assert "32 MB" in done["output"]["message"]
