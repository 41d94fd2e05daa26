"""The pause index never hides a pause whose expression holds for an event (candidates are a superset)."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from inngest_lab.engine.expression_predicates import index_predicates
from inngest_lab.engine.expression_text import to_cel_literal
from inngest_lab.engine.expressions import compile_expression
from inngest_lab.engine.pause_index import index_key, probe

FIELDS = ["a", "b", "c"]
scalars = st.one_of(
    st.booleans(),
    st.integers(-3, 3),
    st.sampled_from([0.0, -0.0, 1.0, 2.5, -1.0]),
    st.sampled_from(["", "1", "a", "o-1", "a.b", "x y"]),
)
event_values = st.one_of(scalars, st.none(), st.lists(st.integers(0, 2), max_size=2), st.just({"k": 1}))


@st.composite
def expressions(draw: st.DrawFn) -> str:
    """Conjunctions of equalities on ``async.data.*``, sometimes with a non-indexable condition or a disjunction."""
    parts = [
        f"async.data.{draw(st.sampled_from(FIELDS))} == {to_cel_literal(draw(scalars))}"
        for _ in range(draw(st.integers(1, 3)))
    ]
    extra = draw(st.sampled_from(["", "range", "or", "not"]))
    if extra == "range":
        parts.append("size(async.data) > 0")
    src = " && ".join(parts)
    if extra == "or":
        src = f"{src} || async.data.a == 1"
    if extra == "not":
        src = f"!({src})"
    return src


def candidate(src: str, event: dict[str, Any]) -> bool:
    key = index_key(src)
    return key is None or probe(event, key.signature) == key


@given(expressions(), st.dictionaries(st.sampled_from(FIELDS), event_values))
def test_a_pause_whose_expression_holds_is_always_a_candidate(src: str, data: dict[str, Any]) -> None:
    event = {"name": "x/y", "data": data}
    if compile_expression(src).matches({"async": event}):
        assert candidate(src, event)


@given(st.dictionaries(st.sampled_from(FIELDS), scalars, min_size=1), st.dictionaries(st.sampled_from(FIELDS), scalars))
def test_a_pure_conjunction_of_equalities_is_a_candidate_exactly_when_it_holds(
    expected: dict[str, Any], data: dict[str, Any]
) -> None:
    src = " && ".join(f"async.data.{k} == {to_cel_literal(v)}" for k, v in expected.items())
    event = {"name": "x/y", "data": data}
    assert candidate(src, event) == compile_expression(src).matches({"async": event})


@pytest.mark.parametrize(
    ("src", "expected"),
    [
        ('async.data.id == "o-1" && async.data.total > 10', {"data.id": "o-1"}),
        ('(async.data.total > 10 || async.data.vip == true) && "o-1" == async.data.id', {"data.id": "o-1"}),
        ('async.data.id == "o-1" || async.data.id == "o-2"', None),
        ('async.data.id == "o-1" && async.data.id == "o-2"', None),
        ('async.data.total > 10 ? async.data.id == "o-1" : true && async.data.x == 1', None),
        ("async.data.total > 10", None),
    ],
)
def test_index_predicates_keep_only_conditions_every_match_needs(src: str, expected: dict[str, Any] | None) -> None:
    assert index_predicates(src) == expected


def test_pauses_without_a_usable_predicate_have_no_key() -> None:
    assert index_key(None) is None
    assert index_key("async.data.total > 10") is None
    assert index_key('async.data.id == "o-1"') is not None
