"""CEL expressions: compile once, evaluate leniently.

Rewriting source (``event.*`` interpolation, literals) lives in :mod:`inngest_lab.engine.expression_text`;
equality predicates for the pause index in :mod:`inngest_lab.engine.expression_predicates`.

Backed by the ``common-expression-language`` package (``import cel``, a Rust CEL implementation). It was chosen
over cel-python after measuring ~13 µs vs ~140 µs per evaluation here; reusing one :class:`Bindings` across many
expressions (trigger matching fans one event out to every candidate) brings that to ~1.5 µs, because converting
the variables dominates.

Contracts:

- :func:`compile_expression` caches programs (LRU) and raises :class:`ExpressionError` on syntax errors.
- Evaluation never raises: a missing key or field, an out-of-range index or a type error makes
  :meth:`CompiledExpression.evaluate` return ``None`` and :meth:`CompiledExpression.matches` return ``False``.
- Inngest's custom functions are available: ``lowercase``, ``uppercase``, ``json_parse``, ``b64decode``, ``date``,
  ``now``, ``now_plus``, ``now_minus``. The engine reads no clock: ``now*`` use the ``now_ms`` given to
  :class:`Bindings` and yield ``null`` (so comparisons fail to match) when none was given.

Differences from Inngest's Go evaluator: Inngest relaxes typing on ``+ == < …`` between mismatched types; here
CEL is strict (numeric ``1 == 1.0`` is still true), and a comparison with a missing field is no match rather
than a comparison with ``null``.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from typing import Any

from inngest_lab.engine.model import Json
from inngest_lab.protocol.durations import DurationError, parse_duration_ms, parse_time_ms

CUSTOM_FUNCTIONS = frozenset(
    {"lowercase", "uppercase", "json_parse", "b64decode", "date", "now", "now_plus", "now_minus"}
)
CACHE_SIZE = 4096  # compiled programs and literal values kept


class ExpressionError(ValueError):
    """An expression does not compile. ``src`` is the expression, ``message`` a readable reason."""

    def __init__(self, src: str, message: str) -> None:
        super().__init__(f"invalid expression {src!r}: {message}")
        self.src = src
        self.message = message


# ---------------------------------------------------------------- custom functions


def _custom_functions(now_ms: int | None) -> dict[str, Any]:
    """Inngest's extra CEL functions. They return ``None`` on bad input so a bad call is simply no match."""
    now = None if now_ms is None else datetime.fromtimestamp(now_ms / 1000, tz=UTC)

    def shift(text: object, sign: int) -> datetime | None:
        if now is None or not isinstance(text, str):
            return None
        try:
            return now + sign * timedelta(milliseconds=parse_duration_ms(text))
        except DurationError:
            return None

    return {
        "lowercase": lambda s: s.lower() if isinstance(s, str) else None,
        "uppercase": lambda s: s.upper() if isinstance(s, str) else None,
        "json_parse": _json_parse,
        "b64decode": _b64decode,
        "date": _date,
        "now": lambda: now,
        "now_plus": lambda d: shift(d, 1),
        "now_minus": lambda d: shift(d, -1),
    }


def _json_parse(text: object) -> Json:
    if not isinstance(text, str):
        return None
    try:
        return json.loads(text)
    except ValueError:
        return {}  # Inngest unmarshals into an empty map on failure


def _b64decode(text: object) -> str | None:
    if not isinstance(text, str):
        return None
    try:
        return base64.b64decode(text, validate=True).decode("utf-8", "replace")
    except (binascii.Error, ValueError):
        return ""


def _date(value: object) -> datetime | None:
    """An ISO/RFC3339 string, or epoch seconds/milliseconds (ms when larger than 1e11), as a timestamp."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        ms = value if abs(value) > 1e11 else value * 1000
        return datetime.fromtimestamp(ms / 1000, tz=UTC)
    if isinstance(value, str):
        parsed = parse_time_ms(value)
        return None if parsed is None else datetime.fromtimestamp(parsed / 1000, tz=UTC)
    return None


# ---------------------------------------------------------------- compile and evaluate


class Bindings:
    """Variables converted once for CEL, reusable across many expressions (not thread-safe)."""

    __slots__ = ("context", "variables")

    def __init__(self, variables: Mapping[str, Json], now_ms: int | None = None) -> None:
        import cel  # here, not at the top: see compile_expression

        self.variables = variables
        self.context = cel.Context(variables=dict(variables), functions=_custom_functions(now_ms))


@dataclass(frozen=True, slots=True)
class CompiledExpression:
    """A compiled CEL program. Build with :func:`compile_expression`."""

    source: str
    program: Any  # cel.Program (untyped library)
    uses_custom_functions: bool

    def evaluate(self, variables: Mapping[str, Json] | Bindings) -> Json:
        """The expression's value, or ``None`` when evaluation fails (missing field, type error, …).

        Timestamps come back as RFC3339 strings and durations as ``"<seconds>s"`` so results stay JSON.
        """
        if isinstance(variables, Bindings):
            context: Any = variables.context
        elif self.uses_custom_functions:
            context = Bindings(variables).context
        else:
            context = dict(variables)
        try:
            result = self.program.execute(context)
        except (KeyError, TypeError, IndexError, ValueError, RuntimeError, OverflowError):
            return None
        return _to_json(result)

    def matches(self, variables: Mapping[str, Json] | Bindings) -> bool:
        """True only when the expression evaluates to boolean ``true``."""
        return self.evaluate(variables) is True


def _to_json(value: Any) -> Json:
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat().replace("+00:00", "Z")
    if isinstance(value, timedelta):
        return f"{value.total_seconds():g}s"
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    if isinstance(value, list):
        return [_to_json(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _to_json(v) for k, v in value.items()}
    return value


@lru_cache(maxsize=CACHE_SIZE)
def compile_expression(src: str) -> CompiledExpression:
    """Compile (cached). Raises :class:`ExpressionError` with the parser's message on syntax errors."""
    if not src.strip():
        raise ExpressionError(src, "expression is empty")
    # Imported on first use: the cel package loads its command-line tool (prompt_toolkit) on import, about
    # 0.1 s that ``import inngest_lab`` and a server without expressions should not pay.
    import cel

    try:
        program = cel.compile(src)
    except ValueError as exc:
        raise ExpressionError(src, _readable(str(exc))) from None
    used = set(program.functions())
    return CompiledExpression(src, program, bool(used & CUSTOM_FUNCTIONS))


def _readable(message: str) -> str:
    """Keep the library's ``<input>:line:col: reason`` and drop its caret drawing."""
    found = re.search(r"ERROR: <input>:(\d+):(\d+): ([^\n|]+)", message)
    if found:
        reason = re.sub(r" expecting \{[^}]*\}", "", found.group(3)).strip()  # the token list is noise to users
        return f"{reason} (line {found.group(1)}, column {found.group(2)})"
    return message.splitlines()[0] if message else "syntax error"
