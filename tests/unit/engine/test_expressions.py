"""CEL expressions: compile errors, lenient evaluation, custom functions, interpolation, equality predicates."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from inngest_lab.engine.expression_predicates import equality_predicates
from inngest_lab.engine.expression_text import interpolate, to_cel_literal
from inngest_lab.engine.expressions import Bindings, ExpressionError, compile_expression

NOW_MS = 1_704_067_200_000  # 2024-01-01T00:00:00Z

EVENT = {"name": "app/order", "data": {"id": "o-1", "total": 120, "user": {"email": "A@B.C"}, "tags": ["x", "y"]}}


def test_compile_error_is_a_readable_value_error() -> None:
    with pytest.raises(ExpressionError) as info:
        compile_expression("event.data.x ==")
    assert isinstance(info.value, ValueError)
    assert info.value.src == "event.data.x =="
    assert "line 1" in info.value.message
    assert "Syntax error" in info.value.message


def test_empty_expression_is_rejected() -> None:
    with pytest.raises(ExpressionError, match="empty"):
        compile_expression("   ")


def test_compile_is_cached() -> None:
    assert compile_expression("event.data.total > 100") is compile_expression("event.data.total > 100")


def test_expression_matches_event_fields() -> None:
    expr = compile_expression("event.data.total > 100 && event.data.user.email == 'A@B.C'")
    assert expr.matches({"event": EVENT})


def test_missing_field_is_no_match_not_an_exception() -> None:
    expr = compile_expression("event.data.missing.deeper == 1")
    assert expr.matches({"event": EVENT}) is False
    assert expr.evaluate({"event": EVENT}) is None


def test_type_error_and_bad_index_are_no_match() -> None:
    assert compile_expression("event.data.id > 5").matches({"event": EVENT}) is False
    assert compile_expression("event.data.tags[9] == 'x'").matches({"event": EVENT}) is False


def test_non_boolean_result_is_no_match_but_evaluates() -> None:
    expr = compile_expression("event.data.total")
    assert expr.evaluate({"event": EVENT}) == 120
    assert expr.matches({"event": EVENT}) is False


def test_integer_and_double_compare_equal() -> None:
    assert compile_expression("event.data.total == 120.0").matches({"event": EVENT})


def test_lowercase_and_uppercase() -> None:
    assert compile_expression("lowercase(event.data.user.email) == 'a@b.c'").matches({"event": EVENT})
    assert compile_expression("uppercase(event.data.id) == 'O-1'").matches({"event": EVENT})


def test_json_parse_returns_a_map() -> None:
    event = {"data": {"raw": '{"a": {"b": 2}}'}}
    assert compile_expression("json_parse(event.data.raw).a.b == 2").matches({"event": event})


def test_now_functions_use_the_given_clock() -> None:
    bindings = Bindings({"event": {"data": {"at": "2023-12-31T23:30:00Z"}}}, now_ms=NOW_MS)
    assert compile_expression("now()").evaluate(bindings) == "2024-01-01T00:00:00Z"
    assert compile_expression("date(event.data.at) > now_minus('1h')").matches(bindings)
    assert compile_expression("date(event.data.at) < now_plus('1h')").matches(bindings)
    assert compile_expression("date(event.data.at) < now_minus('10m')").matches(bindings)


def test_now_without_a_clock_never_matches() -> None:
    assert compile_expression("now() > date('2000-01-01T00:00:00Z')").matches({"event": {}}) is False


def test_date_accepts_epoch_seconds_and_milliseconds() -> None:
    bindings = Bindings({"s": 1_704_067_200, "ms": NOW_MS})
    assert compile_expression("date(s) == date(ms)").matches(bindings)


def test_bindings_are_reusable_across_expressions() -> None:
    bindings = Bindings({"event": EVENT})
    assert compile_expression("event.data.id == 'o-1'").matches(bindings)
    assert not compile_expression("event.data.id == 'o-2'").matches(bindings)


# ---------------------------------------------------------------- interpolation


def test_interpolate_replaces_event_paths_with_literals() -> None:
    out = interpolate("async.data.id == event.data.id && async.data.total >= event.data.total", EVENT)
    assert out == 'async.data.id == "o-1" && async.data.total >= 120'


def test_interpolate_missing_path_becomes_null() -> None:
    assert interpolate("async.data.x == event.data.nope.deeper", EVENT) == "async.data.x == null"


def test_interpolate_leaves_string_literals_and_async_alone() -> None:
    src = "async.event.data == 'event.data.id' && async.data.id == \"event.data.id\""
    assert interpolate(src, EVENT) == src


def test_interpolate_handles_brackets_lists_and_maps() -> None:
    out = interpolate("async.data.tag == event.data.tags[1] && async.data.u == event.data['user']", EVENT)
    assert out == 'async.data.tag == "y" && async.data.u == {"email": "A@B.C"}'
    assert compile_expression(out).matches({"async": {"data": {"tag": "y", "u": {"email": "A@B.C"}}}})


def test_interpolate_keeps_method_calls_on_the_value() -> None:
    out = interpolate("event.data.id.startsWith('o') && async.name == event.name", EVENT)
    assert out == '"o-1".startsWith(\'o\') && async.name == "app/order"'
    assert compile_expression(out).matches({"async": {"name": "app/order"}})


def test_interpolate_resolves_has_macro() -> None:
    out = interpolate("has(event.data.id) && !has(event.data.nope) && has(async.data.x)", EVENT)
    assert out == "true && !false && has(async.data.x)"


def test_interpolate_escapes_quotes_and_newlines() -> None:
    event = {"data": {"s": 'say "hi"\nand \\ bye'}}
    out = interpolate("async.data.s == event.data.s", event)
    assert compile_expression(out).matches({"async": {"data": {"s": 'say "hi"\nand \\ bye'}}})


def test_interpolate_rejects_invalid_expression() -> None:
    with pytest.raises(ExpressionError):
        interpolate("event.data.id ==", EVENT)


json_scalars = st.none() | st.booleans() | st.integers(-(2**63), 2**63 - 1) | st.text(max_size=20)
json_values = st.recursive(
    json_scalars | st.floats(allow_nan=False, allow_infinity=False),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3),
    max_leaves=8,
)


@given(json_values)
def test_literals_round_trip_through_cel(value: Any) -> None:
    assert compile_expression(f"x == {to_cel_literal(value)}").matches({"x": value})


identifiers = st.from_regex(r"[a-z][a-z0-9_]{0,6}", fullmatch=True).filter(
    lambda s: s not in {"in", "as", "null", "true", "false", "break", "const", "continue", "else", "for",
                        "function", "if", "import", "let", "loop", "package", "namespace", "return", "var",
                        "void", "while"}
)  # fmt: skip


@given(st.lists(identifiers, min_size=1, max_size=3), st.lists(identifiers, min_size=1, max_size=3), json_scalars)
def test_interpolation_never_changes_async_references(async_path: list[str], event_path: list[str], value: Any) -> None:
    event: dict[str, Any] = {}
    node = event
    for key in event_path[:-1]:
        node = node.setdefault(key, {})
    node[event_path[-1]] = value
    async_ref = "async." + ".".join(async_path)
    out = interpolate(f"{async_ref} == event.{'.'.join(event_path)} && 'event.x' != {async_ref}", event)
    assert out.startswith(f"{async_ref} == ")
    assert out.endswith(f" && 'event.x' != {async_ref}")
    assert "event." not in out.replace("'event.x'", "")


# ---------------------------------------------------------------- equality predicates


def test_equality_predicates_for_a_conjunction() -> None:
    src = 'async.data.id == "o-1" && 120 == async.data.total && (async.name == "x")'
    assert equality_predicates(src) == {"data.id": "o-1", "data.total": 120, "name": "x"}


def test_equality_predicates_with_bracket_keys() -> None:
    assert equality_predicates("async.data['id'] == -2.5") == {"data.id": -2.5}


@pytest.mark.parametrize(
    "src",
    [
        "async.data.a == 1 || async.data.b == 2",
        "async.data.a > 1",
        "async.data.a == async.data.b",
        "!(async.data.a == 1)",
        "async.data.a == 1 && async.data.a == 2",
        "async.data.a == null",
        "async.data.a == [1]",
        "async.data.name.startsWith('x') == true",
        "async.data['a.b'] == 1",
        "event.data.a == 1",
        "async.data.a ==",
    ],
)
def test_equality_predicates_refuses_other_shapes(src: str) -> None:
    assert equality_predicates(src) is None


@given(st.dictionaries(identifiers, json_scalars.filter(lambda v: v is not None), min_size=1, max_size=4))
def test_equality_predicates_agree_with_evaluation(expected: dict[str, Any]) -> None:
    src = " && ".join(f"async.data.{k} == {to_cel_literal(v)}" for k, v in expected.items())
    assert equality_predicates(src) == {f"data.{k}": v for k, v in expected.items()}
    assert compile_expression(src).matches({"async": {"data": expected}})
