"""``wait_for_event`` with no matching event before its timeout returns ``None`` (Python) / ``null`` (TS)."""

from __future__ import annotations

from inngest_lab.engine.model import HistoryKind
from tests.integration.official.harness import Target


async def test_wait_for_event_returns_null_when_nothing_matches_in_time(target: Target) -> None:
    run_id = (await target.run_of(await target.send("wait", {"id": "w2", "timeout_ms": 1000})))["run_id"]
    await target.reached(run_id, HistoryKind.STEP_WAITING)
    await target.send("wait.reply", {"id": "not-w2"})

    done = await target.finished(run_id)

    assert done["status"] == "Completed", target.logs()
    assert done["output"] == {"timed_out": True, "data": None}
    kinds = [e.kind for e in target.history(run_id)]
    assert HistoryKind.STEP_TIMED_OUT in kinds
