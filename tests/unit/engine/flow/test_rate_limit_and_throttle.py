"""Properties of the pure rate-limit and throttle decisions."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from inngest_lab.engine.flow.rate_limit import rate_limit
from inngest_lab.engine.flow.throttle import throttle

gaps = st.lists(st.integers(min_value=0, max_value=5_000), min_size=1, max_size=60)

RATE_LIMIT_CASES = (gaps, st.integers(min_value=1, max_value=6), st.integers(min_value=1_000, max_value=20_000))
THROTTLE_CASES = (
    gaps,
    st.integers(min_value=1, max_value=5),
    st.integers(min_value=1_000, max_value=10_000),
    st.integers(min_value=0, max_value=3),
)


def _times(deltas: list[int]) -> list[int]:
    out, now = [], 1_000_000
    for d in deltas:
        now += d
        out.append(now)
    return out


@settings(deadline=None)  # a loaded machine must not fail a property
@given(*RATE_LIMIT_CASES)  # deltas, limit, period
def test_rate_limit_never_admits_more_than_limit_in_any_period(deltas: list[int], limit: int, period: int) -> None:
    window: list[int] | None = None
    admitted = []
    for now in _times(deltas):
        decision = rate_limit(window, limit, period, now)
        window = list(decision.window)
        if decision.admitted:
            admitted.append(now)
    for start in admitted:
        assert sum(1 for t in admitted if start <= t < start + period) <= limit


@settings(deadline=None)  # a loaded machine must not fail a property
@given(*RATE_LIMIT_CASES)  # deltas, limit, period
def test_rate_limit_admits_whenever_fewer_than_limit_started_in_the_last_period(
    deltas: list[int], limit: int, period: int
) -> None:
    window: list[int] | None = None
    admitted: list[int] = []
    for now in _times(deltas):
        decision = rate_limit(window, limit, period, now)
        window = list(decision.window)
        recent = [t for t in admitted if t > now - period]
        assert decision.admitted == (len(recent) < limit)
        if decision.admitted:
            admitted.append(now)
        assert decision.expires_at_ms > now


@settings(deadline=None)  # a loaded machine must not fail a property
@given(*THROTTLE_CASES)  # deltas, limit, period, burst
def test_throttle_never_starts_more_than_limit_plus_burst_in_a_period(
    deltas: list[int], limit: int, period: int, burst: int
) -> None:
    tat: float | None = None
    starts = []
    for now in _times(deltas):
        decision = throttle(tat, limit, period, burst, now)
        tat = decision.tat
        starts.append(decision.start_at_ms)
    for start in starts:
        assert sum(1 for t in starts if start <= t < start + period) <= limit + burst


@settings(deadline=None)  # a loaded machine must not fail a property
@given(*THROTTLE_CASES)  # deltas, limit, period, burst
def test_throttle_never_drops_a_run_and_starts_them_in_arrival_order(
    deltas: list[int], limit: int, period: int, burst: int
) -> None:
    tat: float | None = None
    previous = 0
    for now in _times(deltas):
        decision = throttle(tat, limit, period, burst, now)
        tat = decision.tat
        assert decision.start_at_ms >= now
        assert decision.start_at_ms >= previous
        previous = decision.start_at_ms


def test_throttle_lets_burst_plus_one_start_at_once_then_spaces_the_rest() -> None:
    tat: float | None = None
    starts = []
    for _ in range(5):
        decision = throttle(tat, 2, 60_000, 1, 0)
        tat = decision.tat
        starts.append(decision.start_at_ms)
    assert starts == [0, 0, 30_000, 60_000, 90_000]


def test_an_idle_throttle_does_not_delay_the_next_start() -> None:
    first = throttle(None, 1, 60_000, 0, 0)
    later = throttle(first.tat, 1, 60_000, 0, 120_000)
    assert later.start_at_ms == 120_000
    assert first.expires_at_ms > 60_000 - 1
