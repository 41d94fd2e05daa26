"""A checkpoint for a dispatch that is no longer current gets a 409: the run is cancelled while TS runs its slow
step, the step's checkpoint is refused as a stale dispatch, and the SDK stops (it answers its call with a
non-retriable 400) instead of running the steps after it."""

from __future__ import annotations

from typing import Any

from inngest_lab.engine.model import HistoryKind
from inngest_lab.protocol.step_ids import hash_step_id
from tests.integration.conftest import poll
from tests.integration.official.checkpointing import app_stats, completed_steps, ts
from tests.integration.official.harness import Target

SLOW_MS = 1500


async def _stale_checkpoint_stops_the_sdk(target: Target) -> None:
    run_id = (await target.run_of(await target.send("slow-middle", {"ms": SLOW_MS})))["run_id"]
    await target.reached(run_id, HistoryKind.STEP_COMPLETED)  # "first", checkpointed; "slow" is running now

    async with target.session.delete(f"{target.stack.url}/v1/runs/{run_id}", headers=target.auth) as resp:
        assert resp.status == 200, await resp.text()
    assert (await target.finished(run_id))["status"] == "Cancelled"

    async def answered() -> dict[str, Any] | None:
        stats = await app_stats(target, run_id)
        return stats if stats["answers"] else None

    stats = await poll(answered, f"the SDK to answer the call of run {run_id}")
    assert stats["answers"] == [400], stats  # StaleDispatchError: the 409 made it stop
    assert stats["steps"] == {"first": 1, "slow": 1}, stats  # "after" and "last" never ran
    assert completed_steps(target, run_id) == {hash_step_id("first", 0): 1}
    assert (await target.data(f"/v1/runs/{run_id}"))["status"] == "Cancelled"


async def test_a_cancelled_runs_checkpoint_is_a_409_in_dev(dev_target: Target) -> None:
    await _stale_checkpoint_stops_the_sdk(ts(dev_target))


async def test_a_cancelled_runs_checkpoint_is_a_409_in_start_with_keys(start_target: Target) -> None:
    await _stale_checkpoint_stops_the_sdk(ts(start_target))
