"""Which pending pauses an incoming event can match, without evaluating every pause's expression.

A pause's expression reads only ``async`` (``event.*`` was interpolated when the pause was created), and
most look like ``async.data.order_id == "o-123"``. Such a pause is filed under an :class:`IndexKey`:
the *signature* (the sorted paths of the equality predicates the expression requires, see
``expressions.index_predicates``) and the *values* those paths must hold. An event then probes each
signature in use for its name with the values it holds at those paths: one exact lookup per signature,
whatever the number of pauses. Pauses whose expression has no such predicate (or no expression at all)
are *unindexed* and are candidates for every event of their name.

Contract: the candidates for an event (indexed ones whose key equals the event's probe, plus the
unindexed ones) are a superset of the pauses whose expression holds for it. ``ingest.match_pauses``
still evaluates each candidate's full expression. Value keys follow CEL equality: ``1 == 1.0`` share a
key, ``1`` and ``"1"`` and ``true`` do not.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from inngest_lab.engine.expression_predicates import index_predicates
from inngest_lab.engine.model import Json

_SEP = "\x1f"  # between the paths of a signature and between the values of a key: never inside either


@dataclass(frozen=True, slots=True)
class IndexKey:
    signature: str  # sorted dotted paths, ``_SEP``-joined
    values: str  # the value key of each path, in signature order, ``_SEP``-joined


def value_key(value: Json) -> str | None:
    """A string equal for values CEL calls equal; None for values no indexed literal can equal."""
    if isinstance(value, bool):
        return "b:1" if value else "b:0"
    if isinstance(value, int | float):
        try:
            return f"n:{float(value) + 0.0!r}"  # + 0.0: -0.0 == 0
        except OverflowError:
            return None  # an int beyond double range: leave it to full evaluation (no literal parses so large)
    if isinstance(value, str):
        return "s:" + value
    return None


def index_key(expression: str | None) -> IndexKey | None:
    """The key a pause with ``expression`` is filed under; None: it must be checked against every event."""
    if not expression:
        return None
    predicates = index_predicates(expression)
    if not predicates:
        return None
    paths = sorted(predicates)
    values = [value_key(predicates[path]) for path in paths]
    if any(v is None or _SEP in v for v in values) or any(_SEP in path for path in paths):
        return None
    return IndexKey(_SEP.join(paths), _SEP.join(v for v in values if v is not None))


def probe(payload: Mapping[str, Json], signature: str) -> IndexKey | None:
    """The key that pauses with ``signature`` must have to possibly match ``payload``; None: none can."""
    keys: list[str] = []
    for path in signature.split(_SEP):
        value: Json = payload
        for part in path.split("."):
            if not isinstance(value, Mapping) or part not in value:
                return None  # a missing field equals no literal
            value = value[part]
        key = value_key(value)
        if key is None:
            return None
        keys.append(key)
    return IndexKey(signature, _SEP.join(keys))
