"""A server without the batch route (an older inngest-lab, or Inngest's) answers it 404: the sender then sends the
pending checkpoints, and every later one, to ``POST /v1/checkpoint/{runId}/async``, each caller still getting its
own status."""

from __future__ import annotations

import asyncio

from inngest_lab.sdk.checkpoint_sender import CheckpointSender
from tests.unit.sdk.checkpoint_server import body, checkpoint_server


async def test_a_404_for_the_batch_route_switches_to_per_run_posts_for_good() -> None:
    async with checkpoint_server(batch_route=False) as server:
        sender = CheckpointSender(server.origin, {})

        assert list(await asyncio.gather(sender.send(body("r1")), sender.send(body("r2", "stale")))) == [200, 409]
        assert await sender.send(body("r3", "gone")) == 404

        assert not sender.batched
        assert [path for path, _ in server.posts] == [
            "/v1/checkpoint/batch",
            "/v1/checkpoint/r1/async",
            "/v1/checkpoint/r2/async",
            "/v1/checkpoint/r3/async",
        ]
