"""``step.sleep`` parks the run server-side and resumes it once the duration has passed."""

from __future__ import annotations

from inngest_lab.engine.model import HistoryKind
from inngest_lab.server.shapes import parse_time_ms
from tests.integration.official.harness import Target


async def test_sleep_parks_the_run_for_its_duration_then_resumes(target: Target) -> None:
    run_id = (await target.run_of(await target.send("sleep")))["run_id"]

    sleeping = await target.reached(run_id, HistoryKind.STEP_SLEEPING)
    done = await target.finished(run_id)

    assert done["status"] == "Completed", target.logs()
    assert done["output"] == "woke"
    # Python names the sleep by its ISO wake-up time (its clock + 1 s, ms precision), TS by "1s".
    until = sleeping.data["until_ms"]
    assert until - parse_time_ms(done["run_started_at"]) >= 999
    assert until - sleeping.at_ms <= 1500
    resumed = next(e for e in target.history(run_id) if e.kind is HistoryKind.STEP_RESUMED)
    assert resumed.at_ms >= sleeping.data["until_ms"]
