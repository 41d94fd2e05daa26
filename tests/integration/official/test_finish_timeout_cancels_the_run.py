"""``timeouts.finish`` registered by the official SDKs: a run still going after it is cancelled, with the reason."""

from __future__ import annotations

from tests.integration.official.harness import Target, error_text


async def test_a_run_past_its_finish_timeout_is_cancelled(target: Target) -> None:
    done = await target.run("timed-out")

    assert done["status"] == "Cancelled", target.logs()
    assert "timeouts.finish" in error_text(done)
