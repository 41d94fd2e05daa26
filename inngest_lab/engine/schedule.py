"""Durable cron schedules: arming the next tick and firing a due one, as pure decisions.

A function's schedule is one queue item per cron trigger (kind ``cron``), due at the next tick plus its jitter.
The item carries everything needed to fire, so the schedule survives restarts with the queue; the shell also
re-arms every cron trigger from the registry on each engine start and on each sync (enqueueing is idempotent:
the item id is derived from function, cron and tick, not from the jitter).

Exactly once per tick: the run a tick starts has an id derived from (function, cron, tick), and firing is a
``Store.transact`` on that run id, so whichever worker or process fires first creates the run and every later
attempt sees it and only acks its item.

Missed ticks (the engine was down, or the item ran late): only the **latest** tick that should have fired by
now fires, once, late; earlier missed ticks are skipped, and the schedule continues from there. Inngest itself
never back-fills; firing the most recent missed tick means a daily job still runs once after an outage that
spanned its time, and never runs a burst of stale ticks.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from ulid import ULID

from inngest_lab.engine.cron import parse_cron, scheduled_timer_event
from inngest_lab.engine.ingest import RunPlan, create_run
from inngest_lab.engine.model import (
    Ack,
    Command,
    Enqueue,
    EventRecord,
    FunctionDef,
    ItemKind,
    Json,
    QueueItem,
    Run,
    StoreEvent,
    Trigger,
)
from inngest_lab.engine.operations import annotate_scheduled


@dataclass(frozen=True, slots=True)
class Tick:
    """One armed tick of one cron trigger: what a ``cron`` queue item carries (``payload``)."""

    fn_id: str
    cron: str
    tick_ms: int  # the scheduled instant
    fire_ms: int  # tick plus jitter: when it is due

    def to_json(self) -> dict[str, Json]:
        return {"fn_id": self.fn_id, "cron": self.cron, "tick_ms": self.tick_ms, "fire_ms": self.fire_ms}

    @staticmethod
    def from_json(data: Json) -> Tick:
        return Tick(str(data["fn_id"]), str(data["cron"]), int(data["tick_ms"]), int(data["fire_ms"]))


def _digest(*parts: object) -> bytes:
    return hashlib.sha1("\x1f".join(str(p) for p in parts).encode()).digest()  # noqa: S324 - id, not security


def _ulid(tick_ms: int, *parts: object) -> str:
    """A ULID whose time is the tick and whose randomness is a digest: the same inputs give the same id."""
    return str(ULID.from_bytes(tick_ms.to_bytes(6, "big") + _digest(*parts)[:10]))


def cron_item_id(fn_id: str, cron: str, tick_ms: int) -> str:
    return f"cron/{fn_id}/{_digest(cron).hex()[:12]}/{tick_ms}"


def tick_run_id(fn_id: str, cron: str, tick_ms: int) -> str:
    """The id of the run a tick starts; equal for every worker and process that fires it."""
    return _ulid(tick_ms, "run", fn_id, cron, tick_ms)


def tick_event_id(fn_id: str, cron: str, tick_ms: int) -> str:
    """The internal id of the stored ``inngest/scheduled.timer`` event of a tick."""
    return _ulid(tick_ms, "event", fn_id, cron, tick_ms)


def cron_triggers(fn: FunctionDef) -> list[Trigger]:
    return [t for t in fn.triggers if t.cron is not None]


def arm(fn: FunctionDef, trigger: Trigger, after_ms: int, jitter: float) -> Enqueue:
    """Enqueue the first tick of ``trigger`` strictly after ``after_ms``; ``jitter`` in [0, 1) scales its jitter."""
    assert trigger.cron is not None
    tick_ms = parse_cron(trigger.cron).next_after(after_ms)
    delay_ms = int(jitter * (trigger.jitter_ms or 0)) // 1000 * 1000  # whole seconds, as ``fireAt`` carries it
    tick = Tick(fn.fn_id, trigger.cron, tick_ms, tick_ms + delay_ms)
    return Enqueue(
        QueueItem(
            item_id=cron_item_id(fn.fn_id, trigger.cron, tick_ms),
            run_id=tick_run_id(fn.fn_id, trigger.cron, tick_ms),
            fn_id=fn.fn_id,
            kind=ItemKind.CRON,
            due_at_ms=tick.fire_ms,
            payload=tick.to_json(),
        )
    )


def arm_all(functions: Sequence[FunctionDef], now_ms: int, jitter: float) -> list[Command]:
    """Arm the next tick of every cron trigger (idempotent: an armed tick keeps its item)."""
    return [arm(fn, t, now_ms, jitter) for fn in functions for t in cron_triggers(fn)]


def disarm(old: FunctionDef, new: FunctionDef | None, now_ms: int) -> list[str]:
    """Item ids of ``old``'s armed ticks whose cron ``new`` (the re-synced function, or None) no longer has.

    The armed tick of a schedule that kept up is its next tick after now. A stale item this misses is harmless:
    ``fire`` drops a tick whose cron the function no longer has.
    """
    kept = {t.cron for t in cron_triggers(new)} if new is not None else set()
    return [
        cron_item_id(old.fn_id, t.cron, parse_cron(t.cron).next_after(now_ms))
        for t in cron_triggers(old)
        if t.cron is not None and t.cron not in kept
    ]


def tick_to_fire(item: QueueItem, now_ms: int) -> Tick:
    """The tick a due ``cron`` item fires at ``now_ms``: its own, or the latest one it missed (module docstring)."""
    tick = Tick.from_json(item.payload)
    schedule = parse_cron(tick.cron)
    lateness = now_ms - tick.fire_ms
    if lateness <= 0:
        return tick
    latest = schedule.latest_at_or_before(tick.tick_ms + lateness)
    if latest <= tick.tick_ms:
        return tick
    return Tick(tick.fn_id, tick.cron, latest, now_ms)


Starter = Callable[[RunPlan, str], list[Command]]
"""Creates the run of a plan under a run id (``create_run``, or flow control's ``start_run`` when the function
has admission options such as singleton, throttle or timeouts)."""


def fire(
    run: Run | None,
    item: QueueItem,
    tick: Tick,
    fn: FunctionDef | None,
    now_ms: int,
    jitter: float,
    *,
    paused: bool,
    start: Starter | None = None,
) -> list[Command]:
    """Decide a due ``cron`` item, inside ``transact`` on ``tick_run_id`` of ``tick`` (see ``tick_to_fire``).

    * the function is gone, or no longer has this cron: ack only (the schedule ends; a re-sync arms the new one);
    * the tick already fired (its run exists): ack only;
    * the function is paused: no run, arm the next tick;
    * otherwise store the ``inngest/scheduled.timer`` event, create the run, arm the next tick.
    """
    done: list[Command] = [Ack(item.item_id)]
    trigger = next((t for t in cron_triggers(fn) if t.cron == tick.cron), None) if fn is not None else None
    if fn is None or trigger is None or run is not None:
        return done
    following = arm(fn, trigger, tick.tick_ms, jitter)
    if paused:
        return [*done, following]
    payload = scheduled_timer_event(tick.cron, tick.tick_ms, max(tick.fire_ms, tick.tick_ms))
    event = EventRecord(tick_event_id(fn.fn_id, tick.cron, tick.tick_ms), payload, now_ms)
    run_id = tick_run_id(fn.fn_id, tick.cron, tick.tick_ms)
    plan = RunPlan(fn, (event,))
    created = start(plan, run_id) if start is not None else create_run(plan, now_ms, run_id)
    origin = {"cron": tick.cron, "scheduled_at": payload["data"]["scheduledAt"], "fired_at": payload["data"]["fireAt"]}
    return [StoreEvent(event), *annotate_scheduled(created, origin), *done, following]
