"""Internal events (function.finished, failed, invoked, …) published through the queue.

An ``ItemKind.EMIT`` item commits in the same transaction as the decision that caused it, so the event is
never lost and never published for a decision that rolled back.
"""

from __future__ import annotations

from collections.abc import Mapping

from inngest_lab.engine import ids
from inngest_lab.engine.model import Enqueue, ItemKind, Json, QueueItem
from inngest_lab.protocol.consts import InternalEvent


def emit(run_id: str, fn_id: str, name: str, discriminator: str, event: Mapping[str, Json], now_ms: int) -> Enqueue:
    """Enqueue ``event`` for publication now; ``(run_id, name, discriminator)`` make the item id (dedupe)."""
    return Enqueue(
        QueueItem(
            item_id=ids.emit_item_id(run_id, name, discriminator),
            run_id=run_id,
            fn_id=fn_id,
            kind=ItemKind.EMIT,
            due_at_ms=now_ms,
            payload={"event": event},
        )
    )


def internal_event(name: InternalEvent, data: Mapping[str, Json], now_ms: int) -> dict[str, Json]:
    """An internal event as the SDKs receive it: ``name``, ``data``, ``ts`` and an empty ``user``."""
    return {"name": name.value, "data": data, "ts": now_ms, "user": {}}
