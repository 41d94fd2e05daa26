"""The engine process: ingest events, lease queue items, call drivers, apply the engine's decisions.

This is the imperative shell around ``inngest_lab.engine``. Every state change of a run happens in
``Store.transact`` with the pure ``transition`` as the decide function, and the leased queue item
is acked in that same transaction, so a crash at any point leaves the item to run again.
"""

from __future__ import annotations

import asyncio
import logging
import random
import time
import uuid
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ulid import ULID

from inngest_lab.engine import ids as _ids
from inngest_lab.engine.call_request import build_call_request
from inngest_lab.engine.flow.concurrency import delayed_entry
from inngest_lab.engine.ingest import RunPlan, create_run, invoke_not_found, plan_event
from inngest_lab.engine.model import (
    Ack,
    AppendHistory,
    Command,
    DeletePause,
    Dequeue,
    EventRecord,
    FunctionDef,
    ItemKind,
    Json,
    Lease,
    QueueItem,
    Run,
    SaveRun,
)
from inngest_lab.engine.pauses import pause_from_json
from inngest_lab.engine.registration import parse_register_body
from inngest_lab.engine.signals import (
    CancelRequested,
    PauseResumed,
    PauseTimedOut,
    SdkResponded,
    Signal,
    SignalConflicted,
    TimerFired,
)
from inngest_lab.engine.transition import transition
from inngest_lab.engine.triggers import invoked_target
from inngest_lab.executor.admission import FLOW_TIMER_KINDS, Admission, Gated, ended
from inngest_lab.executor.checkpoint import Checkpoints
from inngest_lab.executor.cron_scheduler import CronScheduler
from inngest_lab.executor.gateway import Gateway
from inngest_lab.executor.operations import Operations
from inngest_lab.executor.ports import Clock, Driver
from inngest_lab.executor.registry import FunctionRegistry
from inngest_lab.observability.context import CURRENT, RunContext
from inngest_lab.protocol.consts import InternalEvent, RunStatus, ServerKind
from inngest_lab.store.ports import LeaseLost, SharedStore, Store

if TYPE_CHECKING:
    from inngest_lab.observability.telemetry import Telemetry

log = logging.getLogger("inngest_lab.engine")


@dataclass(frozen=True, slots=True)
class RegisterResult:
    ok: bool
    modified: bool
    app_id: str
    sync_id: str


class RunWaitTimeout(TimeoutError):
    """``wait_for_run`` gave up before the run ended."""


