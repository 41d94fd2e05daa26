"""The port live views read through, and which engine the notebook's views use by default.

``Lab`` (embedded) implements ``WorkbenchSource``; a Lab attached to an engine hosted elsewhere can
implement it too, and every widget works unchanged.
"""

from __future__ import annotations

import asyncio
import weakref
from collections.abc import Callable, Coroutine, Mapping, Sequence
from typing import Any, Protocol, TypedDict, TypeVar, Unpack

from inngest_lab.engine.model import EventRecord, FunctionDef, HistoryEntry, Json, Run
from inngest_lab.protocol.consts import RunStatus
from inngest_lab.workbench.live import RunListener, Unsubscribe

T = TypeVar("T")


class RunFilters(TypedDict, total=False):
    """The keyword arguments of ``runs``: a filter left out or None matches every run."""

    fn_id: str | None
    status: RunStatus | Sequence[RunStatus] | None
    event_id: str | None
    since_ms: int | None
    limit: int  # at most this many, the newest (default 50)


class WorkbenchSource(Protocol):
    """Reads, actions and change notifications for live views. Methods run on the source's event loop."""

    @property
    def mode(self) -> str:
        """One line saying where the engine runs and which clock it uses."""
        ...

    @property
    def fake_clock(self) -> bool: ...

    def now_ms(self) -> int: ...

    def spawn(self, coro: Coroutine[Any, Any, T]) -> asyncio.Future[T]:
        """Run ``coro`` on the engine's loop (after earlier ``serve``/``send`` calls are stored)."""
        ...

    async def run(self, run_id: str) -> Run | None: ...

    async def history(self, run_id: str) -> list[HistoryEntry]: ...

    async def runs(self, **filters: Unpack[RunFilters]) -> list[Run]:
        """Recent runs, newest first, that match every filter given."""
        ...

    async def event(self, event_id: str) -> EventRecord | None: ...

    async def function_defs(self) -> list[FunctionDef]: ...

    async def send_async(self, events: Sequence[Mapping[str, Json]]) -> list[str]: ...

    async def cancel(self, run_id: str) -> bool: ...

    async def rerun(self, run_id: str) -> str:
        """Start a new run of ``run_id``'s function with the same events; returns the new run's id."""
        ...

    async def invoke(self, fn_id: str, data: Mapping[str, Json] | None = None) -> str:
        """Start ``fn_id`` directly, as the dashboard's Invoke button does; returns the invoke event's id."""
        ...

    def watch(self, run_id: str | None, listener: RunListener) -> Unsubscribe: ...

    def watch_functions(self, listener: Callable[[], None]) -> Unsubscribe: ...

    def snapshot(self, run_id: str) -> tuple[Run, list[HistoryEntry]] | None:
        """A run and its whole history from memory, or None: views draw it at once instead of awaiting."""
        ...

    def recent_runs_for_event(self, event_id: str) -> list[Run]:
        """Runs ``event_id`` started that are known without a read (possibly not all), newest first."""
        ...


_current: weakref.ref[WorkbenchSource] | None = None


def set_current(source: WorkbenchSource) -> None:
    """Make ``source`` the one views use when none is given (the Lab created last)."""
    global _current
    _current = weakref.ref(source)


def current_or_none() -> WorkbenchSource | None:
    return _current() if _current is not None else None


def current() -> WorkbenchSource:
    """The source set last; raises a clear error when there is none."""
    source = current_or_none()
    if source is None:
        raise RuntimeError("no Lab in this process: create one with `lab = inngest_lab.Lab()` first")
    return source
