"""Concurrency admission: slot keys from config, and the backlogs' guarantees as hypothesis properties.

Properties (``Backlogs`` driven by random pushes, takes and finishes):
* concurrency N never admits N+1 (per slot key, counting started and not yet finished items);
* FIFO per key: a lane starts its items in score order, ties in arrival order;
* no key starves: a take with room starts something whenever some lane's head has room, and lanes
  take turns, so with room for every lane each startable lane starts exactly one item.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

from inngest_lab.engine.flow.backlogs import Backlogs, Started
from inngest_lab.engine.flow.concurrency import Slot, blocking, limits, slot_keys, slots
from inngest_lab.engine.flow.priority import priority_s
from inngest_lab.engine.model import FunctionDef, Trigger

EVENT = {"name": "app/go", "data": {"user": "u-1", "n": 7}}


def fn(concurrency: Any = None, fn_id: str = "app-fn", **config: Any) -> FunctionDef:
    raw = {"id": fn_id, **config}
    if concurrency is not None:
        raw["concurrency"] = concurrency
    return FunctionDef(fn_id, "app", fn_id, "inproc://app", (Trigger(event="app/go"),), config=raw)


def test_slot_keys_name_scope_function_and_key_value() -> None:
    config = [
        {"limit": 10, "scope": "fn"},
        {"limit": 2, "key": "event.data.user", "scope": "fn"},
    ]
    assert slot_keys(fn(config), EVENT) == ("c:10:f:app-fn", "c:2:f:app-fn:u-1")
    shared = [{"limit": 3, "key": "event.data.n", "scope": "account"}, {"limit": 4, "key": "'k'", "scope": "env"}]
    assert (
        slot_keys(fn(shared, fn_id="a-1"), EVENT)
        == slot_keys(fn(shared, fn_id="b-2"), EVENT)
        == ("c:3:a::7", "c:4:e::k")
    )
    assert slots(("c:3:a::7", "throttle:x")) == (Slot("a::7", 3),)


def test_a_zero_limit_is_unlimited_and_a_failed_key_is_the_null_key() -> None:
    assert limits(fn([{"limit": 0, "scope": "fn"}])) == ()
    assert slot_keys(fn([{"limit": 1, "key": "event.data.missing", "scope": "fn"}]), EVENT) == ("c:1:f:app-fn:null",)


def test_priority_is_an_integer_number_of_seconds_clamped_to_twelve_hours() -> None:
    assert priority_s("event.data.n * 10", EVENT) == 70
    assert priority_s("100000", EVENT) == 43_200
    assert priority_s("-100000", EVENT) == -43_200
    assert priority_s("'high'", EVENT) == 0
    assert priority_s("event.data.missing", EVENT) == 0
    assert priority_s("true", EVENT) == 0


@given(
    st.lists(st.tuples(st.integers(1, 4), st.integers(0, 6)), max_size=4),
    st.dictionaries(st.sampled_from("abcd"), st.integers(0, 6)),
)
def test_blocking_admits_only_when_every_slot_is_below_its_limit(
    needs: list[tuple[int, int]], executing: dict[str, int]
) -> None:
    needed = tuple(Slot("abcd"[i], limit) for i, (limit, _) in enumerate(needs))
    full = blocking(needed, executing)
    if full is None:
        assert all(executing.get(s.key, 0) < s.limit for s in needed)
    else:
        assert executing.get(full.key, 0) >= full.limit


# ---------------------------------------------------------------- backlogs as a state machine

LANES = [
    ("f", (Slot("f", 2),)),
    ("f", (Slot("f", 2), Slot("f:u1", 1))),
    ("f", (Slot("f", 2), Slot("f:u2", 1))),
    ("g", (Slot("acct", 1),)),
    ("h", (Slot("acct", 3), Slot("h", 2))),
]


class BacklogsMachine(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.backlogs: Backlogs[int] = Backlogs()
        self.now = 0
        self.next_id = 0
        self.lane_of: dict[int, int] = {}
        self.score_of: dict[int, tuple[int, int]] = {}
        self.queued: set[int] = set()
        self.running: dict[int, Started[int]] = {}
        self.started_order: list[int] = []

    @rule(lane=st.integers(0, len(LANES) - 1), score=st.integers(0, 5))
    def push(self, lane: int, score: int) -> None:
        item = self.next_id
        self.next_id += 1
        group, needed = LANES[lane]
        self.backlogs.push(group, needed, score, 0, self.now, item)
        self.lane_of[item], self.score_of[item] = lane, (score, item)
        self.queued.add(item)

    @rule(limit=st.integers(1, 8))
    def take(self, limit: int) -> None:
        self.now += 1
        before = self._startable_lanes()
        executing = self._executing()
        started = self.backlogs.take(limit, self.now, lambda token: token in self.queued)
        assert len(started) <= limit
        for s in started:
            assert s.token in self.queued
            # admitted only below its own limit on every slot (N never admits N+1)
            assert all(executing[slot.key] < slot.limit for slot in s.slots)
            executing.update(slot.key for slot in s.slots)
            # FIFO per lane: nothing still queued in the same lane comes before it
            lane = self.lane_of[s.token]
            assert all(
                self.score_of[s.token] < self.score_of[o]
                for o in self.queued
                if self.lane_of[o] == lane and o != s.token
            )
            self.queued.discard(s.token)
            self.running[s.token] = s
        if before and limit > 0:
            assert started, "a lane had room and a queued item, yet nothing started"

    @precondition(lambda self: self.running)
    @rule(data=st.data())
    def finish(self, data: st.DataObject) -> None:
        item = data.draw(st.sampled_from(sorted(self.running)))
        self.backlogs.finished(self.running.pop(item).slots, self.now)

    @precondition(lambda self: self.queued)
    @rule(data=st.data())
    def dequeue(self, data: st.DataObject) -> None:
        self.queued.discard(data.draw(st.sampled_from(sorted(self.queued))))

    def _startable_lanes(self) -> set[int]:
        executing = self._executing()
        return {self.lane_of[i] for i in self.queued if blocking(LANES[self.lane_of[i]][1], executing) is None}

    def _executing(self) -> Counter[str]:
        return Counter(slot.key for s in self.running.values() for slot in s.slots)

    @invariant()
    def never_over_a_limit(self) -> None:
        """A key shared by functions with different limits holds at most the largest of them."""
        executing = self._executing()
        for _, needed in LANES:
            for slot in needed:
                assert executing[slot.key] <= max(s.limit for _, n in LANES for s in n if s.key == slot.key)
                assert self.backlogs.executing(slot.key) == executing[slot.key]


BacklogsMachine.TestCase.settings = settings(max_examples=300, stateful_step_count=40, deadline=None)
test_backlogs_never_exceed_a_limit_keep_fifo_and_take_turns = BacklogsMachine.TestCase


@given(st.lists(st.integers(1, 5), min_size=1, max_size=6), st.integers(1, 40))
def test_keys_take_turns_so_none_starves(sizes: list[int], take: int) -> None:
    backlogs: Backlogs[tuple[int, int]] = Backlogs()
    for lane, size in enumerate(sizes):
        for n in range(size):
            backlogs.push("fn", (Slot(f"k{lane}", 100),), n, 0, 0, (lane, n))
    started = [s.token for s in backlogs.take(take, 1, lambda _token: True)]
    assert len(started) == min(take, sum(sizes))
    counts = Counter[int]()
    for lane, n in started:
        assert n == counts[lane]  # FIFO within the key
        counts[lane] += 1
        # round robin: no key gets its next item while a key with items left has had fewer turns
        assert all(counts[lane] <= counts[other] + 1 for other, size in enumerate(sizes) if counts[other] < size)


def test_with_room_for_everyone_each_startable_lane_starts_one_item_per_round() -> None:
    backlogs: Backlogs[str] = Backlogs()
    for n in range(3):
        for key in ("a", "b", "c"):
            backlogs.push("fn", (Slot(key, 5),), n, 0, 0, f"{key}{n}")
    started = backlogs.take(6, 1, lambda _token: True)
    assert [s.token for s in started] == ["a0", "b0", "c0", "a1", "b1", "c1"]
