"""Properties of the run state machine that hold for any sequence of signals."""

from __future__ import annotations

from collections.abc import Sequence

from hypothesis import given, settings
from hypothesis import strategies as st

from inngest_lab.engine.model import Command, Run, SaveRun, SaveStep
from inngest_lab.engine.signals import CancelRequested, SdkResponded, Signal, TimerFired
from inngest_lab.engine.transition import transition

from .transition_helpers import FN, NOW, SDK, call_item, make_run, op

step_ids = st.sampled_from(["a", "b", "c", "d"])
single_ops = st.one_of(
    step_ids.map(lambda s: op("StepRun", s, data=s)),
    step_ids.map(lambda s: op("StepPlanned", s)),
    step_ids.map(lambda s: op("StepError", s, error={"name": "E", "message": "m"})),
    step_ids.map(lambda s: op("Sleep", s, name="1s")),
)
signals: st.SearchStrategy[Signal] = st.one_of(
    st.lists(single_ops, min_size=1, max_size=3).map(lambda o: SdkResponded(206, SDK, o)),
    st.sampled_from(
        [
            SdkResponded(200, SDK, "done"),
            SdkResponded(500, SDK, {"message": "x"}),
            SdkResponded(0, transport_error="down"),
            TimerFired(),
            CancelRequested("x"),
        ]
    ),
)


def _apply(run: Run, commands: Sequence[Command]) -> Run:
    saves = [c for c in commands if isinstance(c, SaveRun)]
    return saves[-1].run if saves else run


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(signals, st.integers(0, 3)), min_size=1, max_size=12))
def test_a_terminal_run_never_leaves_its_terminal_state(seq: list[tuple[Signal, int]]) -> None:
    run = make_run()
    for signal, attempt in seq:
        was_terminal = run.status.is_terminal
        out = transition(
            run, call_item("step" if not isinstance(signal, TimerFired) else "a", attempt), signal, FN, NOW, 0.3
        )
        if was_terminal:
            assert out == []
        run = _apply(run, out)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(signals, st.integers(0, 3)), min_size=1, max_size=12))
def test_a_memoized_step_is_never_saved_twice_and_saves_never_exceed_reported_ops(
    seq: list[tuple[Signal, int]],
) -> None:
    run = make_run()
    for signal, attempt in seq:
        out = transition(
            run, call_item("step" if not isinstance(signal, TimerFired) else "a", attempt), signal, FN, NOW, 0.3
        )
        saves = [c for c in out if isinstance(c, SaveStep)]
        for s in saves:
            assert s.step_id not in run.steps
        reported = len(signal.body) if isinstance(signal, SdkResponded) and isinstance(signal.body, list) else 1
        assert len(saves) <= reported
        run = _apply(run, out)
        assert len(run.stack) == len(set(run.stack)) == len(run.steps)
