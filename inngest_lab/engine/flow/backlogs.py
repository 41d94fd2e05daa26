"""Backlogs of due items that need concurrency slots, and the fair order they start in (deterministic).

No I/O and no clock: the queue index (``store.queue_index``) feeds it due items and ``now``, and asks it
which to start. Contract:

* **Never over a limit.** ``take`` starts an item only when ``concurrency.blocking`` says every slot it
  needs is below its limit, counting items started and not yet ``finished``.
* **FIFO per key.** Items with the same function and the same slot keys form one *lane*, ordered by
  score (``due_at_ms - priority_ms``, which ``flow.stamp`` makes the run's start minus its priority),
  then by arrival. A lane starts its items strictly in that order.
* **No head-of-line blocking, no starvation.** A lane whose head cannot start is set aside (blocked on
  that slot key, woken when one of its items finishes), so it never holds up other lanes. Lanes take
  turns: functions in rotation, and within a function its lanes in rotation, one item per turn. With
  equal work, every key progresses at the same rate.

A lane can also be *paused* until a time, when a store shared by several processes refused the slots
(another process holds them): it is retried then.
"""

from __future__ import annotations

import heapq
import itertools
from collections import Counter, OrderedDict, deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from enum import Enum
from typing import Generic, TypeVar

from inngest_lab.engine.flow.concurrency import Slot, blocking

T = TypeVar("T")


class _State(Enum):
    IDLE = "idle"  # no items
    OPEN = "open"  # in its function's rotation
    BLOCKED = "blocked"  # its head waits for a slot key
    PAUSED = "paused"  # retried at ``paused_until``


@dataclass(frozen=True, slots=True)
class Waited:
    """Why a started item had waited: the slot at its limit, from ``since_ms`` (only when it waited > 0 ms)."""

    key: str
    limit: int
    since_ms: int


@dataclass(frozen=True, slots=True)
class Started(Generic[T]):
    token: T
    slots: tuple[Slot, ...]
    waited: Waited | None
    since_ms: int  # when the item joined its lane


@dataclass(order=True, slots=True)
class _Queued(Generic[T]):
    score: int
    seq: int
    due_at_ms: int = field(compare=False)
    since_ms: int = field(compare=False)  # when it joined the lane
    token: T = field(compare=False)


@dataclass(eq=False, slots=True)
class _Lane(Generic[T]):
    group: str
    slots: tuple[Slot, ...]
    heap: list[_Queued[T]] = field(default_factory=list)
    state: _State = _State.IDLE
    blocked_on: Slot | None = None
    blocked_ms: int | None = None  # the last instant the lane was known blocked (set when blocked and when woken)
    paused_until: int | None = None


