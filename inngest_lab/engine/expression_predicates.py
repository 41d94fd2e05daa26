"""Equality predicates of a pause expression (``async.<path> == <literal>``), used to index pauses."""

from __future__ import annotations

from collections.abc import Iterator

from inngest_lab.engine.expression_text import Tok, is_root, literal_value, path_at, tokens
from inngest_lab.engine.expressions import ExpressionError, compile_expression
from inngest_lab.engine.model import Json


def _depths(toks: list[Tok]) -> Iterator[tuple[int, Tok, int]]:
    """Each token with its index and the bracket nesting depth just after it."""
    depth = 0
    for k, t in enumerate(toks):
        if t.kind == "op" and t.text in "([{":
            depth += 1
        elif t.kind == "op" and t.text in ")]}":
            depth -= 1
        yield k, t, depth


def _strip_parens(toks: list[Tok]) -> list[Tok]:
    """Drop parentheses that wrap the whole token list (``((a == 1))`` → ``a == 1``)."""
    while len(toks) >= 2 and toks[0].text == "(" and toks[-1].text == ")":
        if any(depth == 0 and k < len(toks) - 1 for k, _, depth in _depths(toks)):
            return toks  # the first paren closes early: "(a) == (b)"
        toks = toks[1:-1]
    return toks


def _split_and(toks: list[Tok]) -> list[list[Tok]] | None:
    parts: list[list[Tok]] = [[]]
    for _, t, depth in _depths(toks):
        if depth == 0 and t.text == "&&":
            parts.append([])
        else:
            parts[-1].append(t)
    return parts if all(parts) else None


def _literal_tokens(toks: list[Tok]) -> tuple[bool, Json]:
    text = "".join(t.text for t in toks)
    if len(toks) == 1 and (toks[0].kind == "str" and not toks[0].text.lower().startswith(("b", "rb"))):
        return True, literal_value(text)
    if len(toks) == 1 and toks[0].kind == "ident" and toks[0].text in ("true", "false", "null"):
        return True, literal_value(text)
    nums = toks[1:] if len(toks) == 2 and toks[0].text == "-" else toks
    if len(nums) == 1 and nums[0].kind == "num" and not nums[0].text.lower().endswith("u"):
        return True, literal_value(text)
    return False, None


def _async_path(toks: list[Tok]) -> str | None:
    if not toks or not is_root(toks, 0, "async"):
        return None
    keys, last = path_at(toks, 0)
    if last != len(toks) - 1 or not keys:
        return None
    if not all(isinstance(k, str) and k and "." not in k for k in keys):
        return None
    return ".".join(str(k) for k in keys)


def _conjuncts(src: str) -> list[list[Tok]] | None:
    """The top-level ``&&`` operands of ``src``; None when it does not compile or has a top-level ``||`` or ``?:``.

    ``&&`` binds tighter than ``||`` and ``?:``, so splitting at ``&&`` is only sound without them.
    """
    try:
        compile_expression(src)
        toks = _strip_parens(tokens(src))
    except ExpressionError:
        return None
    if any(depth == 0 and t.text in ("||", "?") for _, t, depth in _depths(toks)):
        return None
    return _split_and(toks)


def _equality(part: list[Tok]) -> tuple[str, Json] | None:
    """``(path, literal)`` when ``part`` is exactly ``async.<path> == <non-null literal>`` (either side)."""
    part = _strip_parens(part)
    eq = [k for k, t in enumerate(part) if t.text == "=="]
    if len(eq) != 1:
        return None
    left, right = part[: eq[0]], part[eq[0] + 1 :]
    path, literal = _async_path(left), right
    if path is None:
        path, literal = _async_path(right), left
    if path is None:
        return None
    ok, value = _literal_tokens(literal)
    # null is not indexable: a missing field never matches, an explicit null does.
    if not ok or value is None:
        return None
    return path, value


def equality_predicates(src: str) -> dict[str, Json] | None:
    """``{"data.id": "x", …}`` when ``src`` is a conjunction of ``async.<path> == <literal>`` (either side).

    ``None`` when the expression has any other shape (it must then be evaluated per pause), when a path
    segment is not a plain string key, when a literal is ``null``, or when one path must equal two values.
    Callers compare with CEL equality semantics in mind: ``1 == 1.0`` holds, ``1 == "1"`` does not.
    """
    return _predicates(src, every_conjunct=True)


def index_predicates(src: str) -> dict[str, Json] | None:
    """The equality predicates that ``src`` requires, even when it also has other conditions.

    ``async.data.id == "o-1" && async.data.total > 10`` gives ``{"data.id": "o-1"}``: every event the
    expression matches satisfies them, so they can narrow candidates before the full expression runs.
    None when there is no such predicate (or one path must equal two values, which nothing matches).
    """
    return _predicates(src, every_conjunct=False)


def _predicates(src: str, *, every_conjunct: bool) -> dict[str, Json] | None:
    """The ``path == literal`` conjuncts of ``src``; with ``every_conjunct`` None unless all conjuncts are such."""
    conjuncts = _conjuncts(src)
    if not conjuncts:
        return None
    found: dict[str, Json] = {}
    for raw in conjuncts:
        predicate = _equality(raw)
        if predicate is None:
            if every_conjunct:
                return None
            continue
        path, value = predicate
        if path in found and found[path] != value:
            return None
        found[path] = value
    return found or None
