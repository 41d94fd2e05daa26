"""Outbound I/O: the event transport port, its HTTP adapter, and the one sync-over-async driver.

``EventTransport`` is the port ``client.send`` goes through. The default adapter POSTs to the Event API;
the embedded engine plugs in an in-process one with ``client.set_transport``.
"""

from __future__ import annotations

import asyncio
import base64
import contextvars
import json
import random
import secrets
import time
import urllib.parse
from collections.abc import Callable, Coroutine, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any, Protocol, TypeVar

from tornado.httpclient import AsyncHTTPClient, HTTPClientError, HTTPRequest

from inngest_lab.protocol.consts import NO_EVENT_KEY, Header, ServerKind
from inngest_lab.sdk.errors import EventKeyUnspecifiedError, SendEventsError

T = TypeVar("T")

SDK_LANGUAGE = "lab"
SDK_VERSION = "0.1.0"
SDK_HEADER_VALUE = f"inngest-{SDK_LANGUAGE}:v{SDK_VERSION}"
REQ_VERSION = "2"

# The loop a sync function's worker thread belongs to; set by the execution before it hops to the thread,
# so a blocking call from that thread runs its coroutine on the loop that owns the transports.
home_loop: contextvars.ContextVar[asyncio.AbstractEventLoop | None] = contextvars.ContextVar(
    "inngest_lab_home_loop", default=None
)


def run_sync(make: Callable[[], Coroutine[Any, Any, T]], loop: asyncio.AbstractEventLoop | None = None) -> T:
    """Run the coroutine built by ``make`` to completion from synchronous code.

    - From a worker thread of a running loop (the home loop, or ``loop``): submit it to that loop and block.
    - From a thread with no loop: run it on a fresh private loop.
    - From the thread of a running loop (sync call inside async code): run it on a private thread so the
      loop is not re-entered; the caller's loop is blocked meanwhile, as any blocking call would.
    """
    try:
        running: asyncio.AbstractEventLoop | None = asyncio.get_running_loop()
    except RuntimeError:
        running = None
    target = home_loop.get() or loop
    if running is None:
        if target is not None and target.is_running() and not target.is_closed():
            return asyncio.run_coroutine_threadsafe(make(), target).result()
        return asyncio.run(make())
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="inngest-lab-sync") as pool:
        return pool.submit(lambda: asyncio.run(make())).result()


def sdk_headers(*, env: str | None, framework: str | None, server_kind: str | None) -> dict[str, str]:
    """Headers on every SDK request and response (inngest-py ``net.create_headers``)."""
    headers = {
        Header.CONTENT_TYPE.value: "application/json",
        Header.SDK.value: SDK_HEADER_VALUE,
        Header.REQ_VERSION.value: REQ_VERSION,
        "User-Agent": SDK_HEADER_VALUE,
    }
    if env is not None:
        headers[Header.ENV.value] = env
    if framework is not None:
        headers[Header.FRAMEWORK.value] = framework
    if server_kind is not None:
        headers[Header.EXPECTED_SERVER_KIND.value] = server_kind
    return headers


@dataclass(frozen=True, slots=True)
class HttpReply:
    status: int
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body) if self.body else None


async def http_request(
    method: str, url: str, headers: Mapping[str, str], payload: Any = None, timeout_s: float = 30.0
) -> HttpReply:
    """One HTTP exchange. Non-2xx statuses are replies, not exceptions; transport failures raise OSError."""
    body = None if payload is None else json.dumps(payload).encode()
    client = AsyncHTTPClient(force_instance=True)
    try:
        req = HTTPRequest(url, method=method, headers=dict(headers), body=body, request_timeout=timeout_s)
        try:
            resp = await client.fetch(req, raise_error=False)
        except HTTPClientError as err:  # 599: connection-level failure
            raise OSError(str(err)) from err
        if resp.code == 599:
            raise OSError(str(resp.error))
        return HttpReply(resp.code, resp.body or b"")
    finally:
        client.close()


class EventTransport(Protocol):
    """Where ``client.send`` delivers event payloads; returns one event id per payload, in order."""

    async def send(self, payloads: list[dict[str, Any]]) -> list[str]: ...


def event_id_seed() -> str:
    """``X-Inngest-Event-Id-Seed``: ``<ms>,<base64 of 10 random bytes>``."""
    return f"{int(time.time() * 1000)},{base64.b64encode(secrets.token_bytes(10)).decode()}"


class HttpEventTransport:
    """``POST {event_api}/e/{key}`` with a JSON array (protocol doc section 6.1), retrying transport errors and 5xx."""

    MAX_ATTEMPTS = 5

    def __init__(self, event_api_origin: str, event_key: str | None, mode: ServerKind, env: str | None) -> None:
        self._origin, self._key, self._mode, self._env = event_api_origin, event_key, mode, env

    def url(self) -> str:
        key = self._key
        if key is None:
            if self._mode is not ServerKind.DEV:
                raise EventKeyUnspecifiedError("event key is required in cloud mode (INNGEST_EVENT_KEY)")
            key = NO_EVENT_KEY
        return urllib.parse.urljoin(self._origin, f"/e/{key}")

    async def send(self, payloads: list[dict[str, Any]]) -> list[str]:
        url = self.url()
        headers = sdk_headers(env=self._env, framework=None, server_kind=None)
        headers[Header.EVENT_ID_SEED.value] = event_id_seed()
        reply: HttpReply | None = None
        for attempt in range(self.MAX_ATTEMPTS):
            try:
                reply = await http_request("POST", url, headers, payloads)
            except OSError:
                if attempt == self.MAX_ATTEMPTS - 1:
                    raise
            else:
                if reply.status < 500:
                    break
            # Backoff only on failures: 100ms * 2^n plus jitter, as inngest-py does.
            await asyncio.sleep(0.1 * 2**attempt + random.random() * 0.1)
        assert reply is not None
        return parse_send_reply(reply)


def parse_send_reply(reply: HttpReply) -> list[str]:
    """Turn an Event API reply into ids; raise ``SendEventsError`` when it carries an ``error``."""
    try:
        body = reply.json()
    except ValueError as err:
        raise SendEventsError(f"invalid Event API response (HTTP {reply.status})", []) from err
    if not isinstance(body, dict):
        raise SendEventsError(f"invalid Event API response (HTTP {reply.status})", [])
    ids = [i for i in body.get("ids") or [] if isinstance(i, str)]
    if body.get("error") or reply.status >= 400:
        raise SendEventsError(str(body.get("error") or f"HTTP {reply.status}"), ids)
    return ids
