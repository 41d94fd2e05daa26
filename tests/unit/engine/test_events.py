"""Event API edge: POST /e bodies are validated and normalized before anything is stored."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from inngest_lab.protocol.consts import MAX_EVENT_BYTES
from inngest_lab.protocol.events import (
    EventTooLarge,
    EventValidationError,
    internal_event,
    normalize_events,
)

NOW_MS = 1_704_067_200_000


def new_id(index: int) -> str:
    return f"gen-{index}"


def test_single_object_is_normalized_with_defaults() -> None:
    [event] = normalize_events({"name": "app/a"}, NOW_MS, new_id)
    assert event == {"id": "gen-0", "name": "app/a", "data": {}, "user": {}, "ts": NOW_MS}


def test_array_keeps_order_and_given_fields() -> None:
    body = [
        {"name": "a", "data": {"x": 1}, "id": "mine", "ts": 1_700_000_000_000, "user": {"u": 1}, "v": "2024-01"},
        {"name": "b", "id": ""},
    ]
    first, second = normalize_events(body, NOW_MS, new_id)
    assert first == {"id": "mine", "name": "a", "data": {"x": 1}, "user": {"u": 1}, "ts": 1_700_000_000_000,
                     "v": "2024-01"}  # fmt: skip
    assert second["id"] == "gen-1"


def test_null_data_becomes_empty_and_internal_data_is_dropped() -> None:
    body = [{"name": "a", "data": None}, {"name": "b", "data": {"_inngest": {"fn_id": "x"}, "k": 1}}]
    [a, b] = normalize_events(body, NOW_MS, new_id)
    assert a["data"] == {}
    assert b["data"] == {"k": 1}


def test_non_string_version_is_dropped() -> None:
    [event] = normalize_events({"name": "a", "v": 3}, NOW_MS, new_id)
    assert "v" not in event


def test_zero_ts_defaults_to_now_and_float_ms_is_accepted() -> None:
    [a, b] = normalize_events([{"name": "a", "ts": 0}, {"name": "b", "ts": 1.7e12}], NOW_MS, new_id)
    assert a["ts"] == NOW_MS
    assert b["ts"] == 1_700_000_000_000


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("hello", "body must be"),
        ([1], "must be a JSON object"),
        ({"data": {}}, "name is required"),
        ({"name": ""}, "name is required"),
        ({"name": "x" * 513}, "longer than 512"),
        ({"name": "inngest/function.failed"}, "reserved for internal use"),
        ({"name": "Inngest/anything"}, "reserved for internal use"),
        ({"name": "a", "data": [1]}, "data must be a JSON object"),
        ({"name": "a", "user": "me"}, "user must be a JSON object"),
        ({"name": "a", "ts": "now"}, "ts must be an integer"),
        ({"name": "a", "ts": 1000}, "between 1980 and 2100"),
        ({"name": "a", "ts": 5_000_000_000_000}, "between 1980 and 2100"),
        ({"name": "a", "id": 7}, "id must be a string"),
    ],
)
def test_invalid_events_are_rejected_with_a_message(body: Any, message: str) -> None:
    with pytest.raises(EventValidationError, match=message):
        normalize_events(body, NOW_MS, new_id)


def test_error_carries_the_index_of_the_bad_event() -> None:
    with pytest.raises(EventValidationError) as info:
        normalize_events([{"name": "ok"}, {"name": "inngest/x"}], NOW_MS, new_id)
    assert info.value.index == 1


def test_oversized_event_raises_too_large() -> None:
    with pytest.raises(EventTooLarge) as info:
        normalize_events([{"name": "ok"}, {"name": "big", "data": {"s": "x" * MAX_EVENT_BYTES}}], NOW_MS, new_id)
    assert info.value.index == 1
    assert info.value.size > MAX_EVENT_BYTES


def test_internal_events_may_use_the_reserved_prefix() -> None:
    event = internal_event("inngest/function.finished", {"run_id": "r"}, id="r", ts=NOW_MS)
    assert event == {"id": "r", "name": "inngest/function.finished", "data": {"run_id": "r"}, "user": {},
                     "ts": NOW_MS}  # fmt: skip


@given(st.lists(st.fixed_dictionaries({"name": st.from_regex(r"[a-z]{1,8}/[a-z]{1,8}", fullmatch=True)},
                                      optional={"data": st.dictionaries(st.text(max_size=5), st.integers())}),
                max_size=5))  # fmt: skip
def test_valid_events_normalize_to_the_full_shape(body: list[dict[str, Any]]) -> None:
    events = normalize_events(body, NOW_MS, new_id)
    assert [e["name"] for e in events] == [e["name"] for e in body]
    for event in events:
        assert set(event) == {"id", "name", "data", "user", "ts"}
        assert "_inngest" not in event["data"]
