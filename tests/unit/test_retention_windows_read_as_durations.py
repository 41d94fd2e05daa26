"""``--retention`` takes a duration (``30d``, ``12h``, ``90m``, ``2w``, ``45s``; a bare number is days) or ``0``
(keep everything), and is said back the way the flag would say it."""

from __future__ import annotations

import pytest

from inngest_lab.observability.retention import describe, parse_window

DAY_MS = 86_400_000


@pytest.mark.parametrize(
    ("text", "ms"),
    [("30d", 30 * DAY_MS), ("12h", 12 * 3_600_000), ("90m", 90 * 60_000), ("2w", 14 * DAY_MS), ("45s", 45_000)],
)
def test_durations(text: str, ms: int) -> None:
    assert parse_window(text) == ms
    assert parse_window(describe(ms)) == ms


def test_zero_keeps_everything_and_a_bare_number_is_days() -> None:
    assert parse_window("0") == 0 and describe(0) == "0"
    assert parse_window("7") == 7 * DAY_MS
    assert describe(30 * DAY_MS) == "30d" and describe(90 * 60_000) == "90m"


@pytest.mark.parametrize("text", ["", "a month", "-1d", "1.5d", "30 days"])
def test_anything_else_is_refused_with_examples(text: str) -> None:
    with pytest.raises(ValueError, match="like 30d, 12h, 90m or 0"):
        parse_window(text)
