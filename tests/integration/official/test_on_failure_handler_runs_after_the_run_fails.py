"""``on_failure`` / ``onFailure`` runs once the function has failed, with the failure's error."""

from __future__ import annotations

from tests.integration.official.harness import Target, error_text


async def test_on_failure_handler_receives_the_error_of_the_failed_run(target: Target) -> None:
    done = await target.run("on-failure")
    assert done["status"] == "Failed", target.logs()
    assert "failed on purpose" in error_text(done)

    failed = await target.lifecycle_event("inngest/function.failed", done["run_id"])
    handler_run = await target.run_of(failed["internal_id"], target.fn("on-failure-failure"))
    handler = await target.finished(handler_run["run_id"])

    assert handler["status"] == "Completed", target.logs()
    assert handler["output"] == {"handled": "failed on purpose"}
