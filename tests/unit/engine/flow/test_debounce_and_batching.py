"""Properties of the pure debounce and batching decisions."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from inngest_lab.engine.flow import batching, debounce

gaps = st.lists(st.integers(min_value=0, max_value=5_000), min_size=1, max_size=40)


def _simulate_debounce(deltas: list[int], period: int, timeout: int | None) -> list[tuple[int, int]]:
    """Feed events n=0,1,… at the given gaps, firing due timers in between; return (fire time, event n) runs."""
    runs: list[tuple[int, int]] = []
    pending: debounce.Pending | None = None
    now = 0
    for n, gap in enumerate(deltas):
        now += gap
        if pending is not None and pending.fire_at_ms <= now:
            runs.append((pending.fire_at_ms, pending.event["n"]))
            pending = None
        pending = debounce.debounce(pending, {"n": n}, period, timeout, now)
    if pending is not None:
        runs.append((pending.fire_at_ms, pending.event["n"]))
    return runs


@settings(deadline=None)  # a loaded machine must not fail a property
@given(gaps, st.integers(min_value=1_000, max_value=4_000))
def test_a_debounced_run_always_gets_the_last_event(deltas: list[int], period: int) -> None:
    runs = _simulate_debounce(deltas, period, None)
    assert runs[-1][1] == len(deltas) - 1
    # every run carries the last event sent before it fired, one quiet period after that event
    times, now = [], 0
    for gap in deltas:
        now += gap
        times.append(now)
    for fire_at, n in runs:
        assert n == max(i for i, t in enumerate(times) if t < fire_at)
        assert fire_at == times[n] + period


@settings(deadline=None)  # a loaded machine must not fail a property
@given(gaps, st.integers(min_value=1_000, max_value=4_000), st.integers(min_value=1_000, max_value=8_000))
def test_a_debounce_timeout_caps_the_delay_from_the_first_event(deltas: list[int], period: int, timeout: int) -> None:
    pending: debounce.Pending | None = None
    now = 0
    for n, gap in enumerate(deltas):
        now += gap
        if pending is not None and pending.fire_at_ms <= now:
            pending = None
        pending = debounce.debounce(pending, {"n": n}, period, timeout, now)
        assert pending.fire_at_ms <= pending.first_at_ms + timeout
        assert pending.fire_at_ms <= now + period
        assert pending.event == {"n": n}


def test_only_the_latest_debounce_timer_is_due() -> None:
    first = debounce.debounce(None, {"n": 0}, 1_000, None, 0)
    second = debounce.debounce(first, {"n": 1}, 1_000, None, 500)
    assert not debounce.is_due(second, first.generation)
    assert debounce.is_due(second, second.generation)
    assert second.count == 2 and second.first_at_ms == 0


@settings(deadline=None)  # a loaded machine must not fail a property
@given(st.lists(st.integers(0, 100), min_size=1, max_size=50), st.integers(min_value=2, max_value=7))
def test_batches_never_exceed_max_size_and_keep_every_event_once_in_order(values: list[int], max_size: int) -> None:
    buffer: batching.Buffer | None = None
    started: list[tuple[int, ...]] = []
    for i, value in enumerate(values):
        step = batching.add_event(buffer, {"v": value, "i": i}, f"b{i}", max_size, 5_000, i)
        if step.ready:
            started.append(tuple(e["i"] for e in step.ready))
        buffer = step.buffer
        if buffer is not None:
            assert len(buffer.events) < max_size
    leftover = batching.flush(buffer, buffer.batch_id) if buffer else ()
    if leftover:
        started.append(tuple(e["i"] for e in leftover))
    assert all(len(b) <= max_size for b in started)
    assert [i for b in started for i in b] == list(range(len(values)))
    assert all(len(b) == max_size for b in started[:-1])


def test_a_new_buffer_arms_one_timer_and_a_stale_timer_flushes_nothing() -> None:
    step = batching.add_event(None, {"i": 0}, "b0", 3, 5_000, 100)
    assert step.timer_at_ms == 5_100 and step.buffer is not None
    again = batching.add_event(step.buffer, {"i": 1}, "b1", 3, 5_000, 200)
    assert again.timer_at_ms is None and again.buffer is not None and again.buffer.batch_id == "b0"
    assert batching.flush(again.buffer, "other") == ()
    assert [e["i"] for e in batching.flush(again.buffer, "b0")] == [0, 1]


def test_the_if_expression_decides_which_events_are_batched() -> None:
    assert batching.batchable(None, {"data": {}})
    assert batching.batchable("event.data.bulk == true", {"name": "x", "data": {"bulk": True}})
    assert not batching.batchable("event.data.bulk == true", {"name": "x", "data": {"bulk": False}})
    assert not batching.batchable("event.data.bulk == true", {"name": "x", "data": {}})


def test_a_batch_starts_once_its_events_hold_ten_mebibytes() -> None:
    half = batching.MAX_BATCH_BYTES // 2
    first = batching.add_event(None, {"i": 0}, "b0", 100, 5_000, 0, half)
    assert first.buffer is not None and first.buffer.size_bytes == half and not first.ready
    second = batching.add_event(first.buffer, {"i": 1}, "b1", 100, 5_000, 1, half)
    assert second.buffer is None and [e["i"] for e in second.ready] == [0, 1]
