"""Realtime fan-out: published messages reach every subscriber of their channel and topic, in publish order.

One :class:`Broker` per store (``broker_for``), shared by the HTTP routes, ``Lab.realtime`` and the SDK's
in-process ``publish``:

* memory / SQLite stores (one process): :class:`MemoryBroker` hands each message to the matching subscribers
  at once, on the event loop;
* the Redis + Postgres store (production, several processes): :class:`RedisBroker` publishes every message on
  the deployment's realtime Redis channel (``Keys.realtime``); each process with local subscribers listens on
  it (one pub/sub connection, opened when its first subscriber arrives and closed with its last) and hands
  each message to its own matching subscribers. A process's own messages come back the same way, so every
  subscriber sees one order: the channel's.

A :class:`Subscription` selects by channel and topics (what a token grants; Go's scoping) or by run id
(``Lab.realtime(run_id)``: every message a run published). Delivery is at most once and best effort, as in
Inngest: a subscriber that falls ``MAX_BACKLOG`` messages behind loses the oldest.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import weakref
from collections import deque
from collections.abc import AsyncIterator, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime

from inngest_lab.engine.model import Json
from inngest_lab.server.realtime_token import ENV_ID
from inngest_lab.store.ports import Store
from inngest_lab.store.redis_pg import RedisPgStore

log = logging.getLogger("inngest_lab.realtime")

MAX_BACKLOG = 10_000


@dataclass(frozen=True, slots=True)
class RealtimeMessage:
    """A published message (``kind:"data"``), as Go's ``PostPublish`` broadcasts it."""

    channel: str
    topic: str
    data: Json
    created_at_ms: int
    run_id: str | None = None
    fn_id: str | None = None

    def wire(self) -> dict[str, Json]:
        """The JSON object a subscriber receives (one WebSocket text frame, one SSE ``data:`` line)."""
        created = datetime.fromtimestamp(self.created_at_ms / 1000, UTC).isoformat(timespec="milliseconds")
        out: dict[str, Json] = {
            "kind": "data",
            "channel": self.channel,
            "topic": self.topic,
            "data": self.data,
            "created_at": created.replace("+00:00", "Z"),
            "env_id": ENV_ID,
        }
        if self.run_id:
            out["run_id"] = self.run_id
        if self.fn_id:
            out["fn_id"] = self.fn_id
        return out

    @classmethod
    def from_wire(cls, d: Mapping[str, Json]) -> RealtimeMessage:
        """The message a subscriber received (``wire()``'s inverse, to the millisecond)."""
        created = datetime.fromisoformat(str(d.get("created_at") or "1970-01-01T00:00:00Z").replace("Z", "+00:00"))
        return cls(
            str(d.get("channel")),
            str(d.get("topic")),
            d.get("data"),
            round(created.timestamp() * 1000),
            d.get("run_id"),
            d.get("fn_id"),
        )

    def encode(self) -> str:
        return json.dumps([self.channel, self.topic, self.data, self.created_at_ms, self.run_id, self.fn_id])

    @classmethod
    def decode(cls, text: str) -> RealtimeMessage:
        channel, topic, data, created, run_id, fn_id = json.loads(text)
        return cls(str(channel), str(topic), data, int(created), run_id, fn_id)


class Subscription:
    """Messages of the selected channels/topics (``None`` topics: every topic) or of one run, in order.

    An async iterator; ``close`` (or leaving ``async with``) ends it.
    """

    def __init__(self, broker: Broker, channels: Mapping[str, frozenset[str] | None], run_id: str | None) -> None:
        self._broker = broker
        self.channels = dict(channels)
        self.run_id = run_id
        self._backlog: deque[RealtimeMessage] = deque(maxlen=MAX_BACKLOG)
        self._ready = asyncio.Event()
        self.closed = False

    def matches(self, m: RealtimeMessage) -> bool:
        if self.run_id is not None and m.run_id == self.run_id:
            return True
        topics = self.channels.get(m.channel, frozenset())
        return topics is None or m.topic in topics

    @property
    def pending(self) -> int:
        """Messages received and not yet read."""
        return len(self._backlog)

    def push(self, m: RealtimeMessage) -> None:
        self._backlog.append(m)
        self._ready.set()

    async def next(self) -> RealtimeMessage | None:
        """The next message; None once closed."""
        while not self._backlog:
            if self.closed:
                return None
            self._ready.clear()
            await self._ready.wait()
        return self._backlog.popleft()

    def __aiter__(self) -> AsyncIterator[RealtimeMessage]:
        return self._iterate()

    async def _iterate(self) -> AsyncIterator[RealtimeMessage]:
        while (m := await self.next()) is not None:
            yield m

    async def close(self) -> None:
        if not self.closed:
            self.closed = True
            self._ready.set()
            await self._broker.unsubscribe(self)

    async def __aenter__(self) -> Subscription:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()


