"""A step that keeps raising is retried ``retries`` times (``StepError``), then fails (``StepFailed``) the run."""

from __future__ import annotations

from inngest_lab.engine.model import HistoryKind
from tests.integration.official.harness import Target, error_text


async def test_a_failing_step_is_retried_then_the_run_fails_with_its_error(target: Target) -> None:
    done = await target.run("step-fails")

    assert done["status"] == "Failed", target.logs()
    assert "boom" in error_text(done)
    history = target.history(done["run_id"])
    errored = [e.attempt for e in history if e.kind is HistoryKind.STEP_ERRORED]
    failed = [e.attempt for e in history if e.kind is HistoryKind.STEP_FAILED]
    assert (errored, failed) == ([0, 1], [2]), "retries=2: two retried attempts, the third fails the step"
    failed_event = await target.lifecycle_event("inngest/function.failed", done["run_id"])
    assert failed_event["data"]["function_id"] == target.fn("step-fails")
