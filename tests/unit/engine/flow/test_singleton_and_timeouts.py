"""Singleton and timeout decisions."""

from __future__ import annotations

from dataclasses import replace

from hypothesis import given, settings
from hypothesis import strategies as st

from inngest_lab.engine.flow.singleton import SingletonDecision, Verdict, applies, singleton
from inngest_lab.engine.flow.timeouts import TimeoutDecision, Which, on_timeout
from inngest_lab.engine.model import Run
from inngest_lab.protocol.consts import RunStatus

RUN = Run("r1", "app-fn", "app", RunStatus.QUEUED, ({"name": "x"},), ("e1",), 1_000, 5)


def test_singleton_starts_when_no_run_holds_the_key_or_it_ended() -> None:
    assert singleton("skip", None) == SingletonDecision(Verdict.START)
    for status in (RunStatus.COMPLETED, RunStatus.FAILED, RunStatus.CANCELLED, RunStatus.SKIPPED):
        assert singleton("cancel", replace(RUN, status=status)).verdict is Verdict.START


def test_singleton_skips_or_cancels_while_the_holder_is_active() -> None:
    for status in (RunStatus.QUEUED, RunStatus.RUNNING):
        active = replace(RUN, status=status)
        assert singleton("skip", active) == SingletonDecision(Verdict.SKIP, "r1")
        assert singleton("cancel", active) == SingletonDecision(Verdict.CANCEL_AND_START, "r1")


def test_a_key_evaluating_to_false_is_not_a_singleton() -> None:
    assert not applies(False)
    assert applies("") and applies(None) and applies(0)


@settings(deadline=None)  # a loaded machine must not fail a property
@given(st.integers(min_value=1, max_value=10_000), st.integers(min_value=0, max_value=20_000))
def test_start_timeout_cancels_only_a_run_still_queued_past_its_limit(limit: int, waited: int) -> None:
    now = RUN.created_at_ms + waited
    queued = on_timeout(RUN, Which.START, limit, now)
    assert (queued.cancel_reason is not None) == (waited >= limit)
    started = replace(RUN, status=RunStatus.RUNNING, started_at_ms=RUN.created_at_ms)
    assert on_timeout(started, Which.START, limit, now) == TimeoutDecision()


@settings(deadline=None)  # a loaded machine must not fail a property
@given(
    st.integers(min_value=1, max_value=10_000),
    st.integers(min_value=0, max_value=10_000),
    st.integers(min_value=0, max_value=30_000),
)
def test_finish_timeout_cancels_at_start_plus_limit_and_never_earlier(limit: int, delay: int, elapsed: int) -> None:
    started_at = RUN.created_at_ms + delay
    run = replace(RUN, status=RunStatus.RUNNING, started_at_ms=started_at)
    now = started_at + elapsed
    decision = on_timeout(run, Which.FINISH, limit, now)
    if elapsed >= limit:
        assert decision.cancel_reason is not None and "timeouts.finish" in decision.cancel_reason
    else:
        assert decision == TimeoutDecision(rearm_at_ms=started_at + limit)


def test_finish_timeout_waits_for_a_run_that_has_not_started() -> None:
    assert on_timeout(RUN, Which.FINISH, 5_000, 6_000) == TimeoutDecision(rearm_at_ms=11_000)
    assert on_timeout(replace(RUN, status=RunStatus.COMPLETED), Which.FINISH, 5_000, 6_000) == TimeoutDecision()
    assert on_timeout(None, Which.START, 5_000, 6_000) == TimeoutDecision()
