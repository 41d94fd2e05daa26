"""Realtime publishing from app code: ``await publish(client, channel, topic, data, run_id=ctx.run_id)``.

The wire is the Python SDK's (protocol-next §2.1): ``POST {api}/v1/realtime/publish?channel=&topic=[&run_id=]``
with the data as JSON and the hashed signing key as Bearer (none in dev mode); ``run_id`` is optional (inngest-py
sends none; TS sends its run's) and lets ``Lab.realtime(run_id)`` follow a run's messages. Like inngest-py's,
a publish is not a step: call it inside ``step.run`` when it must not repeat on replays.

A client served by an embedded ``Lab`` publishes straight into that Lab's broker, without HTTP.
"""

from __future__ import annotations

import urllib.parse
from typing import Any, Protocol, runtime_checkable

from inngest_lab.protocol import signing
from inngest_lab.protocol.consts import Header
from inngest_lab.sdk.client import Inngest
from inngest_lab.sdk.transport import http_request, run_sync


class RealtimePublishError(RuntimeError):
    """The server refused a publish (its HTTP status and answer are in the message)."""


@runtime_checkable
class RealtimeTransport(Protocol):
    """An event transport that can also publish in process (``LabTransport``)."""

    async def publish(self, channel: str, topic: str, data: Any, run_id: str | None) -> None: ...


async def publish(client: Inngest, channel: str, topic: str, data: Any, *, run_id: str | None = None) -> None:
    """Publish ``data`` on ``channel``/``topic``; subscribers of that channel and topic receive it in order."""
    transport = client._transport
    if isinstance(transport, RealtimeTransport):
        await transport.publish(channel, topic, data, run_id)
        return
    query = {"channel": channel, "topic": topic} | ({"run_id": run_id} if run_id else {})
    url = urllib.parse.urljoin(client.api_origin, "/v1/realtime/publish") + "?" + urllib.parse.urlencode(query)
    headers = {Header.CONTENT_TYPE.value: "application/json"}
    if client.signing_key:
        headers[Header.AUTHORIZATION.value] = f"Bearer {signing.hashed_signing_key(client.signing_key)}"
    reply = await http_request("POST", url, headers, data)
    if reply.status >= 400:
        raise RealtimePublishError(f"realtime publish failed: HTTP {reply.status}: {reply.body[:500]!r}")


def publish_sync(client: Inngest, channel: str, topic: str, data: Any, *, run_id: str | None = None) -> None:
    """Blocking :func:`publish` (for ``def`` functions)."""
    run_sync(lambda: publish(client, channel, topic, data, run_id=run_id), client._transport_loop)
