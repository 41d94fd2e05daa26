"""``Lab``: the engine embedded in this process, on SQLite, with no setup.

Usage in a notebook or any asyncio program (from plain synchronous code, ``lab.wait_sync(event_id)`` instead
of the ``await``; see ``lab_base``)::

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
import random
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, Self

from ulid import ULID

from inngest_lab.engine.bulk_cancel import Cancellation
from inngest_lab.engine.model import EventRecord, FunctionDef, HistoryEntry, Json, Run
from inngest_lab.engine.operations import FromStep, NotFoundError
from inngest_lab.executor.clock import FakeClock, SystemClock
from inngest_lab.executor.engine import Engine
from inngest_lab.executor.http_driver import HttpDriver
from inngest_lab.executor.inprocess import SCHEME, InProcessDriver, app_url
from inngest_lab.executor.operations import PauseState
from inngest_lab.executor.ports import Clock, Driver
from inngest_lab.executor.signal_send import send_signal
from inngest_lab.lab_base import LabBase, RunQuery
from inngest_lab.protocol.consts import INTERNAL_DATA_KEY, InternalEvent
from inngest_lab.protocol.events import internal_event, normalize_events
from inngest_lab.sdk.client import Inngest
from inngest_lab.sdk.comm import CommHandler
from inngest_lab.sdk.function import Function
from inngest_lab.sdk.step_core import to_json_value
from inngest_lab.server.realtime_broker import RealtimeMessage, Subscription, broker_for
from inngest_lab.store.memory import MemoryStore
from inngest_lab.store.ports import Store
from inngest_lab.store.redis_pg import RedisPgConfig
from inngest_lab.store.sqlite import SqliteStore
from inngest_lab.workbench import source as _source
from inngest_lab.workbench.kernel import announce_in_ipython

DEFAULT_PATH = Path(".inngest_lab") / "lab.db"


class Lab(LabBase):
    """The engine embedded in the current process (see module docstring)."""

    def __new__(cls, *args: Any, **kwargs: Any) -> Any:
        """Inside a JupyterLab whose server hosts the engine, a plain ``Lab()`` attaches to that engine
        instead (``inngest_lab.jupyter.attach``): an ``AttachedLab`` with the same notebook API."""
        if cls is Lab:
            from inngest_lab.jupyter.attach import attach_if_hosted

            attached = attach_if_hosted(*args, **kwargs)
            if attached is not None:
                announce_in_ipython(attached.mode)
                return attached
        return super().__new__(cls)

    def __init__(
        self,
        path: str | os.PathLike[str] | None = None,
        *,
        clock: Clock | None = None,
        fake_clock: bool = False,
        workers: int = 32,
        store: Store | None = None,
        postgres_uri: str | None = None,
        redis_uri: str | None = None,
    ) -> None:
        """``postgres_uri`` + ``redis_uri``: run on Postgres + Redis (production mode) instead of SQLite; N processes
        (app replicas) with the same URIs form one deployment, sharing the queue and the run state."""
        if (postgres_uri is None) != (redis_uri is None):
            raise ValueError("Lab(postgres_uri=..., redis_uri=...) needs both: production mode uses Postgres and Redis")
        if postgres_uri is not None and redis_uri is not None:
            if store is not None or path is not None:
                raise ValueError("give either a path or store= or postgres_uri=/redis_uri=, not two of them")
            from inngest_lab.store.redis_pg.store import RedisPgStore

            store = RedisPgStore(RedisPgConfig(postgres_uri, redis_uri))
            path = f"postgres+redis ({redis_uri.rsplit('@', 1)[-1]})"  # a label: the mode line shows it
        self._init_base(None)
        self._started: asyncio.Future[None] | None = None
        self._closing: asyncio.Future[None] | None = None
        self._embed(path, clock=clock, fake_clock=fake_clock, workers=workers, store=store)
        previous = _source.current_or_none()
        _source.set_current(self)
        retiring = None
        if announce_in_ipython(self.mode) and isinstance(previous, Lab) and previous is not self:
            retiring = previous._retire()
        # The cell run again usually opens the same SQLite file: open it only once the previous Lab has
        # closed it, as two engines racing to open one file can fail with "database is locked".
        self._begin(after=retiring)

    def _embed(
        self,
        path: str | os.PathLike[str] | None,
        *,
        clock: Clock | None,
        fake_clock: bool,
        workers: int,
        store: Store | None,
    ) -> None:
        """Build the engine in this process (the only mode so far)."""
        self.path = str(path if path is not None else DEFAULT_PATH)
        self.clock: Clock = clock or (FakeClock() if fake_clock else SystemClock())
        if store is None:
            store = MemoryStore() if self.path == ":memory:" else SqliteStore(self.path)
        store.subscribe_changes(self.live.on_commit)
        self._inproc = InProcessDriver()
        http = HttpDriver(signing_key=None)
        # A fake clock promises a deterministic replay: seed the retry jitter too.
        rng = random.Random(0) if isinstance(self.clock, FakeClock) else None
        drivers: dict[str, Driver] = {SCHEME: self._inproc, "http": http, "https": http}
        self.engine = Engine(store, self.clock, drivers, workers=workers, rng=rng)
        if os.environ.get("OTEL_EXPORTER_OTLP_ENDPOINT") or os.environ.get("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT"):
            from inngest_lab.observability.telemetry import from_environment  # only then: import stays light

            self.engine.telemetry = from_environment()  # traces, unless other OTEL_* variables turn them off

    def _begin(self, after: asyncio.Future[None] | None = None) -> None:
        """Start the engine on the running loop, if any, once ``after`` (a previous Lab's close) is done."""
        try:
            self._loop = asyncio.get_running_loop()
        except RuntimeError:
            return
        self._started = self._loop.create_task(self._open(after))

    async def _open(self, after: asyncio.Future[None] | None) -> None:
        if after is not None:
            await asyncio.wait([after])  # its outcome is for whoever awaits its close
        await self.engine.start()

    @property
    def fake_clock(self) -> bool:
        return isinstance(self.clock, FakeClock)

    @property
    def mode(self) -> str:
        where = "memory (nothing persisted)" if self.path == ":memory:" else f"SQLite {self.path}"
        if self.path.startswith("postgres+redis"):
            where = self.path
        if self.fake_clock:
            at = datetime.fromtimestamp(self.clock.now_ms() / 1000, UTC).strftime("%Y-%m-%d %H:%M:%S UTC")
            clock = f"fake clock at {at} (time moves only with `await lab.advance(...)`)"
        else:
            clock = "system clock"
        return f"embedded engine on {where}, {clock}"

    def __repr__(self) -> str:
        return f"<Lab {self.mode}, {len(self.engine.functions())} functions>"

    def now_ms(self) -> int:
        return self.clock.now_ms()

    # ------------------------------------------------------------ lifecycle

    async def start(self) -> Self:
        """Start the engine (only needed when the Lab was created outside a running loop)."""
        self._check_thread()
        if self._started is None:
            self._running_loop  # noqa: B018 - binds this loop when the Lab was created outside any
            self._started = asyncio.ensure_future(self._open(None))
        await self._started
        return self

    @property
    def closed(self) -> bool:
        return self._closing is not None

    async def close(self) -> None:
        """Stop the engine after the scheduled work; calling it again waits for the same close."""
        if self._closing is None:
            self._closing = asyncio.ensure_future(self._close())
        await asyncio.shield(self._closing)

    async def _close(self) -> None:
        await self._settle()
        await self.engine.stop()
        if self.engine.telemetry is not None:
            await self.engine.telemetry.close()  # flush the last spans

    def _retire(self) -> asyncio.Future[None] | None:
        """A notebook cell created a new Lab: close this one, so its engine stops running old code.

        Returns the close under way when it runs on the current loop (the new Lab waits for it), else None."""
        if self._thread is not None:  # a Lab on its own loop thread: close it there, the new one need not wait
            self._thread.stop()
            return None
        if self._loop is None or self._loop.is_closed():
            return None
        if self._closing is None:
            self._closing = self._loop.create_task(self._close())
            print("inngest-lab: the previous Lab is closed")
        try:
            current = asyncio.get_running_loop()
        except RuntimeError:
            return None
        return self._closing if self._loop is current and not self._closing.done() else None

    # ------------------------------------------------------------ functions

    def _mount(self, client: Inngest, functions: list[Function[Any]]) -> dict[str, Json]:
        # The SDK names sleeps by wake-up time; it must read the engine's (possibly fake) clock.
        handler = CommHandler(client, functions, now_ms=self.clock.now_ms)
        self._inproc.mount(client.app_id, handler)
        return handler.registration(app_url(client.app_id))

    async def _register(self, body: dict[str, Json]) -> None:
        await self.engine.register(body)

    def functions(self) -> list[str]:
        """Ids of the registered functions, counting what ``serve`` just scheduled as already registered."""
        others = [f.fn_id for f in self.engine.functions() if f.app_id not in self._served]
        return sorted([*others, *(fn for fns in self._served.values() for fn in fns)])

    async def function_defs(self) -> list[FunctionDef]:
        """The registered functions with their triggers and configuration, sorted by id."""
        await self._settle()
        return sorted(self.engine.functions(), key=lambda f: f.fn_id)

    async def invoke(self, fn_id: str, data: Mapping[str, Json] | None = None) -> str:
        """Start ``fn_id`` with ``data`` (an ``inngest/function.invoked`` event); returns that event's id."""
        await self._settle()
        if self.engine.function(fn_id) is None:
            raise KeyError(f"no function {fn_id!r} is registered; known: {', '.join(self.functions()) or 'none'}")
        event_id = str(ULID())
        payload = {**(data or {}), INTERNAL_DATA_KEY: {"fn_id": fn_id}}
        event = internal_event(InternalEvent.FUNCTION_INVOKED.value, payload, event_id, self.clock.now_ms())
        [stored] = await self.engine.send([event], internal_ids=[event_id])
        return stored

    # ------------------------------------------------------------ events

    def send(self, events: Mapping[str, Json] | Sequence[Mapping[str, Json]]) -> list[str]:
        """Send events; returns their ids at once. They are stored before any awaitable Lab call returns."""
        normalized, ids = self._normalize([events] if isinstance(events, Mapping) else list(events))
        self._schedule(self.engine.send(normalized, internal_ids=ids))
        return list(ids)  # a copy: the caller may extend it (``sent += lab.send(...)``) before the send runs

    def send_threadsafe(self, events: Sequence[Mapping[str, Json]]) -> list[str]:
        """``send`` from any thread: validate and pick ids here, store on the Lab's loop; returns the ids."""
        normalized, ids = self._normalize(list(events))
        self._hand_over(lambda: self.engine.send(normalized, internal_ids=ids))
        return list(ids)

    async def event(self, event_id: str) -> EventRecord | None:
        await self._settle()
        return await self.engine.store.get_event(event_id)

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

    async def send_signal(self, signal: str, data: Json = None) -> str | None:
        """Resume the run whose ``step.wait_for_signal`` waits for ``signal``; its run id, or None if none waits."""
        await self._settle()
        return await send_signal(self.engine.store, self.clock, signal, data)

    async def publish_realtime(self, channel: str, topic: str, data: Any, run_id: str | None = None) -> None:
        """Publish a realtime message (what ``inngest_lab.sdk.realtime.publish`` does for served functions)."""
        message = RealtimeMessage(channel, topic, to_json_value(data), self.clock.now_ms(), run_id)
        await broker_for(self.engine.store).publish(message)

    async def realtime(
        self, run_id: str | None = None, *, channel: str | None = None, topics: Sequence[str] | None = None
    ) -> Subscription:
        """Follow realtime messages from now on: a run's (``run_id``) and/or a channel's (``topics``: all if None).

        ``async for message in await lab.realtime(run_id)``; ``message.wire()`` is what WebSocket subscribers get.
        """
        channels = {channel: frozenset(topics) if topics else None} if channel else {}
        return await broker_for(self.engine.store).subscribe(channels, run_id=run_id)

    # ------------------------------------------------------------ runs

    async def _list_runs(self, query: RunQuery) -> list[Run]:
        q = query
        return await self.engine.store.list_runs(
            fn_id=q.fn_id, status=q.status, event_id=q.event_id, since_ms=q.since_ms, limit=q.limit
        )

    async def history(self, run_id: str) -> list[HistoryEntry]:
        """The run's timeline entries, oldest first."""
        await self._settle()
        return await self.engine.store.history(run_id)

    # ------------------------------------------------------------ waiting

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
        # by default every run so far, including those created in this very millisecond
        until = _ms(started_before) if started_before is not None else self.clock.now_ms() + 1
        return await self.engine.ops.create_cancellation(
            app_id=fn.app_id,
            function_id=fn_id.removeprefix(f"{fn.app_id}-"),
            started_before_ms=until,
            started_after_ms=_ms(started_after) if started_after is not None else None,
            if_exp=if_exp,
            now_ms=until if started_before is None else None,
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
