"""Post-commit notifications shared by the adapters: the change feed and queue wake-ups.

Adapters call ``publish`` once per committed caller, in commit order, after the commit. A listener
that raises is logged and skipped so one broken view cannot stall the engine.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence

from inngest_lab.engine.model import Command

log = logging.getLogger(__name__)

ChangeListener = Callable[[Sequence[Command]], None]
Wake = Callable[[], None]


class Feed:
    """Fan-out of committed command batches and of "new work may be ready" wake-ups."""

    def __init__(self) -> None:
        self._listeners: list[ChangeListener] = []
        self._local_listeners: list[ChangeListener] = []
        self._wakers: list[Wake] = []

    def subscribe_changes(self, listener: ChangeListener) -> None:
        self._listeners.append(listener)

    def subscribe_local_changes(self, listener: ChangeListener) -> None:
        self._local_listeners.append(listener)

    def subscribe(self, wake: Wake) -> None:
        self._wakers.append(wake)

    def publish(self, commands: Sequence[Command], *, local: bool = True) -> None:
        """Hand one committed batch to every change listener (empty batches are not news); ``local``: this
        process committed it (another process's commit, relayed by a shared store, is not)."""
        if not commands:
            return
        for listener in (*self._listeners, *self._local_listeners) if local else self._listeners:
            try:
                listener(commands)
            except Exception:
                log.exception("change listener failed")

    def wake(self) -> None:
        for wake in self._wakers:
            try:
                wake()
            except Exception:
                log.exception("queue wake-up failed")
