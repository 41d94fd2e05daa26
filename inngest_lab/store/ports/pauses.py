"""The pauses port's read side: pending waits by event (through the pause index) and by run."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Protocol

from inngest_lab.engine.model import Json, Pause


class PauseQuery(Protocol):
    async def pauses_for_event(self, event_name: str) -> list[Pause]:
        """Pending pauses waiting for ``event_name``."""
        ...

    async def pauses_matching(self, events: Sequence[Mapping[str, Json]]) -> list[list[Pause]]:
        """For each wire event, the pending pauses it may resume or cancel, oldest first.

        Found through the pause index (``engine.pause_index``), not by evaluating every pause: the pauses
        of the event's name whose equality predicates the event satisfies, plus those with no indexable
        predicate. A superset of the pauses whose expression holds; the caller evaluates each candidate.
        """
        ...

    async def pauses_for_run(self, run_id: str) -> list[Pause]: ...

    async def pause_for_signal(self, signal: str) -> Pause | None:
        """The pending pause that holds ``signal`` in the signal index (``ClaimSignal``), or None.

        A pause that was deleted or consumed no longer holds its signal. Expiry is the caller's check.
        """
        ...
