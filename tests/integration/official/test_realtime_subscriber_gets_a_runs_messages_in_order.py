"""Realtime: what a function publishes (TS ``step.realtime.publish``, Python ``realtime.publish``) reaches a
WebSocket subscriber of its channel in order; a subscriber of another run's channel gets none of it. On the
production stack the subscriber is on the other process than the one the app publishes to (Redis pub/sub)."""

from __future__ import annotations

import uuid

from tests.integration.official.harness import Sdk, Target
from tests.integration.official.realtime_client import connect, nothing_arrives, receive


async def test_every_message_arrives_in_order_and_only_on_its_channel(target: Target) -> None:
    key, other = str(uuid.uuid4()), str(uuid.uuid4())
    # apps publish to the first process (INNGEST_BASE_URL / INNGEST_DEV); subscribe on the last one
    subscriber_url = f"http://127.0.0.1:{target.stack.ports[-1]}"
    ws = await connect(target, subscriber_url, f"progress:{key}", ["tick"])
    stranger = await connect(target, subscriber_url, f"progress:{other}", ["tick"])
    try:
        run = await target.run("publish", {"key": key, "count": 5})
        messages = await receive(ws, 5)
        assert await nothing_arrives(stranger)
    finally:
        ws.close()
        stranger.close()

    assert run["status"] == "Completed", target.logs()
    assert [m["data"] for m in messages] == [{"i": i} for i in range(5)]
    assert {(m["channel"], m["topic"]) for m in messages} == {(f"progress:{key}", "tick")}
    if target.sdk is Sdk.TS:  # the TS step publishes with its run id; PY 0.5.19 sends none
        assert {m.get("run_id") for m in messages} == {run["run_id"]}
