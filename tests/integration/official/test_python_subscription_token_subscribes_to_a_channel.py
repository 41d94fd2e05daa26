"""The Python SDK's ``get_subscription_token`` (``POST /v1/realtime/token`` with its signing key) returns a key
that the WebSocket accepts, and messages the Python app publishes on that channel arrive with it."""

from __future__ import annotations

import json
import uuid

import inngest
from inngest.experimental import realtime
from tornado.websocket import websocket_connect

from tests.integration.official.harness import SIGNING_KEY, Mode, Target
from tests.integration.official.realtime_client import receive


async def subscribed_with_the_python_sdk(target: Target) -> None:
    cloud = target.mode is Mode.START
    client = inngest.Inngest(
        app_id="token-client",
        is_production=cloud,
        api_base_url=target.stack.url,
        signing_key=SIGNING_KEY if cloud else None,
    )
    key = str(uuid.uuid4())
    token = await realtime.get_subscription_token(client, f"progress:{key}", ["tick"])
    assert (token["channel"], token["topics"]) == (f"progress:{key}", ["tick"])
    ws = await websocket_connect(f"ws{target.stack.url.removeprefix('http')}/v1/realtime/connect?token={token['key']}")
    try:
        run = await target.run("publish", {"key": key, "count": 2})
        messages = await receive(ws, 2)
    finally:
        ws.close()
    assert run["status"] == "Completed", target.logs()
    assert [m["data"] for m in messages] == [{"i": 0}, {"i": 1}], json.dumps(messages)


async def test_a_python_token_subscribes_in_dev(dev_target: Target) -> None:
    await subscribed_with_the_python_sdk(dev_target)


async def test_a_python_token_subscribes_with_keys(start_target: Target) -> None:
    await subscribed_with_the_python_sdk(start_target)
