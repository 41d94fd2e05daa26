"""Which functions does an event start? Name index (exact and wildcard) first, then the trigger's CEL filter.

Wildcards follow Inngest (``pkg/event_trigger_patterns``): a pattern may end in ``*`` only right after ``/``
or ``.``; ``app/*`` matches every name starting with ``app/`` (including ``app/a/b``), ``app/user.*`` every name
starting with ``app/user.``. A ``*`` anywhere else is a literal character and must match exactly.

``inngest/function.invoked`` is special (protocol §7.3): it starts exactly the function whose id equals
``data._inngest.fn_id``, whatever that function's triggers are.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence

from inngest_lab.engine.expressions import Bindings, ExpressionError, compile_expression
from inngest_lab.engine.model import FunctionDef, Json, Trigger
from inngest_lab.protocol.consts import INTERNAL_DATA_KEY, InternalEvent

_DELIMITERS = "/."


def is_wildcard(pattern: str) -> bool:
    """True for a valid wildcard pattern: ends in ``/*`` or ``.*``."""
    return len(pattern) >= 2 and pattern[-1] == "*" and pattern[-2] in _DELIMITERS


def event_name_matches(pattern: str, name: str) -> bool:
    """Exact match, or ``prefix*`` where ``prefix`` ends in ``/`` or ``.`` and ``name`` starts with it."""
    if is_wildcard(pattern):
        return name.startswith(pattern[:-1])
    return pattern == name


def candidate_patterns(name: str) -> Iterator[str]:
    """Every trigger pattern that could match ``name``: itself plus ``<prefix>*`` at each delimiter."""
    yield name
    for i, ch in enumerate(name):
        if ch in _DELIMITERS:
            yield name[: i + 1] + "*"


def invoked_target(event: Mapping[str, Json]) -> str | None:
    """For an ``inngest/function.invoked`` event, the composite id of the function to start; else None."""
    return invoke_meta(event, "fn_id")


def invoke_meta(event: Mapping[str, Json], key: str) -> str | None:
    """A non-empty string ``key`` of the internal data ``step.invoke`` puts in its ``function.invoked`` event.

    None when ``event`` is another event or the field is missing or not a string.
    """
    if event.get("name") != InternalEvent.FUNCTION_INVOKED:
        return None
    data = event.get("data")
    meta = data.get(INTERNAL_DATA_KEY) if isinstance(data, Mapping) else None
    value = meta.get(key) if isinstance(meta, Mapping) else None
    return value if isinstance(value, str) and value else None


_INVOKED_TRIGGER = Trigger(event=InternalEvent.FUNCTION_INVOKED)


class TriggerIndex:
    """An immutable index of event triggers. Rebuild it when the set of functions changes.

    ``match`` returns each started function once, with the first trigger that matched, in registration order.
    """

    __slots__ = ("_by_id", "_by_pattern", "_order")

    def __init__(self, functions: Sequence[FunctionDef]) -> None:
        self._by_pattern: dict[str, list[tuple[FunctionDef, Trigger]]] = {}
        self._by_id: dict[str, FunctionDef] = {}
        self._order: dict[str, int] = {}
        for position, fn in enumerate(functions):
            self._by_id[fn.fn_id] = fn
            self._order[fn.fn_id] = position
            for trigger in fn.triggers:
                if trigger.event is not None:
                    self._by_pattern.setdefault(trigger.event, []).append((fn, trigger))

    def function(self, fn_id: str) -> FunctionDef | None:
        return self._by_id.get(fn_id)

    def match(self, event: Mapping[str, Json], now_ms: int | None = None) -> list[tuple[FunctionDef, Trigger]]:
        """Functions this event starts. ``now_ms`` feeds CEL's ``now()``; without it ``now()`` is null."""
        name = event.get("name")
        if not isinstance(name, str):
            return []
        target = invoked_target(event)
        if target is not None:
            fn = self._by_id.get(target)
            if fn is None:
                return []
            own = next((t for t in fn.triggers if t.event == name), _INVOKED_TRIGGER)
            return [(fn, own)]
        if name == InternalEvent.FUNCTION_INVOKED:
            return []  # an invoke without a target starts nothing
        bindings: Bindings | None = None  # built once, only if some trigger has a filter
        chosen: dict[str, tuple[FunctionDef, Trigger]] = {}
        for pattern in candidate_patterns(name):
            for fn, trigger in self._by_pattern.get(pattern, ()):
                if fn.fn_id in chosen:
                    continue
                if trigger.expression:
                    if bindings is None:
                        bindings = Bindings({"event": dict(event)}, now_ms)
                    if not _passes(trigger.expression, bindings):
                        continue
                chosen[fn.fn_id] = (fn, trigger)
        return sorted(chosen.values(), key=lambda pair: self._order[pair[0].fn_id])


def _passes(expression: str, bindings: Bindings) -> bool:
    try:
        return compile_expression(expression).matches(bindings)
    except ExpressionError:
        return False  # registration rejects these; an unparsable filter never matches
