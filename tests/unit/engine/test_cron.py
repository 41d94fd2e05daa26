"""Cron: validation, next tick in a zone (with DST), jitter, and the scheduled.timer event."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from inngest_lab.engine.cron import CronError, parse_cron, parse_jitter_ms, scheduled_timer_event


def ms(text: str) -> int:
    return int(datetime.fromisoformat(text.replace("Z", "+00:00")).timestamp() * 1000)


def test_every_minute_fires_on_the_next_minute() -> None:
    assert parse_cron("* * * * *").next_after(ms("2024-01-01T00:00:30Z")) == ms("2024-01-01T00:01:00Z")


def test_next_after_a_tick_is_the_following_tick() -> None:
    assert parse_cron("0 * * * *").next_after(ms("2024-01-01T05:00:00Z")) == ms("2024-01-01T06:00:00Z")


def test_tz_prefix_sets_the_zone() -> None:
    schedule = parse_cron("TZ=Europe/Paris 0 12 * * *")
    assert schedule.zone == "Europe/Paris"
    assert schedule.next_after(ms("2024-01-01T00:00:00Z")) == ms("2024-01-01T11:00:00Z")  # CET = UTC+1
    assert schedule.next_after(ms("2024-07-01T00:00:00Z")) == ms("2024-07-01T10:00:00Z")  # CEST = UTC+2


def test_cron_tz_prefix_is_accepted() -> None:
    assert parse_cron("CRON_TZ=America/New_York 0 9 * * MON-FRI").zone == "America/New_York"


def test_dst_spring_forward_still_fires_each_day() -> None:
    # 02:30 does not exist in Paris on 2024-03-31; the schedule fires at the first valid instant after it.
    schedule = parse_cron("TZ=Europe/Paris 30 2 * * *")
    first = schedule.next_after(ms("2024-03-30T12:00:00Z"))
    second = schedule.next_after(first)
    assert first == ms("2024-03-31T01:00:00Z")  # 03:00 CEST
    assert second == ms("2024-04-01T00:30:00Z")  # 02:30 CEST


def test_names_and_question_mark_are_accepted() -> None:
    parse_cron("0 0 ? JAN-MAR SUN")
    parse_cron("*/15 9-17 1,15 * *")


@pytest.mark.parametrize(
    ("spec", "reason"),
    [
        ("", "empty"),
        ("* * * * * *", "6 fields"),
        ("* * * *", "4 fields"),
        ("@daily", "descriptors"),
        ("61 * * * *", "out of range"),
        ("0 0 L * *", "'L'"),
        ("0 0 * * 5#2", "invalid day of week"),
        ("H * * * *", "'H'"),
        ("0 0 * MON *", "'MON'"),
        ("? * * * *", "'?'"),
        ("TZ=Mars/Olympus 0 * * * *", "unknown time zone"),
    ],
)
def test_invalid_specs_are_rejected_with_a_reason(spec: str, reason: str) -> None:
    with pytest.raises(CronError, match=reason):
        parse_cron(spec)


def test_jitter_must_be_between_one_second_and_five_minutes() -> None:
    assert parse_jitter_ms("30s") == 30_000
    assert parse_jitter_ms("5m") == 300_000
    for bad in ("500ms", "6m", "soon"):
        with pytest.raises(CronError):
            parse_jitter_ms(bad)


def test_scheduled_timer_event_shape() -> None:
    event = scheduled_timer_event("0 * * * *", ms("2026-01-01T00:00:00Z"), ms("2026-01-01T00:00:07Z"))
    assert event == {
        "name": "inngest/scheduled.timer",
        "id": "2026-01-01T00:00:00Z",
        "ts": ms("2026-01-01T00:00:07Z"),
        "data": {"cron": "0 * * * *", "scheduledAt": "2026-01-01T00:00:00Z", "fireAt": "2026-01-01T00:00:07Z"},
        "user": {},
    }


specs = st.sampled_from(
    ["* * * * *", "*/7 * * * *", "0 0 * * *", "30 2 * * *", "TZ=Europe/Paris 30 2 * * *",
     "TZ=America/New_York 0 1-3 * * SUN", "CRON_TZ=Australia/Lord_Howe 15 2 * * *", "0 0 29 2 *"]
)  # fmt: skip
instants = st.integers(ms("2000-01-01T00:00:00Z"), ms("2060-01-01T00:00:00Z"))


@given(specs, instants)
def test_next_after_strictly_increases(spec: str, start: int) -> None:
    schedule = parse_cron(spec)
    first = schedule.next_after(start)
    second = schedule.next_after(first)
    assert start < first < second
    assert first % 60_000 == 0
    assert datetime.fromtimestamp(first / 1000, tz=UTC).second == 0
