"""Cron schedule decisions: arming, the tick a late item fires, and firing exactly once."""

from __future__ import annotations

from datetime import UTC, datetime

from hypothesis import given, settings
from hypothesis import strategies as st

from inngest_lab.engine import schedule
from inngest_lab.engine.cron import parse_cron
from inngest_lab.engine.model import Ack, Enqueue, FunctionDef, Run, SaveRun, StoreEvent, Trigger
from inngest_lab.protocol.consts import RunStatus

HOURLY = "0 * * * *"
START = int(datetime(2026, 1, 1, tzinfo=UTC).timestamp() * 1000)
HOUR = 3_600_000


def fn(*crons: str, jitter_ms: int | None = None) -> FunctionDef:
    triggers = tuple(Trigger(cron=c, jitter_ms=jitter_ms) for c in crons)
    return FunctionDef(fn_id="app-f", app_id="app", name="f", url="inproc://app", triggers=triggers)


def armed(function: FunctionDef, after_ms: int = START, jitter: float = 0.0) -> Enqueue:
    trigger = schedule.cron_triggers(function)[0]
    return schedule.arm(function, trigger, after_ms, jitter)


def test_arming_enqueues_the_next_tick_with_an_id_that_ignores_jitter() -> None:
    plain = armed(fn(HOURLY)).item
    jittered = armed(fn(HOURLY, jitter_ms=60_000), jitter=0.5).item
    assert plain.due_at_ms == START + HOUR
    assert jittered.due_at_ms == START + HOUR + 30_000
    assert plain.item_id == jittered.item_id


def test_an_on_time_item_fires_its_own_tick() -> None:
    item = armed(fn(HOURLY)).item
    assert schedule.tick_to_fire(item, START + HOUR).tick_ms == START + HOUR


def test_a_late_item_fires_the_latest_missed_tick() -> None:
    item = armed(fn(HOURLY)).item
    tick = schedule.tick_to_fire(item, START + 3 * HOUR + 5 * 60_000)
    assert (tick.tick_ms, tick.fire_ms) == (START + 3 * HOUR, START + 3 * HOUR + 5 * 60_000)


def test_jitter_is_not_mistaken_for_lateness() -> None:
    item = armed(fn("* * * * *", jitter_ms=5 * 60_000), jitter=0.9).item
    assert schedule.tick_to_fire(item, item.due_at_ms).tick_ms == START + 60_000


def test_firing_creates_the_run_stores_the_event_and_arms_the_next_tick() -> None:
    function = fn(HOURLY)
    item = armed(function).item
    tick = schedule.tick_to_fire(item, START + HOUR)
    commands = schedule.fire(None, item, tick, function, START + HOUR, 0.0, paused=False)
    [run] = [c.run for c in commands if isinstance(c, SaveRun)]
    assert run.run_id == schedule.tick_run_id("app-f", HOURLY, START + HOUR)
    assert run.cron == HOURLY and run.status is RunStatus.QUEUED
    [event] = [c.event for c in commands if isinstance(c, StoreEvent)]
    assert event.payload["id"] == "2026-01-01T01:00:00Z"
    assert Ack(item.item_id) in commands
    assert armed(function, START + HOUR) in commands


def existing_run(run_id: str) -> Run:
    return Run(run_id, "app-f", "app", RunStatus.RUNNING, ({},), ("e",), START, 5)


@settings(deadline=None, max_examples=30)  # croniter is slow-ish; a loaded machine must not fail the property
@given(st.integers(min_value=0, max_value=48))
def test_a_tick_whose_run_exists_only_acks(hours: int) -> None:
    function = fn(HOURLY)
    item = armed(function, START + hours * HOUR).item
    tick = schedule.tick_to_fire(item, item.due_at_ms)
    run = existing_run(schedule.tick_run_id("app-f", HOURLY, tick.tick_ms))
    assert schedule.fire(run, item, tick, function, item.due_at_ms, 0.0, paused=False) == [Ack(item.item_id)]


def test_a_paused_function_skips_the_tick_but_keeps_its_schedule() -> None:
    function = fn(HOURLY)
    item = armed(function).item
    tick = schedule.tick_to_fire(item, START + HOUR)
    assert schedule.fire(None, item, tick, function, START + HOUR, 0.0, paused=True) == [
        Ack(item.item_id),
        armed(function, START + HOUR),
    ]


def test_a_cron_the_function_no_longer_has_ends_the_schedule() -> None:
    item = armed(fn(HOURLY)).item
    tick = schedule.tick_to_fire(item, START + HOUR)
    assert schedule.fire(None, item, tick, fn("30 * * * *"), START + HOUR, 0.0, paused=False) == [Ack(item.item_id)]
    assert schedule.fire(None, item, tick, None, START + HOUR, 0.0, paused=False) == [Ack(item.item_id)]


def test_disarm_names_the_armed_tick_of_a_dropped_cron_only() -> None:
    old = fn(HOURLY, "30 * * * *")
    assert schedule.disarm(old, fn("30 * * * *"), START) == [schedule.cron_item_id("app-f", HOURLY, START + HOUR)]
    assert len(schedule.disarm(old, None, START)) == 2


@settings(deadline=None, max_examples=50)
@given(st.integers(min_value=0, max_value=10**6))
def test_latest_at_or_before_is_a_tick_no_later_than_the_instant(minutes: int) -> None:
    cron = parse_cron("*/7 3-5 * * *")
    at = START + minutes * 60_000 + 123
    latest = cron.latest_at_or_before(at)
    assert latest <= at < cron.next_after(latest)
