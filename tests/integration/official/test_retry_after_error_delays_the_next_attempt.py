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
    # The server retries every 1 s (--retry-interval 1); the SDK asked for 3 s (Python stamps its own clock, so
    # the delay the server sees is 3 s less the answer's time in flight).
    assert 1000 < errored.data["retry_at_ms"] - errored.at_ms <= 3100
