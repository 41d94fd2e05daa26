"""``LabBase``: what the notebook API does the same way wherever the engine runs.

``Lab`` (the engine embedded in this process) and ``AttachedLab`` (the engine a Jupyter server hosts)
both let a cell call ``serve``/``send`` without awaiting: the work is scheduled on the Lab's loop in
call order, and every awaitable method first settles it. This module holds that scheduling, the
client transport that routes a served app's events back into the Lab, the live-view delegation to a
``LiveHub`` and the one ``runs`` signature; each subclass supplies how to start, send and list runs.
"""

from __future__ import annotations

import asyncio
import queue
from abc import ABC, abstractmethod
from collections.abc import Awaitable, Callable, Coroutine, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Self, TypeVar, Unpack

from inngest_lab.engine.model import HistoryEntry, Json, Run
from inngest_lab.protocol.consts import RunStatus, ServerKind
from inngest_lab.sdk.client import Inngest
from inngest_lab.sdk.function import Function
from inngest_lab.workbench.live import LiveHub, RunListener, Unsubscribe
from inngest_lab.workbench.source import RunFilters

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class RunQuery:
    """The filters of ``runs``; a None filter matches every run."""

    fn_id: str | None
    status: list[RunStatus] | None
    event_id: str | None
    since_ms: int | None
    limit: int


class LabTransport:
    """Client event transport: events a served function (or ``client.send``) sends go into ``lab``."""

    def __init__(self, lab: LabBase) -> None:
        self._lab = lab

    async def send(self, payloads: list[dict[str, Any]]) -> list[str]:
        if asyncio.get_running_loop() is self._lab._loop:
            return await self._lab.send_async(payloads)
        # ``client.send_sync`` called on the Lab's own loop thread (a notebook cell) runs this on a private
        # loop while the Lab's loop is blocked: awaiting the Lab here would deadlock, so hand the events
        # over and return their ids, as ``Lab.send`` does.
        return self._lab.send_threadsafe(payloads)

    async def publish(self, channel: str, topic: str, data: Any, run_id: str | None) -> None:
        """``inngest_lab.sdk.realtime.publish`` of a served function: straight into the Lab's realtime broker."""
        await self._lab.publish_realtime(channel, topic, data, run_id)


