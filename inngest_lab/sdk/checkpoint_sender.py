"""Group commit of our SDK's checkpoints: one sender per event loop and API (origin and headers) coalesces the
checkpoints of every run the process is executing into ``POST /v1/checkpoint/batch`` requests.

A checkpoint is queued; if no batch POST is in flight, one starts with everything queued; checkpoints queued
while it travels go in the next one, sent as soon as it returns and its callers have had a few loop turns
(``GATHER_TURNS``) to queue their next checkpoint, so those join it rather than wait a whole POST behind it. No
timer: a lone run's checkpoint leaves at once, and under load each POST carries the checkpoints of every run that
finished a step meanwhile (with 64 runs in flight, about 45 per POST). Each caller awaits
its own entry's answer (``send``), so awaiting a checkpoint before the next step keeps its meaning.

``send`` answers the entry's HTTP status (200, 409, 400, 404…), or None when the checkpoint did not arrive
(transport error, timeout, an unreadable answer): the callers' handling is the per-run route's. When the server
answers the batch route itself with 404 (an older server, or Inngest's, which have only the per-run route), the
sender sends each checkpoint to ``POST /v1/checkpoint/{runId}/async`` from then on (the pending ones too); a 405
or 501 is read the same way.
"""

from __future__ import annotations

import asyncio
import weakref
from collections.abc import Mapping, Sequence
from typing import Any

import aiohttp

from inngest_lab.protocol import json_text

CHECKPOINT_TIMEOUT_S = 10.0
MAX_BATCH = 500
"""Most checkpoints per batch POST (the server's cap, ``server/checkpoint_api.py``)."""
GATHER_TURNS = 12
"""Loop turns a sender waits, after a POST returns, for its answered callers to queue their next checkpoints."""
NO_BATCH_ROUTE = frozenset({404, 405, 501})
"""Answers to the batch route that mean the server does not have it (then: per-run POSTs)."""

Status = int | None
"""An entry's HTTP status; None: it did not arrive (the steps stay buffered)."""


class CheckpointSender:
    """The coalescing sender of one event loop and API (module docstring). ``posts``: POSTs sent so far (batch or
    per-run), ``sent``: checkpoints sent so far; their ratio is the batching achieved."""

    def __init__(self, origin: str, headers: Mapping[str, str]) -> None:
        self.origin = origin.rstrip("/")
        self.headers = dict(headers)
        self._json_headers = {**self.headers, "Content-Type": "application/json"}
        self.batched = True  # False once the server answered the batch route 404: per-run POSTs from then on
        self.posts = 0
        self.sent = 0
        self._queue: list[tuple[dict[str, Any], asyncio.Future[Status]]] = []
        self._flusher: asyncio.Task[None] | None = None

    async def send(self, body: dict[str, Any]) -> Status:
        """Checkpoint ``body`` (a per-run checkpoint body naming its ``run_id``) and answer its status.

        Cancelling the caller withdraws the entry if it has not left yet (a POST already sent is not recalled)."""
        if not self.batched:
            return await self._post_one(body)
        future: asyncio.Future[Status] = asyncio.get_running_loop().create_future()
        self._queue.append((body, future))
        if self._flusher is None:
            self._flusher = asyncio.get_running_loop().create_task(self._flush(), name="inngest-lab-checkpoints")
        return await future

    async def _flush(self) -> None:
        """Send everything queued, a batch at a time, until the queue is empty."""
        entries: list[tuple[dict[str, Any], asyncio.Future[Status]]] = []
        try:
            while self._queue:
                live = [e for e in self._queue if not e[1].done()]  # withdrawn callers' entries are dropped
                entries, self._queue = live[:MAX_BATCH], live[MAX_BATCH:]
                if not entries:
                    continue
                bodies = [body for body, _ in entries]
                statuses = await self._post_batch(bodies) if self.batched else None
                if statuses is None:  # the batch route is not there: each on its own route, concurrently
                    statuses = list(await asyncio.gather(*(self._post_one(b) for b in bodies)))
                answered = 0
                for (_, future), status in zip(entries, statuses, strict=True):
                    if not future.done():
                        future.set_result(status)
                        answered += 1
                entries = []
                await self._let_answered_callers_queue(answered)
        finally:
            self._flusher = None
            for _, future in [*entries, *self._queue]:  # cancelled (the loop is closing) or failed: not arrived
                if not future.done():
                    future.set_result(None)
            self._queue = []

    async def _let_answered_callers_queue(self, answered: int) -> None:
        """Give the callers just answered a few turns of the loop to queue their next checkpoint, so that it joins
        the next POST rather than waiting behind it (which would double every step's wait). Bounded in loop turns,
        not time: a caller that has no next step (its run ended) is not waited for beyond them."""
        target = len(self._queue) + answered
        for _ in range(GATHER_TURNS):
            if len(self._queue) >= target:
                return
            await asyncio.sleep(0)

    async def _post_batch(self, bodies: Sequence[dict[str, Any]]) -> list[Status] | None:
        """POST the batch; each entry's status, or None when the server has no batch route (it is then off)."""
        self.posts += 1
        self.sent += len(bodies)
        try:
            async with session().post(
                f"{self.origin}/v1/checkpoint/batch", data=json_text.dumps_bytes(bodies), headers=self._json_headers
            ) as r:
                status = r.status
                answer = json_text.loads(await r.read()) if status == 200 else None
        except (aiohttp.ClientError, TimeoutError, OSError, ValueError):  # ValueError: bad URL or JSON
            return [None] * len(bodies)
        if status in NO_BATCH_ROUTE:
            self.batched = False
            return None
        if status != 200:  # the whole request refused (401, 413, 5xx…): every entry gets that answer
            return [status] * len(bodies)
        if not isinstance(answer, list) or len(answer) != len(bodies):
            return [None] * len(bodies)
        return [_entry_status(a) for a in answer]

    async def _post_one(self, body: dict[str, Any]) -> Status:
        """The per-run route (Inngest's own), for servers without the batch route."""
        self.posts += 1
        self.sent += 1
        url = f"{self.origin}/v1/checkpoint/{body.get('run_id')}/async"
        try:
            async with session().post(url, data=json_text.dumps_bytes(body), headers=self._json_headers) as reply:
                await reply.read()
                return reply.status
        except (aiohttp.ClientError, TimeoutError, OSError, ValueError):
            return None


