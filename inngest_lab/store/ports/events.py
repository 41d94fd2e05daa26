"""The events port's read side (events are written by ``Store.apply``'s ``StoreEvent``)."""

from __future__ import annotations

from typing import Protocol

from inngest_lab.engine.model import EventRecord


class EventQuery(Protocol):
    async def get_event(self, internal_id: str) -> EventRecord | None: ...

    async def list_events(
        self,
        *,
        name: str | None = None,
        since_ms: int | None = None,
        until_ms: int | None = None,
        limit: int = 20,
        before_id: str | None = None,
    ) -> list[EventRecord]:
        """Newest first; ``before_id`` is a cursor (internal ids sort by time)."""
        ...
