"""Properties of the pure rate-limit and throttle decisions."""

from __future__ import annotations

from fractions import Fraction

from hypothesis import given, settings
from hypothesis import strategies as st

from inngest_lab.engine.flow.rate_limit import RateDecision, encode_tat, rate_limit, stored_tat
from inngest_lab.engine.flow.throttle import throttle

gaps = st.lists(st.integers(min_value=0, max_value=5_000), min_size=1, max_size=60)


def _times(deltas: list[int]) -> list[int]:
    out, now = [], 1_000_000
    for d in deltas:
        now += d
        out.append(now)
    return out


limits = st.integers(min_value=1, max_value=25)  # 1–9 have no burst, 10–19 one, 20–25 two
periods = st.integers(min_value=1_000, max_value=20_000)


def _admissions(times: list[int], limit: int, period: int) -> list[RateDecision]:
    tat: Fraction | None = None
    out = []
    for now in times:
        decision = rate_limit(tat, limit, period, now)
        tat = decision.tat
        out.append(decision)
    return out


def _inngest_lua(times: list[int], limit: int, period: int) -> list[bool]:
    """Inngest's ratelimit.lua decision (capacity check, then update), restated in integers scaled by ``limit``
    (so the emission interval ``period / limit`` is exactly ``period``) instead of float nanoseconds."""
    dvt = (limit // 10 + 1) * period
    tat: int | None = None
    out = []
    for now in times:
        scaled_now = now * limit
        current = scaled_now if tat is None else tat
        spare = dvt - (current - scaled_now)  # the script's ``next``
        admitted = spare > -period and spare // period > 0  # ``remaining > 0``
        if admitted:
            tat = max(current, scaled_now) + period
        out.append(admitted)
    return out


@settings(deadline=None)  # a loaded machine must not fail a property
@given(gaps, limits, periods)
def test_rate_limit_admits_exactly_what_inngests_gcra_admits(deltas: list[int], limit: int, period: int) -> None:
    times = _times(deltas)
    assert [d.admitted for d in _admissions(times, limit, period)] == _inngest_lua(times, limit, period)


@settings(deadline=None)  # a loaded machine must not fail a property
@given(gaps, limits, periods)
def test_rate_limit_never_admits_more_than_gcra_allows_in_any_period(
    deltas: list[int], limit: int, period: int
) -> None:
    times = _times(deltas)
    admitted = [t for t, d in zip(times, _admissions(times, limit, period), strict=True) if d.admitted]
    for start in admitted:
        assert sum(1 for t in admitted if start <= t < start + period) <= limit + limit // 10
        assert sum(1 for t in admitted if t == start) <= limit // 10 + 1


@settings(deadline=None)  # a loaded machine must not fail a property
@given(gaps, periods)
def test_a_rate_limit_of_one_admits_one_event_per_period(deltas: list[int], period: int) -> None:
    times = _times(deltas)
    last: int | None = None
    for now, decision in zip(times, _admissions(times, 1, period), strict=True):
        assert decision.admitted == (last is None or now - last >= period)
        if decision.admitted:
            last = now


@settings(deadline=None)  # a loaded machine must not fail a property
@given(gaps, limits, periods)
def test_rate_limit_keeps_arrival_order_and_a_skipped_event_changes_nothing(
    deltas: list[int], limit: int, period: int
) -> None:
    tat: Fraction | None = None
    for now in _times(deltas):
        decision = rate_limit(tat, limit, period, now)
        if decision.admitted:  # admitted at arrival, never reordered: tat only moves forward, past now
            assert tat is None or decision.tat > tat
            assert decision.tat > now
        else:
            assert decision.tat == tat
        assert decision.expires_at_ms >= decision.tat
        tat = decision.tat


def test_a_fresh_key_admits_burst_plus_one_at_once_then_one_per_emission_interval() -> None:
    at_once = [d.admitted for d in _admissions([0] * 4, 20, 60_000)]  # burst 2, interval 3s
    assert at_once == [True, True, True, False]
    spaced = [d.admitted for d in _admissions([0, 0, 30_000, 59_999, 60_000], 2, 60_000)]  # no burst, 30s
    assert spaced == [True, False, True, False, True]


def test_a_stored_tat_round_trips_and_an_old_start_time_log_is_replayed() -> None:
    decision = rate_limit(None, 3, 1_000, 10)
    assert stored_tat(encode_tat(decision.tat), 3, 1_000) == decision.tat == Fraction(1_030, 3)
    assert stored_tat([0, 100], 2, 1_000) == 1_000  # two starts, 500ms apart, as GCRA would have counted them
    assert stored_tat(None, 2, 1_000) is None


@settings(deadline=None)  # a loaded machine must not fail a property
@given(
    gaps,
    st.integers(min_value=1, max_value=5),
    st.integers(min_value=1_000, max_value=10_000),
    st.integers(min_value=0, max_value=3),
)
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
@given(
    gaps,
    st.integers(min_value=1, max_value=5),
    st.integers(min_value=1_000, max_value=10_000),
    st.integers(min_value=0, max_value=3),
)
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
