"""JCS (RFC 8785) canonical JSON bytes, fast for the values call requests actually hold.

Call-request bodies must be JCS-canonical and signatures cover exactly those bytes (protocol doc
section 0.1). The ``jcs`` package encodes in pure Python and was the largest single cost of an HTTP
step (~17% of the server's CPU with ten memos per body). For most values the C ``json`` encoder with
sorted keys writes the very same bytes; ``canonical_json`` checks that first and falls back to
``jcs`` otherwise, so the output is always exactly ``jcs.canonicalize(value)``.

When the two agree (everything ``_plain`` accepts): strings (both use ``_json``'s escaper), ``null``,
booleans, ints within ±2**53 (JCS formats numbers as IEEE doubles; beyond that they round), floats
whose shortest repr is already the ES6 form (no exponent, not integral, finite), lists and tuples,
and dicts whose keys are ASCII strings (so code-point order equals JCS's UTF-16 order).
"""

from __future__ import annotations

import json
from typing import Any

import jcs

_MAX_EXACT_INT = 2**53
_MAX_DEPTH = 100  # deeper (or circular) values take the jcs path, which reports cycles itself
_SAFE_LEAVES = frozenset({str, bool, type(None)})
_ENCODE = json.JSONEncoder(ensure_ascii=False, sort_keys=True, separators=(",", ":"), allow_nan=False).encode


def canonical_json(value: Any) -> bytes:
    """``jcs.canonicalize(value)``: the RFC 8785 bytes of a JSON value (same output, same exceptions)."""
    if _plain(value, 0):
        return _ENCODE(value).encode()
    canonical: bytes = jcs.canonicalize(value)
    return canonical


def _plain(value: Any, depth: int) -> bool:
    """True when the C encoder's sorted, compact output of ``value`` is its JCS form."""
    t = type(value)
    if t is dict:
        if depth > _MAX_DEPTH:
            return False
        for key, item in value.items():
            if type(key) is not str or not key.isascii():
                return False
            # leaves are checked inline: a call per memo value would cost as much as the encoding
            if type(item) not in _SAFE_LEAVES and not _plain(item, depth + 1):
                return False
        return True
    if t is list or t is tuple:
        if depth > _MAX_DEPTH:
            return False
        return all(type(item) in _SAFE_LEAVES or _plain(item, depth + 1) for item in value)
    if t is int:
        return bool(-_MAX_EXACT_INT <= value <= _MAX_EXACT_INT)
    if t is float:
        text = float.__repr__(value)
        # "1e-07", "1e+16": ES6 places exponents elsewhere; "3.0", "-0.0": ES6 writes "3", "0"; nan/inf: error
        return "e" not in text and not text.endswith(".0") and text[-1].isdigit()
    return t in _SAFE_LEAVES


__all__ = ["canonical_json"]
