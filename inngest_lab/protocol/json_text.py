"""JSON text for the hot paths (stored records, the Event API, SDK requests and answers): ``orjson`` wherever it
gives the standard library's answer, the standard library wherever it might not.

``orjson`` encodes 10-13x and decodes 3-4x faster than ``json``, and JSON was the largest single cost of a
``start`` process per step (``docs/performance.md``). Its differences, and how each is kept out:

* integers past 64 bits: it refuses to encode them and *decodes them as floats*; encoding falls back, and text
  with a run of 20 digits, or a minus and 19, is decoded by the standard library (strings with such digit runs
  pay for it);
* ``NaN``, ``Infinity``, lone surrogates, non-UTF-8 text: it refuses to decode them, so the standard library
  decodes or rejects them with its own message (callers' 400s read as before);
* dict keys that are not strings, sets, dataclasses, datetimes: it refuses to encode them, so the standard
  library (with the caller's ``default``) does;
* it writes ``NaN`` and the infinities as ``null``, as JavaScript's ``JSON.stringify`` does (the standard
  library writes ``NaN``, which no JSON parser of the SDKs accepts); non-ASCII as UTF-8, never ``\\u`` escapes;
  floats in their shortest form (``0.00001`` for ``1e-05``: the same number).

Output is compact (no spaces), as every caller here asked of ``json``.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import orjson

if TYPE_CHECKING:
    from inngest_lab.engine.model import Json

_PASSTHROUGH = orjson.OPT_PASSTHROUGH_DATACLASS | orjson.OPT_PASSTHROUGH_DATETIME
# every digit a "0", "-" kept, the rest " ": then "may hold an integer orjson misreads" is two substring tests
_DIGITS_AS_ZERO = bytes(48 if 48 <= b <= 57 else 45 if b == 45 else 32 for b in range(256))
_TWENTY_DIGITS = b"0" * 20  # past 2**64 - 1, the largest integer orjson reads as one (20 digits)
_NEGATIVE_NINETEEN = b"-" + b"0" * 19  # below -2**63, the smallest (19 digits)
_STD_ENCODER = json.JSONEncoder(separators=(",", ":"), ensure_ascii=False)


def dumps(value: Any) -> str:
    """Compact JSON text of ``value``. (Not ``dumps_bytes(value).decode()``: a lone surrogate, which the standard
    library writes as it is, has no UTF-8 bytes.)"""
    try:
        return orjson.dumps(value, option=_PASSTHROUGH).decode()
    except TypeError:
        return _STD_ENCODER.encode(value)


def dumps_bytes(value: Any, fallback: json.JSONEncoder | None = None) -> bytes:
    """Compact UTF-8 JSON of ``value``; what ``orjson`` refuses goes to ``fallback`` (default: plain ``json``),
    whose ``default`` and ``allow_nan`` then decide."""
    try:
        return orjson.dumps(value, option=_PASSTHROUGH)
    except TypeError:
        return (fallback or _STD_ENCODER).encode(value).encode()


def loads(text: str | bytes, fallback: Callable[[str | bytes], Any] = json.loads) -> Json:
    """The value of JSON ``text``; text ``orjson`` refuses (or might misread) goes to ``fallback``, which decodes
    it or raises its own error (``ValueError``)."""
    try:
        data = text.encode() if isinstance(text, str) else text
    except UnicodeEncodeError:  # a lone surrogate
        return fallback(text)
    # Text that may hold an integer past 64 bits, tested at C speed (``re`` would take ten times as long as the
    # parse). Nanosecond timestamps (19 digits, positive) stay on the fast path.
    shape = data.translate(_DIGITS_AS_ZERO)
    if _TWENTY_DIGITS not in shape and _NEGATIVE_NINETEEN not in shape:
        try:
            value: Json = orjson.loads(data)
            return value
        except orjson.JSONDecodeError:
            pass
    result: Json = fallback(text)
    return result
