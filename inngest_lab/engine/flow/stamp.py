"""Stamp a run's call items with its concurrency slot keys and priority (pure).

Every ``ItemKind.CALL`` item the engine creates (the first call in ``ingest.create_run``, later ones in
``transition``) goes through :func:`stamp`. Functions with neither ``concurrency`` nor ``priority``
config get the item back unchanged, at the cost of two dict lookups.

Ordering: the queue scores an item ``due_at_ms - priority_ms`` (lower first). For a plain item,
``priority_ms`` is the run's priority, so it goes ahead of work queued up to that long before it. An item
that needs concurrency slots waits in its key's backlog, which must be FIFO by *run start* (Inngest's
score is the run's start minus its priority factor, so a run's later steps keep their place and old runs
finish first). The stamp folds the run's age into ``priority_ms`` for those items, so their score is
exactly ``run.created_at_ms - priority``.
"""

from __future__ import annotations

from dataclasses import replace

from inngest_lab.engine.flow import concurrency, priority
from inngest_lab.engine.model import FunctionDef, ItemKind, QueueItem, Run


def stamp(item: QueueItem, fn: FunctionDef | None, run: Run) -> QueueItem:
    """``item`` with the slot keys and priority the function's config gives for ``run``."""
    if fn is None or item.kind is not ItemKind.CALL:
        return item
    config = fn.config
    if "concurrency" not in config and "priority" not in config:
        return item
    expression = priority.expression(fn)
    slot_keys = concurrency.slot_keys(fn, run.event)
    if expression:
        priority_ms = priority.priority_s(expression, run.event) * 1000
    else:  # a carried-over priority_ms of a slotted item already has the run's age folded in
        priority_ms = 0 if slot_keys else item.priority_ms
    if slot_keys:
        priority_ms += item.due_at_ms - run.created_at_ms  # score = run start - priority (see module docstring)
    keys = (*(k for k in item.keys if not k.startswith(concurrency.PREFIX)), *slot_keys)
    return replace(item, keys=keys, priority_ms=priority_ms)
