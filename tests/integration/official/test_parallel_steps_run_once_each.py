"""Parallel steps are planned together (``StepPlanned``), each runs once, and the function sees both results."""

from __future__ import annotations

from collections import Counter

from inngest_lab.engine.model import HistoryKind
from tests.integration.official.harness import Target


async def test_parallel_steps_are_planned_run_once_each_and_joined(target: Target) -> None:
    done = await target.run("parallel")

    assert done["status"] == "Completed", target.logs()
    assert done["output"] == [1, 2]
    kinds = Counter(e.kind for e in target.history(done["run_id"]))
    assert kinds[HistoryKind.STEP_PLANNED] == 2
    assert kinds[HistoryKind.STEP_COMPLETED] == 2