class Engine:
    """One engine process over a ``Store``. ``drivers`` maps a URL scheme (``http``, ``inproc``) to a Driver."""

    def __init__(
        self,
        store: Store,
        clock: Clock,
        drivers: Mapping[str, Driver],
        *,
        workers: int = 64,
        server_kind: ServerKind = ServerKind.DEV,
        lease_ms: int = 30_000,
        rng: random.Random | None = None,
        retry_interval_ms: int | None = None,
        telemetry: Telemetry | None = None,
    ) -> None:
        self.store = store
        self._store_open = False  # telemetry set later attaches at once (see the setter)
        self.telemetry = telemetry  # observability hooks (metrics, traces); None: none at all
        self.clock = clock
        self.server_kind = server_kind
        self.workers = workers
        self.lease_ms = lease_ms
        self.retry_interval_ms = retry_interval_ms  # None: Inngest's backoff table
        self._drivers = dict(drivers)
        self._rng = rng or random.Random()
        self.registry = FunctionRegistry(store)  # this process's copy of the synced functions
        self._wake = asyncio.Event()
        self._inflight: dict[asyncio.Task[None], Lease] = {}
        self._tasks: list[asyncio.Task[None]] = []
        self._run_waiters: dict[str, list[asyncio.Future[Run]]] = {}
        self._idle_waiters: list[asyncio.Future[None]] = []
        self._stopping = False
        self._reloads: set[asyncio.Task[None]] = set()
        self._started = False
        self._leasing = False
        self._admission = Admission(store, clock, self.function)
        self.ops = Operations(self)  # pause/resume, bulk cancellation, rerun, replay
        self.checkpoints = Checkpoints(self)  # async checkpoints of SDKs that run steps back to back
        self.gateway = Gateway(store, clock, max_clients=workers)  # AIGateway / Gateway ops: the server's calls
        self.crons = CronScheduler(
            store, clock, self._rng, self.function, self.ops.is_paused, self._admission.transact_start
        )

    @property
    def telemetry(self) -> Telemetry | None:
        return self._telemetry

    @telemetry.setter
    def telemetry(self, telemetry: Telemetry | None) -> None:
        """Observability hooks. Set before or after ``start``: a Lab starts its engine on its own task, so a caller
        setting it right after creating the Lab may be early or late; either way it follows every commit from
        the store's opening on, or from now if the store is open already."""
        self._telemetry = telemetry
        if telemetry is not None and self._store_open:
            telemetry.attach(self.store)

    # ------------------------------------------------------------ lifecycle

    async def start(self) -> None:
        """Open the store, load functions and start the dispatcher. Unfinished work resumes here."""
        if self._started:
            return
        self._started = True
        await self.store.open()
        self.store.subscribe(self._wake.set)
        self.store.subscribe_changes(self._on_commit)
        self._store_open = True
        if self.telemetry is not None:
            self.telemetry.attach(self.store)
        await self.refresh_functions()
        await self.ops.load()
        if isinstance(self.store, SharedStore):  # other processes change what this one caches
            self.store.subscribe_config(self._on_config_change)
        await self.crons.arm(self.registry.by_id)  # schedules survive restarts: re-armed from the registry
        self._tasks = [
            asyncio.create_task(self._dispatch(), name="inngest-lab-dispatch"),
            asyncio.create_task(self._heartbeat(), name="inngest-lab-heartbeat"),
        ]

    async def stop(self) -> None:
        """Stop leasing; wait for in-flight items to finish, then close the store."""
        self._stopping = True
        self._wake.set()
        for t in self._tasks:
            t.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        if self._inflight:
            await asyncio.gather(*self._inflight, return_exceptions=True)
        self.gateway.close()
        await self.store.close()

    def add_driver(self, scheme: str, driver: Driver) -> None:
        self._drivers[scheme] = driver

    # ------------------------------------------------------------ functions

    def _on_config_change(self, what: str) -> None:
        """Another process synced an app or changed operator records: reload this process's copy."""
        task = asyncio.get_running_loop().create_task(self._reload(what))
        self._reloads.add(task)
        task.add_done_callback(self._reloads.discard)

    async def _reload(self, what: str) -> None:
        try:
            if what == "registry":
                await self.refresh_functions()  # its crons were armed by the process that synced
            elif what.startswith("records:"):
                await self.ops.load()
        except Exception:
            log.exception("reloading %s after another process changed it failed", what)

    async def refresh_functions(self) -> None:
        await self.registry.refresh()

    def functions(self) -> list[FunctionDef]:
        return list(self.registry.by_id.values())

    def function(self, fn_id: str) -> FunctionDef | None:
        return self.registry.by_id.get(fn_id)

    async def function_or_reload(self, fn_id: str) -> FunctionDef | None:
        """``function(fn_id)``, reading the registry again first when this process does not know it: another
        process may have synced it a moment ago, before its notice arrived here."""
        fn = self.function(fn_id)
        if fn is None:
            await self.refresh_functions()
            fn = self.function(fn_id)
        return fn

    async def remove_app(self, app_id: str) -> None:
        """Delete an app and its functions: events stop matching them here at once (others on their notice)."""
        async with self.registry.changing():
            await self.store.delete_app(app_id)

    async def register(self, body: Mapping[str, Json]) -> RegisterResult:
        """Sync an app from a ``/fn/register`` body. Raises ``RegistrationError`` with a readable message."""
        reg = parse_register_body(body)
        previous = self.registry.by_id
        async with self.registry.changing():
            modified = await self.store.upsert_app(reg.app, reg.functions)
        await self.crons.arm(self.registry.by_id, previous)
        return RegisterResult(ok=True, modified=modified, app_id=reg.app.app_id, sync_id=str(uuid.uuid4()))

    # ------------------------------------------------------------ events

    async def send(
        self, events: Sequence[Mapping[str, Json]], *, internal_ids: Sequence[str] | None = None
    ) -> list[str]:
        """Ingest normalized wire events in one transaction; return their internal ids in order."""
        now = self.clock.now_ms()
        keys = internal_ids or [str(ULID()) for _ in events]
        records = [EventRecord(key, {**e, "id": e.get("id") or key}, now) for key, e in zip(keys, events, strict=True)]
        await self._ingest(records)
        return [r.internal_id for r in records]

    async def _ingest(self, records: Sequence[EventRecord], then: Sequence[Command] = ()) -> None:
        """Plan ``records`` and apply the plan (with flow-control decisions, if any) and ``then`` atomically."""
        gated: list[Gated] = []
        commands = await self._plan_events(records, gated)
        started = time.perf_counter()
        await self._admission.apply([*commands, *then], gated)
        if self.telemetry is not None:
            self.telemetry.stored("ingest", time.perf_counter() - started)

    async def plan_events(self, records: Sequence[EventRecord]) -> list[Command]:
        """The commands that ingesting ``records`` applies (for callers that add to them, e.g. replay).

        Flow control does not hold these runs back: a replay is an operator's explicit request for a run.
        """
        gated: list[Gated] = []
        commands = await self._plan_events(records, gated)
        now = self.clock.now_ms()
        for record, fn in gated:
            commands.extend(create_run(RunPlan(fn, (record,)), now, str(ULID())))
        return commands

    async def _plan_events(self, records: Sequence[EventRecord], gated: list[Gated]) -> list[Command]:
        """Commands for ``records``; the run plans that need a flow-control decision go to ``gated`` instead."""
        await self.registry.settled()  # an app this process is syncing right now is matched, not missed
        now = self.clock.now_ms()
        commands: list[Command] = []
        candidates = await self.store.pauses_matching([r.payload for r in records])  # through the pause index
        for record, pauses in zip(records, candidates, strict=True):
            target = invoked_target(record.payload) if record.name == InternalEvent.FUNCTION_INVOKED else None
            if target is not None:
                fn = self.function(target)
                plans = [RunPlan(fn, (record,))] if fn else []
                if fn is None:
                    commands.extend(invoke_not_found(record, target, now))
            else:
                plans = [RunPlan(fn, (record,)) for fn, _ in self.registry.index.match(record.payload)]
            plans, skipped = self.ops.skip_paused(plans, now)
            commands.extend(skipped)
            plans = self._admission.split(record, plans, gated)
            commands.extend(
                plan_event(
                    record,
                    plans,
                    pauses,
                    now,
                    lambda: str(ULID()),
                )
            )
        return commands

    # ------------------------------------------------------------ runs

    async def cancel_run(self, run_id: str, reason: str = "cancelled via API") -> bool:
        """Cancel a run now. False when the run does not exist; a no-op for a run already ended."""
        run = await self.store.load_run(run_id)
        if run is None:
            return False
        item = QueueItem(
            item_id=_ids.cancel_item_id(run_id, "api"),
            run_id=run_id,
            fn_id=run.fn_id,
            kind=ItemKind.CANCEL,
            due_at_ms=self.clock.now_ms(),
        )
        await self._transition(item, CancelRequested(reason), ack=False)
        return True

    async def wait_for_run(self, run_id: str, timeout_s: float = 30.0) -> Run:
        """Wait until ``run_id`` reaches a terminal status (pushed by the change feed, not polled)."""
        fut: asyncio.Future[Run] = asyncio.get_running_loop().create_future()
        self._run_waiters.setdefault(run_id, []).append(fut)
        run = await self.store.load_run(run_id)
        if run is not None and run.status.is_terminal and not fut.done():
            fut.set_result(run)
        try:
            return await asyncio.wait_for(fut, timeout_s)
        except TimeoutError as exc:
            raise RunWaitTimeout(f"run {run_id} did not finish within {timeout_s}s") from exc
        finally:
            waiters = self._run_waiters.get(run_id, [])
            if fut in waiters:
                waiters.remove(fut)
            if not waiters:  # a run that had already ended never pops its entry in _on_commit
                self._run_waiters.pop(run_id, None)

    @property
    def in_flight(self) -> int:
        """Queue items being processed right now, counting a lease the dispatcher is still taking as one."""
        return len(self._inflight) + self._leasing

    async def wait_idle(self, timeout_s: float = 30.0) -> None:
        """Wait until no item is in flight and none is due now (useful with a FakeClock)."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout_s
        while True:
            due = self.store.next_due_ms()
            if not self._inflight and (due is None or due > self.clock.now_ms()):
                await asyncio.sleep(0)
                due = self.store.next_due_ms()
                if not self._inflight and (due is None or due > self.clock.now_ms()):
                    return
            if loop.time() > deadline:
                raise TimeoutError("engine did not become idle")
            fut: asyncio.Future[None] = loop.create_future()
            self._idle_waiters.append(fut)
            self._wake.set()
            try:
                await asyncio.wait_for(fut, max(0.0, deadline - loop.time()))
            except TimeoutError:
                continue

    def _on_commit(self, commands: Sequence[Command]) -> None:
        for c in commands:
            if isinstance(c, SaveRun) and c.run.status.is_terminal:
                for fut in self._run_waiters.pop(c.run.run_id, []):
                    if not fut.done():
                        fut.set_result(c.run)

    # ------------------------------------------------------------ dispatch

    async def _dispatch(self) -> None:
        while not self._stopping:
            self._wake.clear()
            free = self.workers - len(self._inflight)
            leased: list[Lease] = []
            if free > 0:
                self._leasing = True  # a lease may await the store (shared concurrency slots)
                try:
                    leased_at, started = self.clock.now_ms(), time.perf_counter()
                    leased = await self.store.lease(leased_at, free, self.lease_ms)
                finally:
                    self._leasing = False
                if self.telemetry is not None and leased:
                    self.telemetry.leased(leased, leased_at, time.perf_counter() - started)
                for lease in leased:
                    task = asyncio.create_task(self._process(lease))
                    self._inflight[task] = lease
                    task.add_done_callback(self._done)
            if leased and len(leased) == free:
                await asyncio.sleep(0)
                continue
            if leased:
                continue
            if free > 0:
                self._notify_idle()
            # With every worker busy, only a finished task (or new work) can change anything: waiting for
            # the next due time then would return at once and spin.
            await self._wait_for_work(timer=free > 0)

    async def _wait_for_work(self, *, timer: bool) -> None:
        due = self.store.next_due_ms() if timer else None
        if due is None:
            await self._wake.wait()  # no timer to race: no tasks to create and cancel on every wake-up
            return
        waiters: list[asyncio.Task[object]] = [
            asyncio.create_task(self._wake.wait()),
            asyncio.create_task(self.clock.sleep_until(due)),
        ]
        try:
            await asyncio.wait(waiters, return_when=asyncio.FIRST_COMPLETED)
        finally:
            for w in waiters:
                w.cancel()

    def _done(self, task: asyncio.Task[None]) -> None:
        self._inflight.pop(task, None)
        self._wake.set()

    def _notify_idle(self) -> None:
        waiters, self._idle_waiters = self._idle_waiters, []
        for fut in waiters:
            if not fut.done():
                fut.set_result(None)

    async def _heartbeat(self) -> None:
        """Extend the leases of long-running calls so no other worker takes them over."""
        while not self._stopping:
            await asyncio.sleep(self.lease_ms / 3000)
            now = self.clock.now_ms()
            held = list(self._inflight.items())
            # all at once: the store groups them (one Redis round trip, one SQLite transaction) instead of
            # paying a round trip per call in flight
            renewals = await asyncio.gather(*(self.store.extend(lease, now, self.lease_ms) for _, lease in held))
            for (task, _), renewed in zip(held, renewals, strict=True):
                if renewed is not None and task in self._inflight:
                    self._inflight[task] = renewed

    async def _process(self, lease: Lease) -> None:
        item = lease.item
        CURRENT.set(RunContext(item.run_id, item.fn_id, item.item_id))  # this task's logs and calls know the run
        try:
            if item.kind is ItemKind.EMIT:
                records = [EventRecord(str(ULID()), self._with_id(item.payload["event"]), self.clock.now_ms())]
                await self._ingest(records, [Ack(item.item_id)])
                return
            if item.kind in FLOW_TIMER_KINDS:
                if ended(await self._admission.fire(item)):
                    await self._drop_pauses(item.run_id)
                return
            if item.kind is ItemKind.CRON:
                await self.crons.fire(item)
                return
            if item.kind is ItemKind.BULK_CANCEL:
                await self.ops.process_cancellation(item)
                return
            signal = await self._signal_for(item, lease.lease_id)
            if signal is not None:
                await self._transition(item, signal, delayed=lease.delayed, lease_id=lease.lease_id)
        except LeaseLost as exc:  # its lease expired mid-call: the worker that holds it now records the result
            log.info("%s", exc)
        except Exception:
            # Never lose work: the item goes back to the queue and is retried shortly.
            log.exception("processing %s item %s failed; retrying in 1s", item.kind.value, item.item_id)
            await self.store.release(lease, self.clock.now_ms() + 1000)

    @staticmethod
    def _with_id(event: Mapping[str, Json]) -> Mapping[str, Json]:
        return event if event.get("id") else {**event, "id": str(ULID())}

    async def _signal_for(self, item: QueueItem, lease_id: str) -> Signal | None:
        if item.kind is ItemKind.SLEEP:
            return TimerFired()
        if item.kind is ItemKind.RESUME:
            return PauseResumed(pause_from_json(item.payload["pause"]), item.payload["event"])
        if item.kind is ItemKind.PAUSE_TIMEOUT:
            return PauseTimedOut(pause_from_json(item.payload["pause"]))
        if item.kind is ItemKind.CANCEL:
            return CancelRequested(str((item.payload or {}).get("reason", "cancelled")))
        if item.kind is ItemKind.GATEWAY:
            return await self.gateway.call(item)
        if item.kind is ItemKind.SIGNAL_CONFLICT:
            return SignalConflicted(pause_from_json(item.payload["pause"]))
        run = await self.store.load_run(item.run_id)
        # A planned step that is already memoized was delivered twice (its lease expired mid-call). Calling it
        # again would make the SDK replay past its target and return 200, ending the run before its siblings.
        if run is None or run.status.is_terminal or item.step_id in run.steps:
            await self.store.apply([Ack(item.item_id)])
            return None
        fn = await self.function_or_reload(run.fn_id)  # before failing the run, look again
        if fn is None:
            return SdkResponded(status=0, transport_error="function not registered")
        driver = self._drivers.get(fn.url.split(":", 1)[0])
        started = self.clock.now_ms()
        if driver is None:
            return SdkResponded(
                status=0, transport_error=f"no driver for {fn.url}", started_at_ms=started, ended_at_ms=started
            )
        result = await driver.call(fn, item.step_id, build_call_request(run, item), request_id=lease_id)
        return SdkResponded(
            status=result.status,
            headers=result.headers,
            body=result.body,
            transport_error=result.transport_error,
            started_at_ms=started,
            ended_at_ms=self.clock.now_ms(),
        )

    async def _transition(
        self, item: QueueItem, signal: Signal, *, ack: bool = True, delayed: Json = None, lease_id: str | None = None
    ) -> None:
        now = self.clock.now_ms()
        jitter = self._rng.random()
        fn = self.registry.by_id

        def decide(run: Run | None) -> list[Command]:
            commands = transition(
                run, item, signal, fn.get(run.fn_id) if run else None, now, jitter, self.retry_interval_ms
            )
            if delayed and commands:  # why the step started late goes first in its history
                started = signal.started_at_ms if isinstance(signal, SdkResponded) and signal.started_at_ms else now
                commands = [AppendHistory(delayed_entry(item, delayed, started)), *commands]
            return [*commands, Ack(item.item_id, lease_id)] if ack else commands

        started = time.perf_counter()
        applied = await self.store.transact(item.run_id, decide, now_ms=now)
        if self.telemetry is not None:
            self.telemetry.transitioned(item, signal, applied, time.perf_counter() - started)
        if any(isinstance(c, SaveRun) and c.run.status.is_terminal for c in applied):
            await self._drop_pauses(item.run_id)

    async def _drop_pauses(self, run_id: str) -> None:
        """An ended run's pauses can never resume it; remove them and their timers (idempotent)."""
        pauses = await self.store.pauses_for_run(run_id)
        if pauses:
            await self.store.apply(
                [c for p in pauses for c in (DeletePause(p.pause_id), Dequeue(_ids.timeout_item_id(p.pause_id)))]
            )


OnCommit = Callable[[Sequence[Command]], None]
__all__ = ["Engine", "RegisterResult", "RunStatus", "RunWaitTimeout"]
