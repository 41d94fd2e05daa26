"""The change feed across processes: every commit's feed payload, published by ``apply.lua``, reaches
the other processes' live views (SSE, widgets, ``wait_for_run``) and wakes their dispatchers.

A message is ``<origin process> <JSON list of records>``, followed by ``\n<due ms>`` when the commit queued
items other processes may lease (``apply.lua`` adds it; compact JSON never holds a raw newline). Records are
those of ``encode.py``'s ``feed`` plus ``["cfg", what]`` when shared configuration changed (``registry``,
``records:<kind>``). A process skips its
own messages before decoding them (the origin comes first for that): its listeners already got the
commands themselves, in commit order.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Sequence

from redis.asyncio import Redis

from inngest_lab.engine.model import (
    AppendHistory,
    Command,
    EventRecord,
    HistoryEntry,
    HistoryKind,
    Json,
    SaveRun,
    SaveStep,
    StoreEvent,
)
from inngest_lab.store import codec

log = logging.getLogger(__name__)


def feed_message(origin: str, records: Sequence[list[Json]]) -> str:
    return origin + " " + codec.dumps(list(records))


def decode(records: Sequence[list[Json]]) -> tuple[list[Command], list[str]]:
    """Commands for the listeners, and the configuration that changed."""
    commands: list[Command] = []
    config: list[str] = []
    for rec in records:
        kind = rec[0]
        if kind == "run":
            commands.append(SaveRun(codec.run_from_meta(codec.loads(str(rec[1])), {}, ())))
        elif kind == "step":
            commands.append(SaveStep(str(rec[1]), str(rec[2]), None))
        elif kind == "ev":
            commands.append(StoreEvent(EventRecord(str(rec[1]), codec.loads(str(rec[3])), int(str(rec[2])))))
        elif kind == "hist":
            _, run_id, at_ms, hkind, step_id, name, attempt, data = rec
            commands.append(
                AppendHistory(
                    HistoryEntry(
                        str(run_id),
                        int(str(at_ms)),
                        HistoryKind(str(hkind)),
                        None if step_id is None else str(step_id),
                        None if name is None else str(name),
                        int(str(attempt)),
                        codec.loads(str(data)),
                    )
                )
            )
        elif kind == "cfg":
            config.append(str(rec[1]))
    return commands, config


class FeedBus:
    """Subscribes to the deployment's feed channel and hands other processes' commits to ``deliver``."""

    def __init__(
        self,
        redis: Redis,
        channel: str,
        origin: str,
        deliver: Callable[[list[Command], int | None, list[str]], None],
    ) -> None:
        self._redis = redis
        self._channel = channel
        self._origin = origin
        self._deliver = deliver
        self._task: asyncio.Task[None] | None = None
        self._ready = asyncio.Event()
        self.live = False
        """True while subscribed: every other process's commit since then has reached (or is on its way to)
        ``deliver``. False from a lost subscription until the next one, when messages may have been missed."""

    async def start(self) -> None:
        self._task = asyncio.create_task(self._listen(), name="inngest-lab-feed")
        await asyncio.wait_for(self._ready.wait(), 10)

    async def close(self) -> None:
        if self._task is not None:
            self._task.cancel()
            await asyncio.gather(self._task, return_exceptions=True)

    async def _listen(self) -> None:
        while True:
            pubsub = self._redis.pubsub(ignore_subscribe_messages=True)
            try:
                await pubsub.subscribe(self._channel)
                self.live = True
                self._ready.set()
                # A reconnect may have missed messages: wake everyone so dispatchers look at the queue again.
                self._deliver([], None, [])
                while True:
                    message = await pubsub.get_message(timeout=None)
                    if message is None or message.get("type") != "message":
                        continue
                    origin, _, rest = str(message["data"]).partition(" ")
                    if origin == self._origin:
                        continue
                    body, _, due = rest.partition("\n")
                    records = codec.loads(body)
                    commands, config = decode(records if isinstance(records, list) else [])
                    self._deliver(commands, int(due) if due else None, config)
            except asyncio.CancelledError:
                await pubsub.aclose()
                raise
            except Exception as exc:  # Redis restarted or the network blinked: resubscribe
                self.live = False
                log.warning("feed: subscription lost (%s: %s); resubscribing", type(exc).__name__, exc)
                await pubsub.aclose()
                await asyncio.sleep(0.2)
