"""canonical_json is byte-for-byte jcs.canonicalize (RFC 8785), only faster on the common values."""

from __future__ import annotations

from typing import Any

import jcs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from inngest_lab.protocol.canonical import canonical_json

_scalars = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**64), max_value=2**64)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.sampled_from(
        [0.0, -0.0, 1.0, 3.0, 1e-7, 1e-6, 1e-5, 1e15, 1e16, 1e20, 1e21, 1.5e300, 2.0**53, 2**53, 2**53 + 1]
    )
    | st.text()
)
_keys = st.text(max_size=4) | st.sampled_from(["a", "b", "é", "\ue000", "\U0001f600", "A", ""])
json_values = st.recursive(
    _scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(_keys, inner, max_size=4),
    max_leaves=20,
)


def _outcome(fn: Any, value: Any) -> Any:
    try:
        return fn(value)
    except Exception as exc:  # the exception type is the outcome compared
        return type(exc)


@settings(max_examples=500, deadline=None)  # an equivalence property: a busy shared box must not fail it
@given(json_values)
def test_canonical_json_matches_jcs_for_any_json_value(value: Any) -> None:
    assert _outcome(canonical_json, value) == _outcome(jcs.canonicalize, value)


@pytest.mark.parametrize(
    "value",
    [
        {"b": 1, "a": [1.5, 2, "x"], "c": {"z": None, "y": True}},
        {"steps": {"h1": {"data": 1734567890.123456}}, "ctx": {"attempt": 0}},
        {"\U0001f600": 1, "\ue000": 2},  # UTF-16 order differs from code-point order
        [3.0, -0.0, 1e-7, 1e21, 2**60],
        "plain string",
        ("tuple", 1),
    ],
)
def test_canonical_json_matches_jcs_on_tricky_values(value: Any) -> None:
    assert canonical_json(value) == jcs.canonicalize(value)


def test_canonical_json_rejects_what_jcs_rejects() -> None:
    cyclic: list[Any] = []
    cyclic.append(cyclic)
    for bad in (float("nan"), float("inf"), {"a": float("-inf")}, cyclic, {"a": object()}):
        with pytest.raises((ValueError, TypeError)):
            canonical_json(bad)
