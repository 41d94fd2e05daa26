"""``step.sleep_until`` / ``step.sleepUntil`` resumes the run at the given instant."""

from __future__ import annotations

import time
from datetime import UTC, datetime

from inngest_lab.engine.model import HistoryKind
from tests.integration.official.harness import Target


async def test_sleep_until_resumes_at_the_instant_it_names(target: Target) -> None:
    until_ms = (time.time_ns() // 1_000_000) + 1500
    until = datetime.fromtimestamp(until_ms / 1000, tz=UTC).isoformat(timespec="milliseconds")
    run_id = (await target.run_of(await target.send("sleep-until", {"until": until})))["run_id"]

    sleeping = await target.reached(run_id, HistoryKind.STEP_SLEEPING)
    done = await target.finished(run_id)

    assert done["status"] == "Completed", target.logs()
    assert done["output"] == "woke"
    assert sleeping.data["until_ms"] == until_ms
    resumed = next(e for e in target.history(run_id) if e.kind is HistoryKind.STEP_RESUMED)
    assert resumed.at_ms >= until_ms
