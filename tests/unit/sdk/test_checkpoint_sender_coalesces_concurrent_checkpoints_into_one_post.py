"""The SDK's checkpoint sender (``sdk/checkpoint_sender.py``): a lone checkpoint leaves at once in its own POST;
checkpoints made while it is in flight go together, in order, in a second ``POST /v1/checkpoint/batch`` (at most two
in flight; a run's next checkpoint waits for the POST carrying its previous one); each caller gets its own entry's
status (a 409 or a 400 for one run leaves the others' 200)."""

from __future__ import annotations

import asyncio

from inngest_lab.sdk.checkpoint_sender import CheckpointSender
from tests.unit.sdk.checkpoint_server import body, checkpoint_server


async def test_checkpoints_made_during_a_post_share_the_next_one() -> None:
    async with checkpoint_server() as server:
        sender = CheckpointSender(server.origin, {})
        server.hold = release_first = asyncio.Event()
        first = asyncio.create_task(sender.send(body("r0")))
        await asyncio.wait_for(server.arrived.wait(), 5)  # the lone checkpoint left without waiting for company
        server.arrived.clear()
        server.hold = release_second = asyncio.Event()
        again = asyncio.create_task(sender.send(body("r0", "s2")))  # r0's next one waits for r0's POST
        steps = ["s1", "stale", "s1", "bad", "s1"]
        queued = [asyncio.create_task(sender.send(body(f"r{i + 1}", step))) for i, step in enumerate(steps)]
        await asyncio.wait_for(server.arrived.wait(), 5)  # the other runs' share a second POST meanwhile
        late = asyncio.create_task(sender.send(body("r6")))
        await asyncio.sleep(0.05)
        assert len(server.posts) == 2  # two in flight: r6 waits, and so does r0's second
        assert not again.done() and not late.done()

        release_second.set()
        assert await asyncio.gather(*queued) == [200, 409, 200, 400, 200]
        assert await late == 200
        assert not again.done()  # still behind r0's first POST
        release_first.set()
        assert await first == 200
        assert await again == 200
        assert [(path, [(e["run_id"], e["steps"][0]["id"]) for e in entries]) for path, entries in server.posts] == [
            ("/v1/checkpoint/batch", [("r0", "s1")]),
            ("/v1/checkpoint/batch", [(f"r{i + 1}", step) for i, step in enumerate(steps)]),
            ("/v1/checkpoint/batch", [("r6", "s1")]),
            ("/v1/checkpoint/batch", [("r0", "s2")]),
        ]
        assert (sender.posts, sender.sent, sender.batched) == (4, 8, True)
