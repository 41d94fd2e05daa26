"""``RetryAfterError`` schedules the next attempt at the time the SDK asks for, not the backoff's."""

from __future__ import annotations

from inngest_lab.engine.model import HistoryKind
from tests.integration.official.harness import Target


async def test_retry_after_error_retries_when_the_sdk_said(target: Target) -> None:
    run_id = (await target.run_of(await target.send("retry-after")))["run_id"]

    errored = await target.reached(run_id, HistoryKind.FUNCTION_ERRORED)
    done = await target.finished(run_id)

    assert done["status"] == "Completed", target.logs()
    assert done["output"] == {"attempt": 1}
    # The server retries every 1 s (--retry-interval 1); the SDK asked for 2 s.
    assert 1500 <= errored.data["retry_at_ms"] - errored.at_ms <= 2500
