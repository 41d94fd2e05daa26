"""A scripted checkpoint API on loopback for the sender's tests: records every POST, can hold the next one until
released, and answers each batch entry with the status its ``steps[0].id`` names (``STATUS_BY_STEP``, 200 else)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

STATUS_BY_STEP = {"stale": 409, "bad": 400, "gone": 404}


@dataclass
class CheckpointServer:
    batch_route: bool = True
    posts: list[tuple[str, Any]] = field(default_factory=list)
    hold: asyncio.Event | None = None  # set: the next POST waits until it is set
    arrived: asyncio.Event = field(default_factory=asyncio.Event)  # set by every POST
    origin: str = ""

    async def _batch(self, request: web.Request) -> web.Response:
        body = await request.json()
        self.posts.append((request.path, body))
        self.arrived.set()
        if self.hold is not None:
            hold, self.hold = self.hold, None
            await hold.wait()
        if not self.batch_route:
            return web.json_response({"error": "not found"}, status=404)
        return web.json_response([{"status": _status(entry)} for entry in body])

    async def _one(self, request: web.Request) -> web.Response:
        body = await request.json()
        self.posts.append((request.path, body))
        return web.Response(status=_status(body))


def _status(entry: Any) -> int:
    return STATUS_BY_STEP.get(entry["steps"][0]["id"], 200)


@asynccontextmanager
async def checkpoint_server(*, batch_route: bool = True) -> AsyncIterator[CheckpointServer]:
    server = CheckpointServer(batch_route)
    app = web.Application()
    app.router.add_post("/v1/checkpoint/batch", server._batch)
    app.router.add_post("/v1/checkpoint/{run_id}/async", server._one)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = runner.addresses[0][1]
    server.origin = f"http://127.0.0.1:{port}"
    try:
        yield server
    finally:
        await runner.cleanup()


def body(run_id: str, step_id: str = "s1") -> dict[str, Any]:
    return {"run_id": run_id, "fn_id": "app-fn", "qi_id": f"{run_id}/c/step/0/0", "steps": [{"id": step_id}]}
