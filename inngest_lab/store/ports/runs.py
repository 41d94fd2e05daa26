"""The run-state port's read side: runs with their memoized steps, and their history."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from inngest_lab.engine.model import HistoryEntry, Run
from inngest_lab.protocol.consts import RunStatus


class RunQuery(Protocol):
    """Read side of run state."""

    async def load_run(self, run_id: str) -> Run | None: ...

    async def list_runs(
        self,
        *,
        fn_id: str | None = None,
        status: Sequence[RunStatus] | None = None,
        event_id: str | None = None,
        since_ms: int | None = None,
        until_ms: int | None = None,
        limit: int = 100,
    ) -> list[Run]:
        """Newest first."""
        ...

    async def history(self, run_id: str) -> list[HistoryEntry]:
        """Timeline entries in insertion order."""
        ...
