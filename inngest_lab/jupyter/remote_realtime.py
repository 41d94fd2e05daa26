"""``AttachedLab.realtime`` and ``send_signal``: realtime messages and signals through the hosting Jupyter server.

The hosting server streams them as Server-Sent Events (``/lab/runs/{id}/realtime``); a reader task hands each
one to a local broker, so the caller gets the same :class:`Subscription` an embedded ``Lab.realtime`` returns.
The call returns once the stream is connected (nothing published after it is missed); closing the
subscription stops the reader, and the stream ending closes the subscription.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections.abc import Awaitable, Callable
from typing import Any

import aiohttp
from yarl import URL

from inngest_lab.engine.model import Json
from inngest_lab.server.realtime_broker import MemoryBroker, RealtimeMessage, Subscription
from inngest_lab.server.signals_api import NO_SIGNAL_MESSAGE

CONNECT_TIMEOUT_S = 10.0


class RemoteRealtimeError(RuntimeError):
    """The hosting server refused or dropped the realtime stream."""


class _StreamBroker(MemoryBroker):
    """A broker fed by one SSE reader, which stops when its last subscriber leaves."""

    def __init__(self) -> None:
        super().__init__()
        self.reader: asyncio.Task[None] | None = None

    async def _stopped(self) -> None:
        reader, self.reader = self.reader, None
        if reader is not None and reader is not asyncio.current_task():
            reader.cancel()
            with contextlib.suppress(asyncio.CancelledError, aiohttp.ClientError, RemoteRealtimeError):
                await reader


async def follow_run(session: aiohttp.ClientSession, api_url: str, run_id: str) -> Subscription:
    """Subscribe to ``run_id``'s messages through ``{api_url}lab/runs/{run_id}/realtime``."""
    broker = _StreamBroker()
    sub = await broker.subscribe(run_id=run_id)
    connected: asyncio.Future[None] = asyncio.get_running_loop().create_future()

    async def read() -> None:
        url = URL(f"{api_url}lab/runs/{run_id}/realtime", encoded=True)
        try:
            async with session.get(url, timeout=aiohttp.ClientTimeout(total=None)) as reply:
                if reply.status != 200:
                    raise RemoteRealtimeError(f"realtime stream of run {run_id}: HTTP {reply.status}")
                async for line in reply.content:
                    if line.startswith(b": connected") and not connected.done():
                        connected.set_result(None)
                    elif line.startswith(b"data: "):
                        broker.deliver(RealtimeMessage.from_wire(json.loads(line[6:])))
        except BaseException as exc:
            if not connected.done():
                connected.set_exception(exc)
            raise
        finally:
            await sub.close()

    broker.reader = asyncio.get_running_loop().create_task(read(), name=f"inngest-lab-realtime-{run_id}")
    await asyncio.wait_for(asyncio.shield(connected), CONNECT_TIMEOUT_S)
    return sub


async def remote_send_signal(call: Callable[[str, str, Json], Awaitable[Any]], signal: str, data: Json) -> str | None:
    """``POST v1/signals`` through ``call`` (``AttachedLab._call``); None when the server answers "No signal found"."""
    try:
        reply = await call("POST", "v1/signals", {"signal": signal, "data": data})
    except RuntimeError as exc:  # RemoteError: its text ends with the server's error message
        if str(exc).endswith(f"404 {NO_SIGNAL_MESSAGE}"):
            return None
        raise
    return str(reply["data"]["run_id"])
