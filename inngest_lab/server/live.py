"""Live updates for dashboards: ``GET /lab/live``, a Server-Sent Events stream fed by ``Store.subscribe_changes``.

Each committed command batch becomes a few small notices (which runs changed and how, which events
arrived); clients re-read what they show through the REST routes. Notices are hints, not state, so a
client that falls behind gets ``{"type": "resync"}`` and re-reads everything instead of a backlog.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Sequence

from tornado.iostream import StreamClosedError

from inngest_lab.engine.model import AppendHistory, Command, Json, SaveRun, SaveStep, StoreEvent
from inngest_lab.protocol.consts import Header
from inngest_lab.server.rest_api import AuthedHandler

KEEPALIVE_S = 15.0
"""An SSE comment this often keeps proxies from closing an idle stream and detects gone clients."""
MAX_BACKLOG = 256
"""Notice batches queued per client before it is told to resync instead."""


def notices(commands: Sequence[Command]) -> list[dict[str, Json]]:
    """What a committed batch means to a dashboard: one notice per touched run and per stored event. Pure."""
    runs: dict[str, dict[str, Json]] = {}
    out: list[dict[str, Json]] = []
    for c in commands:
        if isinstance(c, SaveRun):
            runs[c.run.run_id] = {
                "type": "run",
                "run_id": c.run.run_id,
                "function_id": c.run.fn_id,
                "status": c.run.status.value,
            }
        elif isinstance(c, SaveStep | AppendHistory):
            run_id = c.run_id if isinstance(c, SaveStep) else c.entry.run_id
            runs.setdefault(run_id, {"type": "run", "run_id": run_id})
        elif isinstance(c, StoreEvent):
            out.append({"type": "event", "id": c.event.internal_id, "name": c.event.name})
    return [*runs.values(), *out]


class ChangeFeed:
    """Fans the store's change feed out to any number of live clients (one subscription per store)."""

    def __init__(self) -> None:
        self._clients: set[asyncio.Queue[list[dict[str, Json]]]] = set()

    def on_commit(self, commands: Sequence[Command]) -> None:
        """The ``Store.subscribe_changes`` listener. Runs on the event loop, after each commit."""
        if not self._clients:
            return
        batch = notices(commands)
        if not batch:
            return
        for q in self._clients:
            if q.full():
                q.get_nowait()  # drop the oldest and tell the client to re-read everything
                batch = [*batch, {"type": "resync"}]
            q.put_nowait(batch)

    def connect(self) -> asyncio.Queue[list[dict[str, Json]]]:
        q: asyncio.Queue[list[dict[str, Json]]] = asyncio.Queue(MAX_BACKLOG)
        self._clients.add(q)
        return q

    def disconnect(self, q: asyncio.Queue[list[dict[str, Json]]]) -> None:
        self._clients.discard(q)

    @property
    def client_count(self) -> int:
        return len(self._clients)


FEED_KEY = "inngest_lab_feed"
"""Application-settings key of the ``ChangeFeed`` (both hosts set it next to the ``ServerContext``)."""


class LiveHandler(AuthedHandler):
    """``GET /lab/live``: ``data: [notice, …]`` lines as commits happen, a comment every ``KEEPALIVE_S``."""

    _queue: asyncio.Queue[list[dict[str, Json]]] | None = None

    async def get(self) -> None:
        feed = self.settings[FEED_KEY]
        assert isinstance(feed, ChangeFeed)
        self.set_header(Header.CONTENT_TYPE, "text/event-stream")
        self.set_header("Cache-Control", "no-cache")
        self.set_header("X-Accel-Buffering", "no")
        self._queue = q = feed.connect()
        try:
            await self._send(": connected\n\n")
            while True:
                try:
                    batch = await asyncio.wait_for(q.get(), KEEPALIVE_S)
                except TimeoutError:
                    await self._send(": keepalive\n\n")
                    continue
                if not batch:  # on_connection_close's sentinel
                    break
                await self._send(f"data: {json.dumps(batch, separators=(',', ':'))}\n\n")
        except StreamClosedError:
            pass  # the client went away: nothing to answer
        finally:
            feed.disconnect(q)

    def on_connection_close(self) -> None:
        q = self._queue
        if q is not None:
            if q.full():
                q.get_nowait()
            q.put_nowait([])

    async def _send(self, text: str) -> None:
        self.write(text)
        await self.flush()
