"""A realtime subscriber for the scenario tests: a subscription token, then the WebSocket stream, read in order."""

from __future__ import annotations

import asyncio
import json
from typing import Any

from tornado.websocket import WebSocketClientConnection, websocket_connect

from tests.integration.official.harness import Target


async def subscription_token(target: Target, base_url: str, channel: str, topics: list[str]) -> str:
    """``POST /v1/realtime/token`` as the SDKs' ``getSubscriptionToken`` does: 201 ``{"jwt": …}``."""
    body = [{"channel": channel, "name": topic, "kind": "run"} for topic in topics]
    async with target.session.post(f"{base_url}/v1/realtime/token", json=body, headers=target.auth) as resp:
        reply = await resp.json(content_type=None)
        assert resp.status == 201, reply
    return str(reply["jwt"])


async def connect(target: Target, base_url: str, channel: str, topics: list[str]) -> WebSocketClientConnection:
    token = await subscription_token(target, base_url, channel, topics)
    return await websocket_connect(f"ws{base_url.removeprefix('http')}/v1/realtime/connect?token={token}")


async def receive(ws: WebSocketClientConnection, count: int, timeout_s: float = 20.0) -> list[dict[str, Any]]:
    """The next ``count`` data messages, in the order they arrived."""
    out: list[dict[str, Any]] = []
    while len(out) < count:
        frame = await asyncio.wait_for(ws.read_message(), timeout_s)
        assert frame is not None, "the server closed the realtime stream"
        message = json.loads(frame)
        if message.get("kind") == "data":
            out.append(message)
    return out


async def nothing_arrives(ws: WebSocketClientConnection, wait_s: float = 0.5) -> bool:
    try:
        frame = await asyncio.wait_for(ws.read_message(), wait_s)
    except TimeoutError:
        return True
    return frame is None
