"""A batch that does not arrive (nothing listens) answers None to each of its callers, as a per-run POST that
failed in transport: their steps stay buffered and ride on the call's answer. A later checkpoint is sent again."""

from __future__ import annotations

import asyncio

from inngest_lab.sdk.checkpoint_sender import CheckpointSender
from tests.services import free_port
from tests.unit.sdk.checkpoint_server import body


async def test_each_entry_of_a_lost_batch_is_none() -> None:
    sender = CheckpointSender(f"http://127.0.0.1:{free_port()}", {})

    assert await asyncio.gather(*(sender.send(body(f"r{i}")) for i in range(3))) == [None, None, None]
    assert await sender.send(body("r4")) is None
    assert sender.batched and sender.posts == 2
