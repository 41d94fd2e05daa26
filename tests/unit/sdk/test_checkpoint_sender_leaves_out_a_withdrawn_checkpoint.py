"""A call that ends drops its checkpoint still in flight (its steps ride on the answer instead): cancelling the
caller of ``send`` while its entry waits for the next POST leaves that entry out of it, and the others still go."""

from __future__ import annotations

import asyncio
import contextlib

from inngest_lab.sdk.checkpoint_sender import CheckpointSender
from tests.unit.sdk.checkpoint_server import body, checkpoint_server


async def test_a_cancelled_caller_s_entry_is_not_sent() -> None:
    async with checkpoint_server() as server:
        sender = CheckpointSender(server.origin, {})
        server.hold = release = asyncio.Event()
        first = asyncio.create_task(sender.send(body("r0")))
        await asyncio.wait_for(server.arrived.wait(), 5)
        withdrawn = asyncio.create_task(sender.send(body("r1")))
        kept = asyncio.create_task(sender.send(body("r2")))
        await asyncio.sleep(0.01)
        withdrawn.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await withdrawn
        release.set()

        assert (await first, await kept) == (200, 200)
        assert [[e["run_id"] for e in entries] for _, entries in server.posts] == [["r0"], ["r2"]]
