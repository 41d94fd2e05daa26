"""Trigger matching: exact and wildcard names, CEL filters, one run per function, invoke routing."""

from __future__ import annotations

from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from inngest_lab.engine.model import FunctionDef, Trigger
from inngest_lab.engine.triggers import TriggerIndex, candidate_patterns, event_name_matches, invoked_target


def fn(fn_id: str, *triggers: Trigger) -> FunctionDef:
    return FunctionDef(fn_id=fn_id, app_id="app", name=fn_id, url="inproc://app", triggers=triggers)


def event(name: str, **data: Any) -> dict[str, Any]:
    return {"id": "e1", "name": name, "data": data, "ts": 1, "user": {}}


def ids(pairs: list[tuple[FunctionDef, Trigger]]) -> list[str]:
    return [f.fn_id for f, _ in pairs]


def test_exact_name_matches_only_itself() -> None:
    assert event_name_matches("app/user.created", "app/user.created")
    assert not event_name_matches("app/user.created", "app/user.created2")


def test_wildcard_after_slash_or_dot_matches_the_prefix() -> None:
    assert event_name_matches("app/*", "app/user.created")
    assert event_name_matches("app/user.*", "app/user.created")
    assert event_name_matches("api/v1/*", "api/v1/users/list")
    assert not event_name_matches("app/user.*", "app/users")


def test_star_not_after_a_delimiter_is_literal() -> None:
    assert not event_name_matches("app*", "apple")
    assert event_name_matches("app*", "app*")
    assert not event_name_matches("*", "anything")


def reference_match(pattern: str, name: str) -> bool:
    """Independent spec: a trailing star after / or . matches any suffix; otherwise equality."""
    if pattern.endswith(("/*", ".*")):
        prefix = pattern[:-1]
        return name[: len(prefix)] == prefix
    return pattern == name


names = st.text(alphabet="ab/.*", max_size=8)


@given(names, names)
def test_wildcard_matching_agrees_with_reference(pattern: str, name: str) -> None:
    assert event_name_matches(pattern, name) == reference_match(pattern, name)


@given(names, names)
def test_index_candidates_find_exactly_the_matching_patterns(pattern: str, name: str) -> None:
    # The index looks a name up under its candidate patterns; that must equal evaluating the pattern.
    assert (pattern in set(candidate_patterns(name))) == event_name_matches(pattern, name)


def test_index_matches_exact_and_wildcard_functions_in_registration_order() -> None:
    index = TriggerIndex(
        [fn("wild", Trigger(event="app/*")), fn("exact", Trigger(event="app/a")), fn("other", Trigger(event="b"))]
    )
    assert ids(index.match(event("app/a"))) == ["wild", "exact"]
    assert ids(index.match(event("b"))) == ["other"]
    assert index.match(event("c")) == []


def test_trigger_expression_filters_events() -> None:
    index = TriggerIndex([fn("big", Trigger(event="order", expression="event.data.total > 100"))])
    assert ids(index.match(event("order", total=150))) == ["big"]
    assert index.match(event("order", total=50)) == []
    assert index.match(event("order")) == []  # missing field: no match, no exception


def test_function_with_several_matching_triggers_starts_once_with_the_first() -> None:
    first, second = Trigger(event="app/a"), Trigger(event="app/*")
    index = TriggerIndex([fn("f", second, first)])
    matched = index.match(event("app/a"))
    assert len(matched) == 1
    assert matched[0][1] == first  # exact names are tried before wildcards


def test_second_trigger_used_when_first_filter_fails() -> None:
    t1 = Trigger(event="e", expression="event.data.kind == 'a'")
    t2 = Trigger(event="e", expression="event.data.kind == 'b'")
    index = TriggerIndex([fn("f", t1, t2)])
    assert index.match(event("e", kind="b")) == [(index.function("f"), t2)]


def test_cron_triggers_are_not_event_matched() -> None:
    index = TriggerIndex([fn("cron", Trigger(cron="* * * * *"))])
    assert index.match(event("inngest/scheduled.timer")) == []


def test_invoked_event_starts_exactly_the_target_whatever_its_triggers() -> None:
    listener = fn("listener", Trigger(event="inngest/function.invoked"))
    child = fn("app-child", Trigger(event="app/child"))
    index = TriggerIndex([listener, child])
    invoked = event("inngest/function.invoked", x=1, _inngest={"fn_id": "app-child", "correlation_id": "r.s"})
    assert invoked_target(invoked) == "app-child"
    assert ids(index.match(invoked)) == ["app-child"]
    missing = event("inngest/function.invoked", _inngest={"fn_id": "nope"})
    assert index.match(missing) == []


def test_invoked_target_is_none_for_other_events() -> None:
    assert invoked_target(event("app/x", _inngest={"fn_id": "a"})) is None
    assert invoked_target(event("inngest/function.invoked")) is None


def test_trigger_expression_can_use_now() -> None:
    trig = Trigger(event="e", expression="date(event.data.at) < now()")
    index = TriggerIndex([fn("f", trig)])
    assert ids(index.match(event("e", at="2020-01-01T00:00:00Z"), now_ms=1_704_067_200_000)) == ["f"]
