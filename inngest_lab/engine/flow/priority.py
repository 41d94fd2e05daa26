"""Run priority (pure): ``priority.run`` is CEL over the triggering event giving whole seconds.

As Inngest does (``pkg/inngest/function.go#RunPriorityFactor``): the value must be an integer (anything
else, or a failed evaluation, is 0) and is clamped to ±12 hours. A run with priority N is scheduled
ahead of work queued up to N seconds earlier; a negative N holds it behind work queued up to -N
seconds later. Inngest's docs quote -600..600 as the default range; its server clamps at ±43,200 s,
which is what is applied here.
"""

from __future__ import annotations

from collections.abc import Mapping

from inngest_lab.engine.expressions import compile_expression
from inngest_lab.engine.model import FunctionDef, Json

MAX_PRIORITY_S = 43_200  # consts.PriorityFactorMax
MIN_PRIORITY_S = -43_200


def expression(fn: FunctionDef) -> str | None:
    raw = fn.config.get("priority")
    run = raw.get("run") if isinstance(raw, Mapping) else None
    return run if isinstance(run, str) and run.strip() else None


def priority_s(run_expression: str, event: Mapping[str, Json]) -> int:
    """Seconds of priority for a run of ``event``: an integer result, clamped; 0 for anything else.

    A whole float counts as an integer (JSON numbers carry no int/float distinction).
    """
    value = compile_expression(run_expression).evaluate({"event": event})
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if not isinstance(value, int) or isinstance(value, bool):
        return 0
    return max(MIN_PRIORITY_S, min(MAX_PRIORITY_S, value))
