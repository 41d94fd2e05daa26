"""A step's arguments, when its SDK reports them (TS ``step.run(id, fn, ...args)`` sends ``opts.input``), are kept
in the step's history and shown on its span in the timeline; a step without them has no input."""

from __future__ import annotations

from collections.abc import Sequence

from inngest_lab.engine.model import AppendHistory, Command, HistoryEntry
from inngest_lab.engine.timeline import build_timeline
from inngest_lab.engine.transition import transition

from .transition_helpers import FN, NOW, call_item, final_run, make_run, of_type, op, ops


def _history(out: Sequence[Command]) -> list[HistoryEntry]:
    return [c.entry for c in of_type(out, AppendHistory)]


def test_a_steps_reported_input_is_on_its_span() -> None:
    run = make_run()
    step = {**op("StepRun", "h1", data={"total": 3}), "opts": {"input": [1, 2]}}
    out = transition(run, call_item(), ops(step), FN, NOW, 0.0)
    [completed] = [h for h in _history(out) if h.step_id == "h1"]
    assert completed.data["input"] == [1, 2]
    spans = build_timeline(final_run(out), _history(out), NOW)["spans"]
    [span] = [s for s in spans if s["id"] == "h1"]
    assert (span["input"], span["output"]) == ([1, 2], {"total": 3})


def test_a_step_without_reported_input_has_none() -> None:
    out = transition(make_run(), call_item(), ops(op("StepRun", "h1", data="A")), FN, NOW, 0.0)
    [completed] = [h for h in _history(out) if h.step_id == "h1"]
    assert "input" not in completed.data
    [span] = [s for s in build_timeline(final_run(out), _history(out), NOW)["spans"] if s["id"] == "h1"]
    assert span["input"] is None
