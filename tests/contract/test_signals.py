"""The signal index: which pending pause a signal name resumes (``ClaimSignal``, ``pause_for_signal``)."""

from __future__ import annotations

import asyncio
from dataclasses import replace

from inngest_lab.engine.model import ClaimSignal, ConsumePause, CreatePause, DeletePause, ItemKind, Pause, PauseKind
from inngest_lab.store.ports import Store

from .records import a_pause, an_item


def a_signal_wait(pause_id: str, *, run_id: str, signal: str = "sig-1", at_ms: int = 1) -> Pause:
    return replace(
        a_pause(pause_id, run_id=run_id, event_name="inngest/signal", at_ms=at_ms),
        kind=PauseKind.SIGNAL,
        expression=None,
        correlation_id=signal,
    )


async def claim(store: Store, pause: Pause, *, replace_holder: bool) -> None:
    item = replace(an_item(f"conflict-{pause.run_id}", run_id=pause.run_id), kind=ItemKind.SIGNAL_CONFLICT)
    signal = pause.correlation_id or ""
    await store.apply([CreatePause(pause), ClaimSignal(signal, pause.pause_id, replace_holder, item)])


async def test_a_claimed_signal_finds_its_pause_and_no_other_name_does(store: Store) -> None:
    wait = a_signal_wait("p1", run_id="run-1")
    await claim(store, wait, replace_holder=False)

    assert await store.pause_for_signal("sig-1") == wait
    assert await store.pause_for_signal("sig-2") is None
    assert await store.depth() == 0


async def test_fail_mode_leaves_the_holder_and_enqueues_the_conflict(store: Store) -> None:
    first, second = a_signal_wait("p1", run_id="run-1"), a_signal_wait("p2", run_id="run-2", at_ms=2)
    await claim(store, first, replace_holder=False)

    await claim(store, second, replace_holder=False)

    assert await store.pause_for_signal("sig-1") == first
    [lease] = await store.lease(0, 10, 1_000)
    assert (lease.item.item_id, lease.item.kind) == ("conflict-run-2", ItemKind.SIGNAL_CONFLICT)


async def test_replace_mode_takes_the_signal_and_the_old_wait_stays_pending(store: Store) -> None:
    first, second = a_signal_wait("p1", run_id="run-1"), a_signal_wait("p2", run_id="run-2", at_ms=2)
    await claim(store, first, replace_holder=False)

    await claim(store, second, replace_holder=True)

    assert await store.pause_for_signal("sig-1") == second
    assert await store.pauses_for_run("run-1") == [first]
    assert await store.depth() == 0
    # the displaced pause ending does not release the signal its successor holds
    await store.apply([DeletePause("p1")])
    assert await store.pause_for_signal("sig-1") == second


async def test_claiming_again_for_the_same_pause_is_idempotent(store: Store) -> None:
    wait = a_signal_wait("p1", run_id="run-1")
    await claim(store, wait, replace_holder=False)

    await claim(store, wait, replace_holder=False)

    assert await store.pause_for_signal("sig-1") == wait
    assert await store.depth() == 0


async def test_a_consumed_or_deleted_pause_releases_its_signal(store: Store) -> None:
    await claim(store, a_signal_wait("p1", run_id="run-1"), replace_holder=False)
    await claim(store, a_signal_wait("p2", run_id="run-2", signal="sig-2"), replace_holder=False)

    await store.apply([ConsumePause("p1", an_item("resume"))])
    await store.apply([DeletePause("p2")])

    assert await store.pause_for_signal("sig-1") is None
    assert await store.pause_for_signal("sig-2") is None
    # a released signal can be claimed in fail mode by the next run
    third = a_signal_wait("p3", run_id="run-3", at_ms=3)
    await claim(store, third, replace_holder=False)
    assert await store.pause_for_signal("sig-1") == third
    assert [lease.item.item_id for lease in await store.lease(0, 10, 1_000)] == ["resume"]


async def test_two_runs_racing_for_one_signal_in_fail_mode_leave_exactly_one_holder(store: Store) -> None:
    waits = [a_signal_wait(f"p{i}", run_id=f"run-{i}", at_ms=i) for i in range(2)]

    await asyncio.gather(*(claim(store, w, replace_holder=False) for w in waits))

    holder = await store.pause_for_signal("sig-1")
    assert holder in waits
    [lease] = await store.lease(0, 10, 1_000)
    loser = next(w for w in waits if w != holder)
    assert lease.item.item_id == f"conflict-{loser.run_id}"
