"""``NonRetriableError`` fails the run on the first attempt despite retries left."""

from __future__ import annotations

from inngest_lab.engine.model import HistoryKind
from tests.integration.official.harness import Target, error_text


async def test_non_retriable_error_fails_the_run_without_a_retry(target: Target) -> None:
    done = await target.run("non-retriable")

    assert done["status"] == "Failed", target.logs()
    assert "no way" in error_text(done)
    retried = {HistoryKind.STEP_ERRORED, HistoryKind.FUNCTION_ERRORED, HistoryKind.CALL_FAILED}
    assert not [e for e in target.history(done["run_id"]) if e.kind in retried], "retries=3 were not used"
