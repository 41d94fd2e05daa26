"""``wait_for_event`` resumes with the first event that matches its ``if`` expression, and only that one."""

from __future__ import annotations

from inngest_lab.engine.model import HistoryKind
from tests.integration.official.harness import Target


async def test_wait_for_event_ignores_other_ids_and_resumes_with_the_match(target: Target) -> None:
    run_id = (await target.run_of(await target.send("wait", {"id": "w1", "timeout_ms": 60_000})))["run_id"]
    await target.reached(run_id, HistoryKind.STEP_WAITING)

    await target.send("wait.reply", {"id": "someone-else", "n": 1})
    await target.send("wait.reply", {"id": "w1", "n": 2})
    done = await target.finished(run_id)

    assert done["status"] == "Completed", target.logs()
    assert done["output"] == {"timed_out": False, "data": {"id": "w1", "n": 2}}
