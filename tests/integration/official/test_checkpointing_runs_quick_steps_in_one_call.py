"""TS 4.24 checkpoints by default once the server sends ``ctx.fn_id``: a run of ten quick steps takes one call
request instead of eleven, each step reported to ``/v1/checkpoint/{runId}/async`` and recorded once; the same
function with ``checkpointing: false`` still takes one call per step."""

from __future__ import annotations

from tests.integration.official.checkpointing import app_stats, completed_steps, ts
from tests.integration.official.harness import Target


async def _one_call_per_run(target: Target) -> None:
    on = await target.run("quick-steps")
    off = await target.run("quick-steps-off")

    assert on["status"] == "Completed", target.logs()
    assert off["status"] == "Completed", target.logs()
    assert on["output"] == off["output"] == 45
    assert (await app_stats(target, on["run_id"]))["calls"] == 1
    assert (await app_stats(target, off["run_id"]))["calls"] == 11  # ten steps, then the final discovery
    for run in (on, off):
        recorded = completed_steps(target, run["run_id"])
        assert len(recorded) == 10, recorded
        assert set(recorded.values()) == {1}, recorded
        assert set((await app_stats(target, run["run_id"]))["steps"].values()) == {1}


async def test_quick_steps_take_one_call_in_dev(dev_target: Target) -> None:
    await _one_call_per_run(ts(dev_target))


async def test_quick_steps_take_one_call_in_start_with_keys(start_target: Target) -> None:
    await _one_call_per_run(ts(start_target))
