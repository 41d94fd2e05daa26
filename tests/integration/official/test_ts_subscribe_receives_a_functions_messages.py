"""The official TS subscriber (``subscribe()`` from ``inngest/realtime``: a token from ``POST /v1/realtime/token``,
then the WebSocket) receives what a function publishes with ``step.realtime.publish``, in order. On the
production stack it subscribes on the other process than the one the app publishes to."""

from __future__ import annotations

import asyncio
import json
import uuid

from tests.integration.official.harness import TS_APP_DIR, Mode, Target


async def test_the_official_subscriber_gets_each_message_in_order(ts_target: Target) -> None:
    stack, key = ts_target.stack, str(uuid.uuid4())
    env = stack.app_env()
    other = f"http://127.0.0.1:{stack.ports[-1]}"  # the app publishes to the first process
    env["INNGEST_DEV" if stack.mode is Mode.DEV else "INNGEST_BASE_URL"] = other
    argv = ["node", "--experimental-websocket", "--no-warnings", str(TS_APP_DIR / "subscriber.mjs")]
    proc = await asyncio.create_subprocess_exec(
        *argv,
        "ts",
        f"progress:{key}",
        "tick",
        "3",
        env=env,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )
    assert proc.stdout is not None
    try:
        ready = await asyncio.wait_for(proc.stdout.readline(), 20)
        assert json.loads(ready) == {"ready": True}, ready
        run = await ts_target.run("publish", {"key": key, "count": 3})
        lines = [await asyncio.wait_for(proc.stdout.readline(), 20) for _ in range(3)]
        assert await asyncio.wait_for(proc.wait(), 10) == 0
    finally:
        if proc.returncode is None:
            proc.kill()
            await proc.wait()

    messages = [json.loads(line) for line in lines]
    assert [m["data"] for m in messages] == [{"i": 0}, {"i": 1}, {"i": 2}]
    assert {(m["channel"], m["topic"], m["runId"], m["kind"]) for m in messages} == {
        (f"progress:{key}", "tick", run["run_id"], "data")
    }
