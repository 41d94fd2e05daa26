"""Realtime over HTTP (protocol-next §2): publish, subscription tokens, and the WebSocket and SSE streams.

    POST /v1/realtime/publish?channel=&topic=[&run_id=]   body = the data      200, empty body
    POST /v1/realtime/token      [{"channel","name","kind"}, …]              201 {"jwt": …}
    GET  /v1/realtime/connect?token=   WebSocket: one JSON message per text frame (``sub``/``unsub`` accepted)
    GET  /v1/realtime/sse?token=       Server-Sent Events: ``data: <json>`` per message
    GET  /lab/runs/{id}/realtime       Server-Sent Events of every message a run published (notebook views)

Auth, as in Go: publish and token take the signing key as ``Authorization: Bearer`` (a token with the
``publish`` claim may publish too); the streams take a token (``?token=`` or ``Bearer``) and deliver only the
channels and topics it grants. With no signing keys (dev) publish and token need no auth, and tokens are still
required by the streams (they name what to deliver).
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Mapping
from typing import Any

from tornado.iostream import StreamClosedError
from tornado.web import RequestHandler
from tornado.websocket import WebSocketClosedError, WebSocketHandler

from inngest_lab.engine.model import Json
from inngest_lab.protocol.consts import Header
from inngest_lab.protocol.signing import bearer_matches
from inngest_lab.server.base import SETTINGS_KEY, ApiHandler, ServerContext, encode_json
from inngest_lab.server.errors import ApiError, BadRequest, Unauthorized, invalid_request
from inngest_lab.server.realtime_broker import RealtimeMessage, Subscription, broker_for
from inngest_lab.server.realtime_token import Grant, TokenError, issue, parse_token_request, verify
from inngest_lab.server.rest_api import AuthedHandler

KEEPALIVE_S = 15.0


def _bearer(handler: RequestHandler) -> str:
    scheme, _, token = handler.request.headers.get(Header.AUTHORIZATION, "").strip().partition(" ")
    return token.strip() if scheme.lower() == "bearer" else ""


def _grant(handler: RequestHandler, ctx: ServerContext) -> Grant:
    """The grant of the request's token (``?token=`` or Bearer); ``Unauthorized`` when absent or invalid."""
    token = handler.get_query_argument("token", "") or _bearer(handler)
    if not token:
        raise Unauthorized("a realtime token is required (?token= or Authorization: Bearer)")
    try:
        return verify(token, keys=list(ctx.settings.signing_keys), now_s=int(time.time()))
    except TokenError as exc:
        raise Unauthorized(str(exc)) from None


def _data(body: bytes, content_type: str) -> Json:
    """Go stores the body raw when it is JSON, else as a JSON string (a ``text/stream`` body is text)."""
    text = body.decode("utf-8", "replace")
    if content_type.startswith("text/stream") or not text.strip():
        return text
    try:
        return json.loads(text)
    except ValueError:
        return text


class PublishHandler(ApiHandler):
    async def post(self) -> None:
        keys = list(self.ctx.settings.signing_keys)
        if keys:
            token = _bearer(self)
            if not token or not (bearer_matches(token, keys) or self._may_publish(token, keys)):
                raise Unauthorized("Authentication failed")
        channel = self.get_query_argument("channel", "")
        topic = self.get_query_argument("topic", "")
        if not channel or not topic:
            raise BadRequest(invalid_request("channel and topic query parameters are required"))
        run_id = self.get_query_argument("run_id", "") or None
        data = _data(self.request.body, self.request.headers.get(Header.CONTENT_TYPE, ""))
        now = self.ctx.engine.clock.now_ms()
        await broker_for(self.ctx.engine.store).publish(RealtimeMessage(channel, topic, data, now, run_id))
        self.set_status(200)
        self.finish()

    @staticmethod
    def _may_publish(token: str, keys: list[str]) -> bool:
        try:
            return verify(token, keys=keys, now_s=int(time.time())).publish
        except TokenError:
            return False


class TokenHandler(AuthedHandler):
    async def post(self) -> None:
        try:
            topics = parse_token_request(self.json_body())
        except ValueError as exc:
            raise BadRequest(invalid_request(str(exc))) from None
        jwt = issue(topics, keys=list(self.ctx.settings.signing_keys), now_s=int(time.time()))
        self.write_json({"jwt": jwt}, 201)


class _SseStream(ApiHandler):
    """Writes a subscription's messages as ``data: <json>`` lines until the client leaves."""

    _sub: Subscription | None = None

    async def stream(self, sub: Subscription) -> None:
        self._sub = sub
        self.set_header(Header.CONTENT_TYPE, "text/event-stream")
        self.set_header("Cache-Control", "no-cache")
        self.set_header("X-Accel-Buffering", "no")
        try:
            self.write(": connected\n\n")
            await self.flush()
            while True:
                try:
                    message = await asyncio.wait_for(sub.next(), KEEPALIVE_S)
                except TimeoutError:
                    self.write(": keepalive\n\n")
                    await self.flush()
                    continue
                if message is None:
                    break
                self.write(b"data: " + encode_json(message.wire()) + b"\n\n")
                await self.flush()
        except StreamClosedError:
            pass  # the client went away
        finally:
            await sub.close()

    def on_connection_close(self) -> None:
        if self._sub is not None:
            asyncio.get_running_loop().create_task(self._sub.close())


