"""Concurrency limits: which slots a step needs, and whether it may start now (pure).

A function's ``concurrency`` (registration JSON, normalized by ``engine.registration`` to a list of
``{limit, key?, scope}``, at most two) limits how many of its *steps execute at once* (queue items
that call the SDK); sleeping and waiting runs hold nothing. Each limit names a **slot key**:

* ``scope: fn`` (the default): per function, and per value of ``key`` when there is one;
* ``scope: env`` / ``account``: per value of ``key`` (required), shared by every function using it
  (this server has one environment and one account, so both are global; they stay distinct keys).

``key`` is CEL evaluated against the run's triggering event (``event.data.user_id``), as in Inngest
(``pkg/inngest/concurrency.go``): a string value is used as is, anything else as its JSON text, and a
key that fails to evaluate is the JSON ``null`` key, one key shared by all such runs.

A call item carries its slot keys in ``QueueItem.keys`` as ``c:<limit>:<slot key>`` (see ``stamp``);
the queue admits it only when every slot key has fewer items executing than its limit (``blocking``).
A limit of 0 means unlimited and adds no key.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from inngest_lab.engine.expressions import compile_expression
from inngest_lab.engine.model import FunctionDef, HistoryEntry, HistoryKind, Json, QueueItem

PREFIX = "c:"
_SCOPE_TAGS = {"fn": "f", "env": "e", "account": "a"}


@dataclass(frozen=True, slots=True)
class ConcurrencyLimit:
    limit: int
    key: str | None = None  # CEL over ``event``
    scope: str = "fn"


@dataclass(frozen=True, slots=True)
class Slot:
    """One limit an item needs a slot of: at most ``limit`` items with ``key`` execute at once."""

    key: str
    limit: int


def limits(fn: FunctionDef) -> tuple[ConcurrencyLimit, ...]:
    """The function's enforced limits (a limit of 0 is unlimited and left out)."""
    raw = fn.config.get("concurrency")
    if not isinstance(raw, list):
        return ()
    out: list[ConcurrencyLimit] = []
    for entry in raw:
        if not isinstance(entry, Mapping):
            continue
        limit, key, scope = entry.get("limit"), entry.get("key"), entry.get("scope") or "fn"
        if isinstance(limit, int) and not isinstance(limit, bool) and limit > 0 and scope in _SCOPE_TAGS:
            out.append(ConcurrencyLimit(limit, key if isinstance(key, str) and key else None, scope))
    return tuple(out)


def key_value(expression: str, event: Mapping[str, Json]) -> str:
    """What a key expression gives for ``event``, as the text that names the slot."""
    value = compile_expression(expression).evaluate({"event": event})
    return value if isinstance(value, str) else json.dumps(value, sort_keys=True, separators=(",", ":"))


def slot_keys(fn: FunctionDef, event: Mapping[str, Json]) -> tuple[str, ...]:
    """The encoded slot keys (``c:<limit>:<slot key>``) a call of ``fn`` for a run of ``event`` needs."""
    out: list[str] = []
    for limit in limits(fn):
        tag = _SCOPE_TAGS[limit.scope]
        scope_id = fn.fn_id if limit.scope == "fn" else ""
        name = f"{tag}:{scope_id}" if limit.key is None else f"{tag}:{scope_id}:{key_value(limit.key, event)}"
        out.append(f"{PREFIX}{limit.limit}:{name}")
    return tuple(out)


def slots(keys: Sequence[str]) -> tuple[Slot, ...]:
    """Decode the concurrency slots among an item's ``keys`` (other flow-control keys are ignored)."""
    out: list[Slot] = []
    for key in keys:
        if key.startswith(PREFIX):
            limit, _, slot_key = key[len(PREFIX) :].partition(":")
            out.append(Slot(slot_key, int(limit)))
    return tuple(out)


def blocking(needed: Sequence[Slot], executing: Mapping[str, int]) -> Slot | None:
    """The admission decision: the first slot at its limit, or None when the item may start now.

    ``executing`` counts the items holding each slot key. An item is admitted only when every one of its
    slots is below its limit, so admitting it never takes any key past its limit.
    """
    for slot in needed:
        if executing.get(slot.key, 0) >= slot.limit:
            return slot
    return None


def delayed_entry(item: QueueItem, delayed: Mapping[str, Json], now_ms: int) -> HistoryEntry:
    """The history entry for a step that waited (``Lease.delayed``): from when, for which key, how long."""
    since = delayed.get("since_ms")
    since_ms = since if isinstance(since, int) else now_ms
    return HistoryEntry(
        item.run_id,
        now_ms,
        HistoryKind.FLOW_DELAYED,
        step_id=item.step_id,
        attempt=item.attempt,
        data={**delayed, "waited_ms": now_ms - since_ms},
    )
