"""The change-feed port: committed batches for live views, and shared-configuration changes."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Protocol, runtime_checkable

from inngest_lab.engine.model import Command


class ChangeFeed(Protocol):
    def subscribe_changes(self, listener: Callable[[Sequence[Command]], None]) -> None:
        """``listener`` gets every committed command batch, in commit order (live views use this).

        On a shared store it also gets other processes' commits (run metadata, steps by id, events,
        history), pushed, never polled.
        """
        ...

    def subscribe_local_changes(self, listener: Callable[[Sequence[Command]], None]) -> None:
        """Like ``subscribe_changes``, but only the batches this process committed (metrics count these, so
        that summing every process's counters counts each change once)."""
        ...


@runtime_checkable
class SharedStore(Protocol):
    """A store several processes share: it tells each one when another changed shared configuration."""

    def subscribe_config(self, listener: Callable[[str], None]) -> None:
        """``listener(what)`` after another process changed ``registry`` (apps, functions) or
        ``records:<kind>`` (operator records); per-process caches reload on it."""
        ...