class SseHandler(_SseStream):
    async def get(self) -> None:
        grant = _grant(self, self.ctx)
        await self.stream(await broker_for(self.ctx.engine.store).subscribe(grant.channels()))


class RunRealtimeHandler(_SseStream):
    """Every message published with this run's id, whatever its channel (``Lab.realtime`` over HTTP, and the
    dashboard's run page: a signed-in session's cookie is accepted as on every other ``/lab`` read)."""

    def prepare(self) -> None:
        self.require_auth()

    async def get(self, run_id: str) -> None:
        await self.stream(await broker_for(self.ctx.engine.store).subscribe(run_id=run_id))


class ConnectHandler(WebSocketHandler):
    """``GET /v1/realtime/connect``: the TS SDK's ``subscribe()`` transport (Go ``sub_websocket.go``)."""

    _sub: Subscription | None = None
    _pump: asyncio.Task[None] | None = None

    @property
    def ctx(self) -> ServerContext:
        ctx = self.application.settings[SETTINGS_KEY]
        assert isinstance(ctx, ServerContext)
        return ctx

    @property
    def ping_interval(self) -> float | None:
        return KEEPALIVE_S  # WebSocket ping frames keep idle connections (and proxies) alive, as Go does

    def check_origin(self, origin: str) -> bool:
        return True  # browsers subscribe from app origins; the token is the authorization

    async def get(self, *args: Any, **kwargs: Any) -> None:
        try:
            if self.request.headers.get("Upgrade", "").lower() != "websocket":
                raise BadRequest("/v1/realtime/connect is a WebSocket: send Upgrade: websocket")
            grant = _grant(self, self.ctx)
        except ApiError as exc:  # JSON, like every other route (Tornado's own refusals are plain text)
            self.set_status(exc.status)
            self.set_header(Header.CONTENT_TYPE, "application/json")
            self.finish(encode_json(exc.body()))
            return
        self._sub = await broker_for(self.ctx.engine.store).subscribe(grant.channels())
        await super().get(*args, **kwargs)
        if self.ws_connection is None:  # the upgrade was refused: nothing will pump
            await self._sub.close()

    def open(self, *args: str, **kwargs: str) -> None:
        assert self._sub is not None
        self._pump = asyncio.get_running_loop().create_task(self._forward(self._sub))

    async def _forward(self, sub: Subscription) -> None:
        try:
            while (message := await sub.next()) is not None:
                await self.write_message(encode_json(message.wire()).decode())
        except WebSocketClosedError:
            pass
        finally:
            await sub.close()

    def on_message(self, message: str | bytes) -> None:
        """``{"kind":"sub","data":<jwt>}`` adds a token's topics; ``{"kind":"unsub","data":[topics]}`` drops some."""
        sub = self._sub
        try:
            msg = json.loads(message)
        except ValueError:
            return
        if sub is None or not isinstance(msg, Mapping):
            return
        if msg.get("kind") == "sub" and isinstance(msg.get("data"), str):
            try:
                grant = verify(str(msg["data"]), keys=list(self.ctx.settings.signing_keys), now_s=int(time.time()))
            except TokenError:
                return
            for channel, topics in grant.channels().items():
                current = sub.channels.get(channel) or frozenset()
                sub.channels[channel] = current | topics
        elif msg.get("kind") == "unsub" and isinstance(msg.get("data"), list):
            for t in msg["data"]:
                if isinstance(t, Mapping) and isinstance(t.get("channel"), str):
                    left = (sub.channels.get(t["channel"]) or frozenset()) - {str(t.get("name"))}
                    sub.channels[t["channel"]] = left

    def on_close(self) -> None:
        if self._sub is not None:
            asyncio.get_running_loop().create_task(self._sub.close())


def routes(id_pattern: str) -> list[tuple[str, type[RequestHandler]]]:
    """Routes of plain handlers (mounted with the API, the Jupyter server's included)."""
    return [
        (r"/v1/realtime/publish", PublishHandler),
        (r"/v1/realtime/token", TokenHandler),
        (r"/v1/realtime/sse", SseHandler),
        (rf"/lab/runs/{id_pattern}/realtime", RunRealtimeHandler),
    ]


def stream_routes() -> list[tuple[str, type[RequestHandler]]]:
    """The WebSocket route: the headless server only (Jupyter's handler stack is not a WebSocket one)."""
    return [(r"/v1/realtime/connect", ConnectHandler)]
