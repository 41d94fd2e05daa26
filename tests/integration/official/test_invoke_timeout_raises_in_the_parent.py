"""An invoke whose child does not finish within the timeout raises in the parent (``InngestInvokeTimeoutError``)."""

from __future__ import annotations

from tests.integration.official.harness import Target


async def test_invoke_timeout_surfaces_as_a_step_error_the_parent_can_catch(target: Target) -> None:
    done = await target.run("invoke-timeout")

    assert done["status"] == "Completed", target.logs()
    # Python raises StepError(name=InngestInvokeTimeoutError); TS raises an error carrying the server's message.
    assert "Timed out waiting for invoked function to complete" in done["output"]["message"]
    if target.sdk == "py":
        assert done["output"]["error"] == "InngestInvokeTimeoutError"