class Broker:
    """Local subscribers and their fan-out; subclasses decide how a publish reaches ``deliver``."""

    def __init__(self) -> None:
        self._subs: set[Subscription] = set()

    async def publish(self, message: RealtimeMessage) -> None:
        raise NotImplementedError

    @property
    def subscriber_count(self) -> int:
        """Open subscriptions of this process."""
        return len(self._subs)

    async def subscribe(
        self, channels: Mapping[str, frozenset[str] | None] | None = None, *, run_id: str | None = None
    ) -> Subscription:
        """A subscription that receives every matching message published after this returns."""
        sub = Subscription(self, channels or {}, run_id)
        self._subs.add(sub)
        try:
            await self._started()
        except BaseException:
            await sub.close()  # e.g. Redis unreachable: leave nothing behind
            raise
        return sub

    async def unsubscribe(self, sub: Subscription) -> None:
        self._subs.discard(sub)
        if not self._subs:
            await self._stopped()

    def deliver(self, message: RealtimeMessage) -> None:
        for sub in list(self._subs):
            if sub.matches(message):
                sub.push(message)

    async def _started(self) -> None:
        """A subscriber was added (hook)."""

    async def _stopped(self) -> None:
        """The last subscriber left (hook)."""


class MemoryBroker(Broker):
    """One process: a publish is delivered on the spot."""

    async def publish(self, message: RealtimeMessage) -> None:
        self.deliver(message)


class RedisBroker(Broker):
    """Across processes, through the deployment's realtime Redis pub/sub channel."""

    def __init__(self, store: RedisPgStore) -> None:
        super().__init__()
        self._store = store
        self._channel = store.keys.realtime
        self._task: asyncio.Task[None] | None = None
        self._ready: asyncio.Event | None = None
        self._lock = asyncio.Lock()

    async def publish(self, message: RealtimeMessage) -> None:
        await self._store.r.publish(self._channel, message.encode())

    async def _started(self) -> None:
        async with self._lock:
            if self._task is not None and not self._task.done():
                return
            self._ready = asyncio.Event()
            self._task = asyncio.create_task(self._listen(self._ready), name="inngest-lab-realtime")
            await asyncio.wait_for(self._ready.wait(), 10)

    async def _stopped(self) -> None:
        async with self._lock:
            task, self._task = self._task, None
            if task is not None:
                task.cancel()
                await asyncio.gather(task, return_exceptions=True)

    async def _listen(self, ready: asyncio.Event) -> None:
        while True:
            pubsub = self._store.r.pubsub(ignore_subscribe_messages=True)
            try:
                await pubsub.subscribe(self._channel)
                ready.set()
                while True:
                    raw = await pubsub.get_message(timeout=None)
                    if raw is not None and raw.get("type") == "message":
                        self.deliver(RealtimeMessage.decode(str(raw["data"])))
            except asyncio.CancelledError:
                with contextlib.suppress(Exception):
                    await pubsub.aclose()
                raise
            except Exception as exc:  # Redis restarted or the network blinked: resubscribe
                log.warning("realtime: subscription lost (%s: %s); resubscribing", type(exc).__name__, exc)
                with contextlib.suppress(Exception):
                    await pubsub.aclose()
                await asyncio.sleep(0.2)


_brokers: weakref.WeakKeyDictionary[Store, Broker] = weakref.WeakKeyDictionary()


def broker_for(store: Store) -> Broker:
    """The one broker of ``store`` in this process (Redis pub/sub for the production store, memory otherwise)."""
    broker = _brokers.get(store)
    if broker is None:
        broker = RedisBroker(store) if isinstance(store, RedisPgStore) else MemoryBroker()
        _brokers[store] = broker
    return broker
