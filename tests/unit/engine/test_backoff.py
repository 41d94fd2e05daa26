"""Retry timing: the backoff table, Retry-After parsing, and the no-retry header rule."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from inngest_lab.engine.backoff import (
    MAX_DELAY_MS,
    MIN_DELAY_MS,
    retry_after_ms,
    retry_delay_ms,
    should_retry,
)

NOW_MS = 1_704_067_200_000  # 2024-01-01T00:00:00Z
jitters = st.floats(min_value=0.0, max_value=1.0, exclude_max=True)


def test_first_retry_waits_fifteen_seconds_without_jitter() -> None:
    assert retry_delay_ms(0, 0.0) == 15_000


def test_table_follows_inngest_and_then_stays_at_two_hours() -> None:
    expected_s = [15, 30, 60, 120, 300, 600, 1200, 2400, 3600, 7200, 7200, 7200]
    assert [retry_delay_ms(a, 0.0) // 1000 for a in range(12)] == expected_s


def test_jitter_adds_up_to_thirty_seconds() -> None:
    assert retry_delay_ms(0, 0.5) == 30_000
    assert retry_delay_ms(0, 0.999999) < 45_000


def test_jitter_out_of_range_is_rejected() -> None:
    with pytest.raises(ValueError, match="jitter"):
        retry_delay_ms(0, 1.0)


def test_fixed_interval_overrides_the_table() -> None:
    assert retry_delay_ms(7, 0.3, interval_ms=5000) == 5000
    assert retry_delay_ms(7, 0.3, interval_ms=10) == MIN_DELAY_MS


@given(st.integers(0, 50), st.integers(0, 50), jitters)
def test_delays_are_monotone_in_attempt(a: int, b: int, jitter: float) -> None:
    low, high = sorted((a, b))
    assert retry_delay_ms(low, jitter) <= retry_delay_ms(high, jitter)


@given(st.integers(-5, 1000), jitters)
def test_delays_stay_within_one_second_and_a_day(attempt: int, jitter: float) -> None:
    assert MIN_DELAY_MS <= retry_delay_ms(attempt, jitter) <= MAX_DELAY_MS


def test_retry_after_seconds() -> None:
    assert retry_after_ms("30", NOW_MS) == 30_000
    assert retry_after_ms(" 1.5 ", NOW_MS) == 1_500


def test_retry_after_rfc3339_date() -> None:
    assert retry_after_ms("2024-01-01T00:02:00Z", NOW_MS) == 120_000
    assert retry_after_ms("2024-01-01T01:00:00+01:00", NOW_MS) == MIN_DELAY_MS  # that is now: clamped


def test_retry_after_http_date() -> None:
    assert retry_after_ms("Mon, 01 Jan 2024 00:00:10 GMT", NOW_MS) == 10_000


def test_retry_after_is_clamped() -> None:
    assert retry_after_ms("0", NOW_MS) == MIN_DELAY_MS
    assert retry_after_ms("-5", NOW_MS) == MIN_DELAY_MS
    assert retry_after_ms("999999", NOW_MS) == MAX_DELAY_MS
    assert retry_after_ms("2030-01-01T00:00:00Z", NOW_MS) == MAX_DELAY_MS


@pytest.mark.parametrize("value", ["", "soon", "nan", "inf"])
def test_retry_after_garbage_is_none(value: str) -> None:
    assert retry_after_ms(value, NOW_MS) is None


@given(st.text(max_size=30), st.integers(0, 4_000_000_000_000))
def test_retry_after_is_none_or_within_bounds(value: str, now_ms: int) -> None:
    delay = retry_after_ms(value, now_ms)
    assert delay is None or MIN_DELAY_MS <= delay <= MAX_DELAY_MS


def test_no_retry_header_true_stops_retries_whatever_the_status() -> None:
    assert not should_retry(500, {"X-Inngest-No-Retry": "true"})
    assert not should_retry(400, {"x-inngest-no-retry": "TRUE"})


def test_no_retry_header_false_retries_even_4xx() -> None:
    assert should_retry(400, {"X-Inngest-No-Retry": "false"})


def test_without_header_every_failure_is_retried() -> None:
    assert should_retry(500, {})
    assert should_retry(404, {"Content-Type": "application/json"})