class Backlogs(Generic[T]):
    """Lanes of due items keyed by (function, slot keys); see the module docstring for the contract."""

    def __init__(self) -> None:
        self._lanes: dict[tuple[str, tuple[Slot, ...]], _Lane[T]] = {}
        self._rotation: OrderedDict[str, deque[_Lane[T]]] = OrderedDict()  # functions with open lanes
        self._blocked: dict[str, list[_Lane[T]]] = {}  # slot key -> lanes whose head waits for it
        self._paused: list[tuple[int, int, _Lane[T]]] = []
        self._executing: Counter[str] = Counter()
        self._seq = itertools.count()

    def __bool__(self) -> bool:
        """True while any lane may hold items (open, blocked or paused)."""
        return bool(self._rotation or self._blocked or self._paused)

    def executing(self, key: str) -> int:
        return self._executing[key]

    # ------------------------------------------------------------ items in

    def push(self, group: str, needed: tuple[Slot, ...], score: int, due_at_ms: int, now_ms: int, token: T) -> None:
        """An item of function ``group`` needing ``needed`` became due at ``now_ms``."""
        lane = self._lanes.get((group, needed))
        if lane is None:
            lane = self._lanes[(group, needed)] = _Lane(group, needed)
        heapq.heappush(lane.heap, _Queued(score, next(self._seq), due_at_ms, now_ms, token))
        if lane.state is _State.IDLE:
            self._open(lane)

    # ------------------------------------------------------------ starting

    def take(self, limit: int, now_ms: int, valid: Callable[[T], bool]) -> list[Started[T]]:
        """Start up to ``limit`` items, one per turn, counting their slots as executing.

        ``valid`` tells whether a token still stands for a queued item (others are dropped on the way).
        """
        self._unpause(now_ms)
        started: list[Started[T]] = []
        while len(started) < limit and self._rotation:
            group, lanes = self._rotation.popitem(last=False)
            one = self._take_one(lanes, now_ms, valid)
            if lanes:
                self._rotation[group] = lanes  # its next turn comes after every other function's
            if one is not None:
                started.append(one)
        return started

    def _take_one(self, lanes: deque[_Lane[T]], now_ms: int, valid: Callable[[T], bool]) -> Started[T] | None:
        while lanes:
            lane = lanes.popleft()
            head = _head(lane, valid)
            if head is None:
                lane.state = _State.IDLE
                del self._lanes[(lane.group, lane.slots)]  # high-cardinality keys must not pile up lanes
                continue
            if lane.paused_until is not None:
                if lane.paused_until > now_ms:
                    lane.state = _State.PAUSED
                    heapq.heappush(self._paused, (lane.paused_until, next(self._seq), lane))
                    continue
                lane.paused_until = None
            full = blocking(lane.slots, self._executing)
            if full is not None:
                lane.state, lane.blocked_on, lane.blocked_ms = _State.BLOCKED, full, now_ms
                self._blocked.setdefault(full.key, []).append(lane)
                continue
            heapq.heappop(lane.heap)
            for slot in lane.slots:
                self._executing[slot.key] += 1
            lanes.append(lane)  # its next turn comes after the function's other lanes
            waited = None
            blocked_since_joining = lane.blocked_ms is not None and head.since_ms <= lane.blocked_ms
            if blocked_since_joining and lane.blocked_on is not None and now_ms > head.since_ms:
                waited = Waited(lane.blocked_on.key, lane.blocked_on.limit, head.since_ms)
            return Started(head.token, lane.slots, waited, head.since_ms)
        return None

    # ------------------------------------------------------------ items out

    def finished(self, needed: tuple[Slot, ...], now_ms: int) -> None:
        """A started item stopped executing (acked, released, or its lease expired): free its slots."""
        for slot in needed:
            count = self._executing[slot.key] - 1
            if count > 0:
                self._executing[slot.key] = count
            else:
                del self._executing[slot.key]
            for lane in self._blocked.pop(slot.key, ()):
                lane.blocked_ms = now_ms
                self._open(lane)

    def refused(self, started: Started[T], group: str, score: int, due_at_ms: int, retry_at_ms: int) -> None:
        """The shared store refused ``started``'s slots: free them, put the item back, retry its lane later."""
        self.finished(started.slots, retry_at_ms)
        lane = self._lanes.get((group, started.slots))
        if lane is None:
            lane = self._lanes[(group, started.slots)] = _Lane(group, started.slots)
        heapq.heappush(lane.heap, _Queued(score, next(self._seq), due_at_ms, started.since_ms, started.token))
        lane.paused_until = retry_at_ms
        lane.blocked_on = started.slots[0]
        lane.blocked_ms = retry_at_ms
        if lane.state is _State.IDLE:
            self._open(lane)

    # ------------------------------------------------------------ timing

    def next_due_ms(self, valid: Callable[[T], bool]) -> int | None:
        """When something may start: the due time of a startable lane head (in the past), else a pause's end."""
        times: list[int] = []
        for lanes in self._rotation.values():
            for lane in lanes:
                if lane.paused_until is not None:
                    times.append(lane.paused_until)
                elif _head(lane, valid) is not None and blocking(lane.slots, self._executing) is None:
                    return lane.heap[0].due_at_ms
        if self._paused:
            times.append(self._paused[0][0])
        return min(times, default=None)

    def _unpause(self, now_ms: int) -> None:
        while self._paused and self._paused[0][0] <= now_ms:
            _, _, lane = heapq.heappop(self._paused)
            lane.paused_until = None
            self._open(lane)

    def _open(self, lane: _Lane[T]) -> None:
        lane.state = _State.OPEN
        lanes = self._rotation.get(lane.group)
        if lanes is None:
            lanes = self._rotation[lane.group] = deque()
        lanes.append(lane)

    def lanes(self) -> Iterator[tuple[str, tuple[Slot, ...], int]]:
        """``(function, slots, queued items)`` of every lane (for tests and introspection)."""
        for (group, needed), lane in self._lanes.items():
            yield group, needed, len(lane.heap)


def _head(lane: _Lane[T], valid: Callable[[T], bool]) -> _Queued[T] | None:
    while lane.heap and not valid(lane.heap[0].token):
        heapq.heappop(lane.heap)
    return lane.heap[0] if lane.heap else None