def _entry_status(answer: Any) -> Status:
    status = answer.get("status") if isinstance(answer, dict) else None
    return status if isinstance(status, int) and not isinstance(status, bool) else None


_SenderKey = tuple[str, tuple[tuple[str, str], ...]]
_SENDERS: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, dict[_SenderKey, CheckpointSender]] = (
    weakref.WeakKeyDictionary()
)


def sender_for(origin: str, headers: Mapping[str, str]) -> CheckpointSender:
    """The running loop's sender for this API and these headers (one per SDK client, in practice)."""
    senders = _SENDERS.setdefault(asyncio.get_running_loop(), {})
    key = (origin.rstrip("/"), tuple(sorted(headers.items())))
    sender = senders.get(key)
    if sender is None:
        sender = senders[key] = CheckpointSender(origin, headers)
    return sender


def senders() -> list[CheckpointSender]:
    """The running loop's senders (for figures: POSTs and checkpoints sent)."""
    return list(_SENDERS.get(asyncio.get_running_loop(), {}).values())


_SESSIONS: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, aiohttp.ClientSession] = weakref.WeakKeyDictionary()


def session() -> aiohttp.ClientSession:
    """One keep-alive connection pool per event loop: a checkpoint must not pay a TCP connect each time
    (a new connection per POST cost more server and SDK CPU than the call requests it replaces)."""
    loop = asyncio.get_running_loop()
    pool = _SESSIONS.get(loop)
    if pool is None or pool.closed:
        pool = aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=CHECKPOINT_TIMEOUT_S), trust_env=False)
        _SESSIONS[loop] = pool
        _CLOSERS.add(loop.create_task(_close_with_loop(pool), name="inngest-lab-checkpoint-pool"))
    return pool


_CLOSERS: set[asyncio.Task[None]] = set()


async def _close_with_loop(pool: aiohttp.ClientSession) -> None:
    """Close the pool when its loop shuts down (``asyncio.run`` cancels the tasks left), not at garbage collection."""
    try:
        await asyncio.Event().wait()
    finally:
        await pool.close()
        task = asyncio.current_task()
        if task is not None:
            _CLOSERS.discard(task)
