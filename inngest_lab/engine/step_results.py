"""A run's steps by name, in order, with their outputs: what ``run.steps`` (keyed by hashed step id) means.

The run record keeps memos by hashed id (the protocol's key, protocol doc section 4.5); the names a function gave
its steps are in the run's history. ``step_results`` joins the two. Pure.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from inngest_lab.engine.model import HistoryEntry, Json, Run


@dataclass(frozen=True, slots=True)
class StepResult:
    """One memoized step of a run.

    ``name`` is the step's name as the function wrote it (a step run twice under one name appears twice);
    ``step_id`` its hashed id, the key of ``run.steps``; ``output`` what it returned (the matched event for a
    ``wait_for_event``, None for a sleep or a wait that timed out); ``error`` the error of a step that failed.
    """

    name: str
    step_id: str
    output: Json
    error: Json = None


def step_results(run: Run, history: Sequence[HistoryEntry]) -> list[StepResult]:
    """``run``'s memoized steps in the order they were saved (``run.stack``), named from ``history``."""
    names: dict[str, str] = {}
    for entry in history:
        if entry.step_id is not None and entry.name and entry.step_id not in names:
            names[entry.step_id] = entry.name
    out = []
    for step_id in run.stack:
        memo = run.steps.get(step_id)
        output: Json = memo
        error: Json = None
        if isinstance(memo, Mapping) and set(memo) <= {"data", "error"} and memo:
            output, error = memo.get("data"), memo.get("error")
        out.append(StepResult(names.get(step_id, step_id), step_id, output, error))
    return out
