"""CEL source rewriting: a lexer with spans, JSON values as CEL literals, and ``event.*`` interpolation.

The lexer (:func:`tokens`, :func:`path_at`) is shared with :mod:`inngest_lab.engine.expression_predicates`.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from inngest_lab.engine.expressions import CACHE_SIZE, ExpressionError, compile_expression
from inngest_lab.engine.model import Json

_INT64_MAX = 2**63 - 1

_TOKEN_RE = re.compile(
    r"""
    (?P<ws>\s+|//[^\n]*)
  | (?P<str>
        [rR][bB]?(?:'''.*?'''|\"\"\".*?\"\"\"|'[^'\n]*'|"[^"\n]*")
      | [bB][rR](?:'''.*?'''|\"\"\".*?\"\"\"|'[^'\n]*'|"[^"\n]*")
      | [bB]?(?:'''(?:\\.|[^\\])*?'''|\"\"\"(?:\\.|[^\\])*?\"\"\"|'(?:\\.|[^'\\\n])*'|"(?:\\.|[^"\\\n])*")
    )
  | (?P<num>0[xX][0-9a-fA-F]+[uU]?|\d+\.\d+(?:[eE][+-]?\d+)?|\.\d+(?:[eE][+-]?\d+)?|\d+[eE][+-]?\d+|\d+[uU]?)
  | (?P<ident>[A-Za-z_][A-Za-z0-9_]*)
  | (?P<op>==|!=|<=|>=|&&|\|\||[-+*/%!<>?:.,()\[\]{}])
    """,
    re.VERBOSE | re.DOTALL,
)


@dataclass(frozen=True, slots=True)
class Tok:
    """A significant token of CEL source and its ``[start, end)`` span."""

    kind: str  # str | num | ident | op
    text: str
    start: int
    end: int


def tokens(src: str) -> list[Tok]:
    """Significant tokens with their spans. Assumes ``src`` already compiled (so it lexes cleanly)."""
    out: list[Tok] = []
    pos = 0
    while pos < len(src):
        m = _TOKEN_RE.match(src, pos)
        if m is None or m.lastgroup is None:
            raise ExpressionError(src, f"unexpected character at {pos}")
        if m.lastgroup != "ws":
            out.append(Tok(m.lastgroup, m.group(), m.start(), m.end()))
        pos = m.end()
    return out


@lru_cache(maxsize=CACHE_SIZE)
def literal_value(text: str) -> Json:
    """The value of a CEL literal token (string, number, bool, null)."""
    import cel  # on first use, as in compile_expression

    return cel.compile(text).execute({})


_MISSING = object()


def path_at(toks: list[Tok], i: int) -> tuple[list[Json], int]:
    """Read a static member chain after the root identifier at ``i``: ``.name`` and ``[literal]`` steps.

    Stops before a method call (``.startsWith(``) or a dynamic index. Returns (keys, index of the last token).
    """
    keys: list[Json] = []
    j = i
    while j + 1 < len(toks):
        nxt = toks[j + 1]
        if nxt.text == "." and j + 2 < len(toks) and toks[j + 2].kind == "ident":
            if j + 3 < len(toks) and toks[j + 3].text == "(":
                break  # a method call on the value, not a field
            keys.append(toks[j + 2].text)
            j += 2
        elif (
            nxt.text == "["
            and j + 3 < len(toks)
            and toks[j + 2].kind in ("str", "num")
            and toks[j + 3].text == "]"
            and not toks[j + 2].text.lower().startswith("b")
        ):
            keys.append(literal_value(toks[j + 2].text))
            j += 3
        else:
            break
    return keys, j


def _lookup(root: Json, keys: list[Json]) -> Any:
    value: Any = root
    for key in keys:
        if isinstance(value, Mapping):
            found = isinstance(key, str) and key in value
        else:
            found = isinstance(value, list) and type(key) is int and -1 < key < len(value)
        if not found:
            return _MISSING
        value = value[key]
    return value


def is_root(toks: list[Tok], i: int, name: str) -> bool:
    return toks[i].kind == "ident" and toks[i].text == name and (i == 0 or toks[i - 1].text != ".")


def to_cel_literal(value: Json) -> str:
    """A CEL literal for a JSON value (``null``, ``true``, numbers, strings, lists, maps)."""
    if value is None or value is _MISSING:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, int):
        return str(value) if -_INT64_MAX - 1 <= value <= _INT64_MAX else repr(float(value))
    if isinstance(value, float):
        return repr(value) if value == value and value not in (float("inf"), float("-inf")) else "null"
    if isinstance(value, str):
        safe = value.encode("utf-8", "replace").decode("utf-8")  # lone surrogates cannot appear in CEL source
        return json.dumps(safe, ensure_ascii=False)
    if isinstance(value, Mapping):
        items = ", ".join(f"{to_cel_literal(str(k))}: {to_cel_literal(v)}" for k, v in value.items())
        return "{" + items + "}"
    if isinstance(value, list | tuple):
        return "[" + ", ".join(to_cel_literal(v) for v in value) + "]"
    return to_cel_literal(str(value))


def interpolate(src: str, event: Mapping[str, Json]) -> str:
    """Replace every ``event.<path>`` in ``src`` with the literal value from ``event`` (missing → ``null``).

    Done when a wait_for_event / cancel_on pause is created, so the stored expression only reads ``async``.
    String literals, ``async.*`` and method names are left untouched; ``has(event.x)`` becomes ``true``/``false``.
    Raises :class:`ExpressionError` when ``src`` does not compile.
    """
    compile_expression(src)
    toks = tokens(src)
    parts: list[str] = []
    cursor = 0
    i = 0
    while i < len(toks):
        if not is_root(toks, i, "event"):
            i += 1
            continue
        keys, last = path_at(toks, i)
        value = _lookup(event, keys)
        start, end = toks[i].start, toks[last].end
        in_has = i >= 2 and toks[i - 1].text == "(" and toks[i - 2].text == "has" and keys
        if in_has and last + 1 < len(toks) and toks[last + 1].text == ")":
            start, end = toks[i - 2].start, toks[last + 1].end
            replacement = "false" if value is _MISSING else "true"
            last += 1
        else:
            replacement = to_cel_literal(value)
        parts.append(src[cursor:start])
        parts.append(replacement)
        cursor = end
        i = last + 1
    parts.append(src[cursor:])
    return "".join(parts)