class LabBase(ABC):
    """Call-order scheduling, settling and live-view delegation shared by ``Lab`` and ``AttachedLab``."""

    _loop: asyncio.AbstractEventLoop | None

    def _init_base(self, loop: asyncio.AbstractEventLoop | None) -> None:
        self._loop = loop
        self._pending: list[asyncio.Future[Any]] = []
        self._served: dict[str, list[str]] = {}  # app id -> its function ids, as last served here
        # Work other threads (``send_sync`` in a cell) handed over, waiting to be scheduled on the loop.
        self._handoffs: queue.SimpleQueue[Callable[[], Awaitable[Any]]] = queue.SimpleQueue()
        self.live = LiveHub()

    # ------------------------------------------------------------ what a subclass supplies

    @abstractmethod
    async def start(self) -> Self:
        """Start the engine (or connection) if needed; scheduled work runs only after it."""

    @abstractmethod
    async def close(self) -> None: ...

    @abstractmethod
    def _mount(self, client: Inngest, functions: list[Function[Any]]) -> dict[str, Json]:
        """Make ``functions`` reachable by the engine; return the app's ``/fn/register`` body."""

    @abstractmethod
    async def _register(self, body: dict[str, Json]) -> None:
        """Register the app (``body`` from ``_mount``) with the engine."""

    @abstractmethod
    async def send_async(self, events: Sequence[Mapping[str, Json]]) -> list[str]:
        """Send events and wait until they are stored; returns their ids."""

    @abstractmethod
    def send_threadsafe(self, events: Sequence[Mapping[str, Json]]) -> list[str]:
        """Send events from any thread; returns their ids at once."""

    @abstractmethod
    async def _list_runs(self, query: RunQuery) -> list[Run]:
        """The runs matching every filter ``query`` sets, newest first."""

    async def publish_realtime(self, channel: str, topic: str, data: Any, run_id: str | None) -> None:
        """Publish a realtime message (``Lab`` overrides this; an attached Lab publishes over HTTP instead)."""
        raise NotImplementedError("realtime publishing in process needs an embedded Lab")

    # ------------------------------------------------------------ scheduling

    @property
    def _running_loop(self) -> asyncio.AbstractEventLoop:
        if self._loop is None:
            raise RuntimeError("Lab needs a running event loop: create it inside async code or a notebook")
        return self._loop

    async def __aenter__(self) -> Self:
        return await self.start()

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    def _schedule(self, coro: Awaitable[Any]) -> asyncio.Future[Any]:
        """Run ``coro`` after the start and after every earlier scheduled call (in call order)."""
        previous = self._pending[-1] if self._pending else None

        async def after_start() -> Any:
            await self.start()
            if previous is not None:
                await asyncio.wait([previous])
            return await coro

        fut = asyncio.ensure_future(after_start(), loop=self._running_loop)
        self._pending.append(fut)
        return fut

    def spawn(self, coro: Coroutine[Any, Any, T]) -> asyncio.Future[T]:
        """Run ``coro`` on the Lab's loop once started (views use it from synchronous code)."""
        loop = self._running_loop

        async def started() -> T:
            await self.start()
            return await coro

        return asyncio.ensure_future(started(), loop=loop)

    def _hand_over(self, work: Callable[[], Awaitable[Any]]) -> None:
        """From any thread: schedule ``work()`` on the Lab's loop, in hand-over order, before the next settle."""
        loop = self._running_loop
        self._handoffs.put(work)
        loop.call_soon_threadsafe(self._drain_handoffs)

    def _drain_handoffs(self) -> None:
        """On the loop: schedule the work handed over by other threads, in order (idempotent)."""
        while not self._handoffs.empty():
            self._schedule(self._handoffs.get_nowait()())

    async def _settle(self) -> None:
        """Wait for the work that ``serve``/``send`` scheduled; re-raise its errors here.

        Several callers may settle at once (a widget's load and a cell's ``await``): each waits for
        every item pending when it started, and an item leaves the list only once it is done.
        """
        self._drain_handoffs()
        await self.start()
        for fut in list(self._pending):
            try:
                await asyncio.shield(fut)  # a cancelled caller must not cancel the scheduled work
            finally:
                if fut.done() and fut in self._pending:
                    self._pending.remove(fut)

    def serve(self, client: Inngest, functions: Sequence[Function[Any]]) -> None:
        """Serve ``functions`` of ``client`` from this process and register them. Serving the app again replaces it.

        The app talks to the engine as to a dev server: a client that would default to cloud mode (no
        ``INNGEST_DEV``, no ``is_production=False``) is switched to dev mode, so no keys are needed. The
        functions count as registered at once; the registration itself is scheduled (see module docstring).
        """
        if client.mode is ServerKind.CLOUD and client.signing_key is None:
            client.mode, client.is_production = ServerKind.DEV, False
        body = self._mount(client, list(functions))
        listed = body.get("functions")
        fns = listed if isinstance(listed, list) else []
        self._served[client.app_id] = [str(f["id"]) for f in fns if isinstance(f, dict)]
        client.set_transport(LabTransport(self), loop=self._loop)

        async def register() -> None:
            await self._register(body)
            self.live.functions_changed()

        self._schedule(register())

    # ------------------------------------------------------------ runs

    async def runs(self, **filters: Unpack[RunFilters]) -> list[Run]:
        """Recent runs, newest first, that match every filter given (``RunFilters``)."""
        unknown = filters.keys() - RunFilters.__annotations__.keys()
        if unknown:
            raise TypeError(f"runs() got unexpected keyword arguments: {', '.join(sorted(unknown))}")
        await self._settle()
        status = filters.get("status")
        statuses = [status] if isinstance(status, RunStatus) else None if status is None else list(status)
        f = filters
        return await self._list_runs(
            RunQuery(f.get("fn_id"), statuses, f.get("event_id"), f.get("since_ms"), f.get("limit", 50))
        )

    # ------------------------------------------------------------ live views

    def watch(self, run_id: str | None, listener: RunListener) -> Unsubscribe:
        """Call ``listener`` with each committed change of ``run_id`` (of every run when None)."""
        return self.live.watch(run_id, listener)

    def watch_functions(self, listener: Callable[[], None]) -> Unsubscribe:
        return self.live.watch_functions(listener)

    def snapshot(self, run_id: str) -> tuple[Run, list[HistoryEntry]] | None:
        return self.live.snapshot(run_id)

    def recent_runs_for_event(self, event_id: str) -> list[Run]:
        return self.live.runs_for_event(event_id)
