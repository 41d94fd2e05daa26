"""``protocol/json_text.py`` uses orjson where it gives the standard library's answer and the standard library
where orjson would not: integers past 64 bits, lone surrogates, NaN, non-string keys. (NaN and the infinities
are written as ``null``, as JavaScript writes them.)"""

from __future__ import annotations

import json
import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from inngest_lab.protocol import json_text

scalars = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**80), max_value=2**80)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text()
)
values = st.recursive(
    scalars, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4), max_leaves=20
)


@given(values)
def test_any_json_value_reads_back_as_the_standard_library_reads_it(value: object) -> None:
    assert json.loads(json_text.dumps(value)) == value
    assert json_text.loads(json.dumps(value)) == json.loads(json.dumps(value))
    assert json_text.loads(json_text.dumps(value).encode()) == value


def test_integers_past_64_bits_keep_every_digit_both_ways() -> None:
    big = 123456789012345678901234567890
    assert json_text.loads(str(big)) == big
    assert json_text.loads(b'{"id": -98765432109876543210}') == {"id": -98765432109876543210}
    for edge in (2**64 - 1, 2**64, -(2**63), -(2**63) - 1, 9_999_999_999_999_999_999, -9_999_999_999_999_999_999):
        assert json_text.loads(f"[{edge}]") == [edge], edge
    assert json_text.loads('{"timing": {"a": 1733000000123456789}}') == {"timing": {"a": 1733000000123456789}}
    assert json_text.dumps({"id": big}) == '{"id":123456789012345678901234567890}'


def test_what_orjson_refuses_is_decoded_or_refused_by_the_fallback() -> None:
    assert json_text.loads('["\\ud800"]') == ["\ud800"]  # a lone surrogate escape
    nan = json_text.loads("NaN")
    assert isinstance(nan, float) and math.isnan(nan)
    with pytest.raises(ValueError, match="Expecting property name"):
        json_text.loads("{not json")

    def strict(text: str | bytes) -> object:
        raise ValueError("refused by the caller")

    with pytest.raises(ValueError, match="refused by the caller"):
        json_text.loads("[Infinity]", strict)


def test_what_orjson_cannot_encode_goes_to_the_fallback_encoder() -> None:
    assert json_text.dumps({1: "a"}) == '{"1":"a"}'
    assert json_text.dumps("\ud800") == '"\ud800"'
    with_sets = json.JSONEncoder(separators=(",", ":"), default=sorted)
    assert json_text.dumps_bytes({"s": {2, 1}}, with_sets) == b'{"s":[1,2]}'
    assert json_text.dumps(float("nan")) == "null"
    assert json_text.dumps({"é": 0.00001}) == '{"é":0.00001}'
