"""The SDK's checkpoint sender (``sdk/checkpoint_sender.py``): a lone checkpoint leaves at once in its own POST;
checkpoints made while it is in flight queue and all go, in order, in the next ``POST /v1/checkpoint/batch``; each
caller gets its own entry's status (a 409 or a 400 for one run leaves the others' 200)."""

from __future__ import annotations

import asyncio

from inngest_lab.sdk.checkpoint_sender import CheckpointSender
from tests.unit.sdk.checkpoint_server import body, checkpoint_server


async def test_checkpoints_made_during_a_post_share_the_next_one() -> None:
    async with checkpoint_server() as server:
        sender = CheckpointSender(server.origin, {})
        server.hold = release = asyncio.Event()
        first = asyncio.create_task(sender.send(body("r0")))
        await asyncio.wait_for(server.arrived.wait(), 5)  # the lone checkpoint left without waiting for company
        steps = ["s1", "stale", "s1", "bad", "s1"]
        queued = [asyncio.create_task(sender.send(body(f"r{i + 1}", step))) for i, step in enumerate(steps)]
        await asyncio.sleep(0.05)
        assert len(server.posts) == 1  # the others wait for the POST in flight
        release.set()

        assert await first == 200
        assert await asyncio.gather(*queued) == [200, 409, 200, 400, 200]
        assert [(path, [e["run_id"] for e in entries]) for path, entries in server.posts] == [
            ("/v1/checkpoint/batch", ["r0"]),
            ("/v1/checkpoint/batch", ["r1", "r2", "r3", "r4", "r5"]),
        ]
        assert (sender.posts, sender.sent, sender.batched) == (2, 6, True)
