"""``Lab``: the engine embedded in this process, on SQLite, with no setup.

Usage in a notebook or any asyncio program::

    lab = inngest_lab.Lab()                 # ./.inngest_lab/lab.db; Lab(path=":memory:") for RAM only
    client = inngest_lab.Inngest(app_id="demo")

    @client.create_function(fn_id="hello", trigger=inngest_lab.TriggerEvent(event="demo/hello"))
    async def hello(ctx: inngest_lab.Context) -> str:
        return await ctx.step.run("greet", lambda: "hi")

    lab.serve(client, [hello])
    [event_id] = lab.send({"name": "demo/hello", "data": {}})
    [run] = await lab.wait(event_id)

The engine runs on the event loop that is current when ``Lab()`` is created (a notebook kernel's
loop included). ``serve`` and ``send`` are plain calls that return at once: they schedule their
work on that loop, and every awaitable method first waits for that work to be stored.
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import Awaitable, Mapping, Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from ulid import ULID

from inngest_lab.engine.bulk_cancel import Cancellation
from inngest_lab.engine.model import Json, Run
from inngest_lab.engine.operations import FromStep, NotFoundError
from inngest_lab.executor.clock import FakeClock, SystemClock
from inngest_lab.executor.engine import Engine
from inngest_lab.executor.http_driver import HttpDriver
from inngest_lab.executor.inprocess import SCHEME, InProcessDriver, app_url
from inngest_lab.executor.operations import PauseState
from inngest_lab.executor.ports import Clock
from inngest_lab.protocol.consts import RunStatus
from inngest_lab.protocol.events import normalize_events
from inngest_lab.sdk.client import Inngest
from inngest_lab.sdk.comm import CommHandler
from inngest_lab.sdk.function import Function
from inngest_lab.store.memory import MemoryStore
from inngest_lab.store.ports import Store
from inngest_lab.store.sqlite import SqliteStore

DEFAULT_PATH = Path(".inngest_lab") / "lab.db"


class _LabTransport:
    """Client event transport that ingests straight into the embedded engine."""

    def __init__(self, lab: Lab) -> None:
        self._lab = lab

    async def send(self, payloads: list[dict[str, Any]]) -> list[str]:
        return await self._lab.send_async(payloads)


class Lab:
    """The engine embedded in the current process (see module docstring)."""

    def __init__(
        self,
        path: str | os.PathLike[str] | None = None,
        *,
        clock: Clock | None = None,
        fake_clock: bool = False,
        workers: int = 32,
        store: Store | None = None,
    ) -> None:
        self.path = str(path if path is not None else DEFAULT_PATH)
        self.clock: Clock = clock or (FakeClock() if fake_clock else SystemClock())
        if store is None:
            store = MemoryStore() if self.path == ":memory:" else SqliteStore(self.path)
        self._inproc = InProcessDriver()
        http = HttpDriver(signing_key=None)
        self.engine = Engine(store, self.clock, {SCHEME: self._inproc, "http": http, "https": http}, workers=workers)
        self._pending: list[asyncio.Future[Any]] = []
        self._loop: asyncio.AbstractEventLoop | None = None
        try:
            self._loop = asyncio.get_running_loop()
        except RuntimeError:
            self._started: asyncio.Future[None] | None = None
        else:
            self._started = self._loop.create_task(self.engine.start())

    @property
    def mode(self) -> str:
        return f"embedded engine on {'memory' if self.path == ':memory:' else 'SQLite ' + self.path}"

    def __repr__(self) -> str:
        return f"<Lab {self.mode}, {len(self.engine.functions())} functions>"

    # ------------------------------------------------------------ lifecycle

    async def start(self) -> Lab:
        """Start the engine (only needed when the Lab was created outside a running loop)."""
        if self._started is None:
            self._loop = asyncio.get_running_loop()
            self._started = self._loop.create_task(self.engine.start())
        await self._started
        return self

    async def close(self) -> None:
        await self._settle()
        await self.engine.stop()

    async def __aenter__(self) -> Lab:
        return await self.start()

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    def _schedule(self, coro: Awaitable[Any]) -> asyncio.Future[Any]:
        """Run ``coro`` after the engine started and after every earlier scheduled call (in call order)."""
        previous = self._pending[-1] if self._pending else None

        async def after_start() -> Any:
            await self.start()
            if previous is not None:
                await asyncio.wait([previous])
            return await coro

        if self._loop is None:
            raise RuntimeError("Lab needs a running event loop: create it inside async code or a notebook")
        fut = asyncio.ensure_future(after_start(), loop=self._loop)
        self._pending.append(fut)
        return fut

    async def _settle(self) -> None:
        """Wait for the work that ``serve``/``send`` scheduled; re-raise its errors here."""
        await self.start()
        pending, self._pending = self._pending, []
        for fut in pending:
            await fut

    # ------------------------------------------------------------ functions

    def serve(self, client: Inngest, functions: Sequence[Function[Any]]) -> None:
        """Serve ``functions`` of ``client`` in this process. Serving the same app again replaces it."""
        # The SDK names sleeps by wake-up time; it must read the engine's (possibly fake) clock.
        handler = CommHandler(client, list(functions), now_ms=self.clock.now_ms)
        self._inproc.mount(client.app_id, handler)
        client.set_transport(_LabTransport(self))
        self._schedule(self.engine.register(handler.registration(app_url(client.app_id))))

    def functions(self) -> list[str]:
        return sorted(f.fn_id for f in self.engine.functions())

    # ------------------------------------------------------------ events

    def send(self, events: Mapping[str, Json] | Sequence[Mapping[str, Json]]) -> list[str]:
        """Send events; returns their ids at once. They are stored before any awaitable Lab call returns."""
        normalized, ids = self._normalize([events] if isinstance(events, Mapping) else list(events))
        self._schedule(self.engine.send(normalized, internal_ids=ids))
        return ids

    async def send_async(self, events: Sequence[Mapping[str, Json]]) -> list[str]:
        """Send events and wait until they are stored."""
        await self._settle()
        normalized, ids = self._normalize(list(events))
        return await self.engine.send(normalized, internal_ids=ids)

    def _normalize(self, batch: list[Mapping[str, Json]]) -> tuple[list[dict[str, Json]], list[str]]:
        """Validate ``batch`` and pick internal ids; an event without an id gets its internal id, as in Inngest,
        so the ids ``send`` returns are the ``ctx.event.id`` functions see."""
        ids = [str(ULID()) for _ in batch]
        return normalize_events(batch, self.clock.now_ms(), lambda i: ids[i]), ids

    # ------------------------------------------------------------ runs

    async def runs(
        self,
        *,
        fn_id: str | None = None,
        status: RunStatus | Sequence[RunStatus] | None = None,
        event_id: str | None = None,
        limit: int = 50,
    ) -> list[Run]:
        """Recent runs, newest first."""
        await self._settle()
        statuses = [status] if isinstance(status, RunStatus) else status
        return await self.engine.store.list_runs(fn_id=fn_id, status=statuses, event_id=event_id, limit=limit)

    async def run(self, run_id: str) -> Run | None:
        await self._settle()
        return await self.engine.store.load_run(run_id)

    async def wait(self, target: str, timeout: float = 30.0) -> list[Run]:
        """Wait for the runs an event triggered (``target`` = event id), or for one run (run id)."""
        await self._settle()
        if await self.engine.store.load_run(target) is not None:
            return [await self.engine.wait_for_run(target, timeout)]
        runs = await self.engine.store.list_runs(event_id=target)
        return [await self.engine.wait_for_run(r.run_id, timeout) for r in reversed(runs)]

    async def cancel(self, run_id: str) -> bool:
        await self._settle()
        return await self.engine.cancel_run(run_id)

    async def idle(self, timeout: float = 30.0) -> None:
        """Wait until nothing is running or due now."""
        await self._settle()
        await self.engine.wait_idle(timeout)

    # ------------------------------------------------------------ operations (executor/operations.py)

    async def pause(self, fn_id: str, *, cancel_running: bool = False) -> PauseState:
        """Pause function ``fn_id`` (``"<app>-<fn>"``): its events start no run (recorded Skipped), its crons
        skip their ticks. ``cancel_running`` also cancels its runs that have not ended."""
        await self._settle()
        return await self.engine.ops.pause(fn_id, cancel_running=cancel_running)

    async def resume(self, fn_id: str) -> PauseState:
        """Undo ``pause``: events start runs again, crons fire from their next tick."""
        await self._settle()
        return await self.engine.ops.resume(fn_id)

    async def cancel_runs(
        self,
        fn_id: str,
        *,
        started_before: datetime | None = None,
        started_after: datetime | None = None,
        if_exp: str | None = None,
    ) -> Cancellation:
        """Bulk-cancel the runs of ``fn_id`` created in ``[started_after, started_before)`` (default: all until now)
        whose event matches ``if_exp``. The runs are cancelled in the background, batch by batch."""
        await self._settle()
        fn = self.engine.function(fn_id)
        if fn is None:
            raise NotFoundError(f"function {fn_id} not found")
        now = self.clock.now_ms()
        return await self.engine.ops.create_cancellation(
            app_id=fn.app_id,
            function_id=fn_id.removeprefix(f"{fn.app_id}-"),
            started_before_ms=_ms(started_before) if started_before is not None else now,
            started_after_ms=_ms(started_after) if started_after is not None else None,
            if_exp=if_exp,
        )

    async def rerun(self, run_id: str, *, from_step: str | None = None, input: list[Any] | None = None) -> str:
        """Start a new run of ``run_id``'s function with the same events; return its id. With ``from_step`` the
        steps completed before that step are kept and it runs again, with ``input`` as its arguments if given."""
        await self._settle()
        step = FromStep(from_step, input) if from_step is not None else None
        return await self.engine.ops.rerun(run_id, step)

    async def replay(self, event_id: str) -> str:
        """Send stored event ``event_id`` again as a new event (new id); return the new event's id."""
        await self._settle()
        return await self.engine.ops.replay(event_id)

    # ------------------------------------------------------------ time

    async def advance(self, delta: timedelta | None = None, **kwargs: float) -> None:
        """Fast-forward a fake clock (``await lab.advance(hours=1)``).

        Time moves from one due item to the next and the engine settles at each, so a sleep that
        starts another sleep fires at the right virtual time, deterministically.
        """
        clock = self.clock
        if not isinstance(clock, FakeClock):
            raise RuntimeError("advance() needs Lab(fake_clock=True)")
        await self.idle()
        target = clock.now_ms() + int((delta or timedelta(**kwargs)).total_seconds() * 1000)
        while True:
            due = self.engine.store.next_due_ms()
            if due is None or due > target:
                break
            clock.set(due)
            await self.engine.wait_idle()
        clock.set(target)
        await self.engine.wait_idle()


def _ms(at: datetime) -> int:
    """Epoch ms of ``at`` (a naive datetime is taken as UTC)."""
    return int((at if at.tzinfo is not None else at.replace(tzinfo=UTC)).timestamp() * 1000)
