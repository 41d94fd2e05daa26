"""``cancel`` / ``cancelOn``: a matching event cancels a sleeping run; a non-matching one does not."""

from __future__ import annotations

from inngest_lab.engine.model import HistoryKind
from tests.integration.official.harness import Target


async def test_a_matching_cancel_event_cancels_the_run(target: Target) -> None:
    run_id = (await target.run_of(await target.send("cancellable", {"id": "c1"})))["run_id"]
    await target.reached(run_id, HistoryKind.STEP_SLEEPING)

    await target.send("cancel", {"id": "another-run"})
    await target.send("cancel", {"id": "c1"})
    done = await target.finished(run_id)

    assert done["status"] == "Cancelled", target.logs()
    cancelled = await target.lifecycle_event("inngest/function.cancelled", run_id)
    assert cancelled["data"]["function_id"] == target.fn("cancellable")
