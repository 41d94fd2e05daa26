"""Auto-pipelining of script calls: the calls made in one event-loop turn go to Redis as one pipelined write.

Under load a process has many runs in flight, and each commit is one ``EVALSHA``. Sent one by one, each pays
redis-py's whole per-command path (a pooled connection, a socket write, a read, the retry wrapper) and Redis a
system call of its own; profiles of ``inngest-lab start`` put that at about a quarter of the server's CPU per
step. ioredis's ``enableAutoPipelining`` does what this module does: calls are queued, and at the end of the
current loop turn everything queued is written in one pipeline (not a transaction) on one connection.

Semantics are those of separate calls: each script still runs atomically on its own, in the order the calls
were made; a call's reply or error is its alone. A lone call is sent as a plain ``EVALSHA`` (no pipeline
overhead when there is nothing to share). A script that Redis does not have (after a restart or a
``SCRIPT FLUSH``) is loaded and run again by redis-py's ``Script`` call, as a direct call would be; such a
reply is an error that ran nothing, so running it again runs it once.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from typing import Any

from redis.asyncio import Redis
from redis.commands.core import AsyncScript
from redis.exceptions import NoScriptError

Call = tuple[AsyncScript, Sequence[Any], Sequence[Any], "asyncio.Future[Any]"]


class ScriptPipe:
    """``await pipe.run(script, keys, args)``: ``script(keys=keys, args=args)``, shared with its loop turn."""

    def __init__(self, redis: Redis) -> None:
        self._redis = redis
        self._queued: list[Call] = []
        self._tasks: set[asyncio.Task[None]] = set()  # held so a send in flight is not garbage collected
        self.pipelines = 0  # pipelined writes sent (more than one call each)
        self.pipelined_calls = 0

    async def run(self, script: AsyncScript, keys: Sequence[Any], args: Sequence[Any]) -> Any:
        loop = asyncio.get_running_loop()
        future: asyncio.Future[Any] = loop.create_future()
        if not self._queued:
            loop.call_soon(self._send_queued)  # after every callback ready now: the turn's calls go together
        self._queued.append((script, keys, args, future))
        return await future

    def _send_queued(self) -> None:
        calls, self._queued = self._queued, []
        task = asyncio.get_running_loop().create_task(self._send(calls))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _send(self, calls: list[Call]) -> None:
        if len(calls) == 1:
            script, keys, args, future = calls[0]
            await _settle(future, script(keys=keys, args=args))
            return
        try:
            async with self._redis.pipeline(transaction=False) as pipe:
                for script, keys, args, _ in calls:
                    pipe.evalsha(script.sha, len(keys), *keys, *args)
                replies = await pipe.execute(raise_on_error=False)
        except BaseException as exc:  # the connection failed (after redis-py's retries): every caller hears it
            cancelled = isinstance(exc, asyncio.CancelledError)
            for *_, future in calls:
                if not future.done():
                    future.cancel() if cancelled else future.set_exception(exc)
            if cancelled:
                raise
            return
        self.pipelines += 1
        self.pipelined_calls += len(calls)
        for (script, keys, args, future), reply in zip(calls, replies, strict=True):
            if isinstance(reply, NoScriptError):
                await _settle(future, script(keys=keys, args=args))  # loads it, then runs it
            elif future.done():
                continue  # its caller was cancelled; the script ran all the same, like a direct call's would
            elif isinstance(reply, Exception):
                future.set_exception(reply)
            else:
                future.set_result(reply)


async def _settle(future: asyncio.Future[Any], call: Any) -> None:
    try:
        reply = await call
    except asyncio.CancelledError:
        future.cancel()
        raise
    except Exception as exc:
        if not future.done():
            future.set_exception(exc)
        return
    if not future.done():
        future.set_result(reply)
