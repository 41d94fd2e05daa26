"""Flow-control keys: a CEL ``key`` evaluated on the event, turned into a short, stable state key.

Every feature keeps its state per ``(feature, function, key value)``; the value is hashed so state keys stay
short whatever the event holds. A function without a ``key`` uses one function-wide key.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping

from inngest_lab.engine.expressions import compile_expression
from inngest_lab.engine.model import Json

FUNCTION_WIDE = ""


def key_value(expression: str | None, event: Mapping[str, Json]) -> Json:
    """The key's value for ``event`` (None when the expression fails, e.g. a missing field); ``""`` without one."""
    if expression is None:
        return FUNCTION_WIDE
    return compile_expression(expression).evaluate({"event": dict(event)})


def key_text(value: Json) -> str:
    """A value as key text: strings as they are, anything else as compact JSON."""
    return value if isinstance(value, str) else json.dumps(value, sort_keys=True, separators=(",", ":"))


def state_key(feature: str, fn_id: str, value: Json) -> str:
    """``<feature>:<fn_id>:<sha1 of the key text>`` (``<feature>:<fn_id>`` when function-wide)."""
    text = key_text(value)
    if text == FUNCTION_WIDE:
        return f"{feature}:{fn_id}"
    digest = hashlib.sha1(text.encode("utf-8", "surrogatepass")).hexdigest()  # noqa: S324 - a key, not security
    return f"{feature}:{fn_id}:{digest}"
