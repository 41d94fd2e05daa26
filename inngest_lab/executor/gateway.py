"""The shell half of the ``AIGateway`` and ``Gateway`` ops: the outbound HTTP call (``engine/gateway.py`` decides).

The call runs on Tornado's non-blocking HTTP client, so a slow model never holds the event loop (or other
runs) up; the engine's lease heartbeat keeps the item leased while it runs.

Request (protocol-next §3.2 and §4, Go ``aigateway/request.go`` and ``gateway/gateway.go``):

* ``AIGateway``: ``POST opts.url`` with ``opts.body`` as JSON and the auth key placed by ``opts.format``
  (``Authorization: Bearer`` for OpenAI-style formats, ``x-api-key`` for Anthropic, ``?key=`` for Gemini, the
  raw ``Authorization`` for Bedrock), then every ``opts.headers`` entry.
* ``Gateway``: ``opts.method`` (POST when empty) to ``opts.url`` with ``opts.headers``; the body is sent as is
  when it is valid JSON, else JSON-string-encoded.

The auth key is a secret: it is never logged, never put in history, and scrubbed from transport errors.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping
from urllib.parse import urlencode

from tornado.httpclient import AsyncHTTPClient, HTTPClientError, HTTPRequest
from tornado.httputil import HTTPHeaders

from inngest_lab.engine.model import Ack, Json, QueueItem
from inngest_lab.engine.signals import GatewayResponded
from inngest_lab.executor.ports import Clock
from inngest_lab.protocol.consts import AIFormat, Opcode
from inngest_lab.store.ports import Store

log = logging.getLogger("inngest_lab.gateway")

REQUEST_TIMEOUT_S = 300.0  # inference calls can be slow; the lease heartbeat covers them
_BODY_METHODS = frozenset({"POST", "PUT", "PATCH"})


class Gateway:
    """Makes the HTTP call of a leased ``GATEWAY`` item and reports it as a ``GatewayResponded`` signal."""

    def __init__(
        self, store: Store, clock: Clock, *, timeout_s: float = REQUEST_TIMEOUT_S, max_clients: int = 64
    ) -> None:
        self._store = store
        self._clock = clock
        self._timeout_s = timeout_s
        self._max_clients = max_clients  # as many calls at once as the engine has workers, not Tornado's 10
        self._client: AsyncHTTPClient | None = None

    def close(self) -> None:
        if self._client is not None:
            self._client.close()
            self._client = None

    def _http(self) -> AsyncHTTPClient:
        if self._client is None:
            self._client = AsyncHTTPClient(force_instance=True, max_clients=self._max_clients)
        return self._client

    async def call(self, item: QueueItem) -> GatewayResponded | None:
        """The call's outcome, or None (item acked) when the run ended or the step is already memoized."""
        run = await self._store.load_run(item.run_id)
        if run is None or run.status.is_terminal or item.step_id in run.steps:
            await self._store.apply([Ack(item.item_id)])
            return None
        payload = item.payload if isinstance(item.payload, Mapping) else {}
        opts = payload.get("opts") if isinstance(payload.get("opts"), Mapping) else {}
        assert isinstance(opts, Mapping)
        ai = payload.get("op") == Opcode.AI_GATEWAY
        secret = str(opts.get("auth_key") or "") if ai else ""
        started = self._clock.now_ms()
        try:
            request = ai_request(opts, self._timeout_s) if ai else fetch_request(opts, self._timeout_s)
            response = await self._http().fetch(request, raise_error=False)
        except HTTPClientError as exc:  # 599: no HTTP answer (connection refused, timeout)
            return self._transport_error(str(exc.message or exc), secret, started)
        except (OSError, ValueError) as exc:  # DNS, bad URL, TLS
            return self._transport_error(str(exc), secret, started)
        if response.code == 599:
            return self._transport_error(str(response.error or "no response"), secret, started)
        headers = {name: ",".join(response.headers.get_list(name)) for name in response.headers}
        return GatewayResponded(
            status=response.code,
            headers=headers,
            body=(response.body or b"").decode("utf-8", "replace"),
            started_at_ms=started,
            ended_at_ms=self._clock.now_ms(),
        )

    def _transport_error(self, message: str, secret: str, started: int) -> GatewayResponded:
        if secret:
            message = message.replace(secret, "***")
        log.info("gateway request failed: %s", message)
        return GatewayResponded(
            status=0, transport_error=message, started_at_ms=started, ended_at_ms=self._clock.now_ms()
        )


def ai_request(opts: Mapping[str, Json], timeout_s: float) -> HTTPRequest:
    """The inference request an ``AIGateway`` op describes."""
    url = str(opts["url"])
    key = str(opts.get("auth_key") or "")
    fmt = str(opts.get("format") or AIFormat.OPENAI_CHAT.value)
    headers = HTTPHeaders({"Content-Type": "application/json"})  # case-insensitive: opts.headers override
    if key:
        if fmt == AIFormat.ANTHROPIC:
            headers["x-api-key"] = key
        elif fmt == AIFormat.GEMINI:
            url += ("&" if "?" in url else "?") + urlencode({"key": key})
        elif fmt == AIFormat.BEDROCK:
            headers["Authorization"] = key
        else:  # openai-chat and the OpenAI-compatible formats (deepseek, grok, …)
            headers["Authorization"] = f"Bearer {key}"
    for name, value in _str_headers(opts.get("headers")).items():
        headers[name] = value
    body = json.dumps(opts.get("body"), separators=(",", ":"))
    return HTTPRequest(url, method="POST", headers=headers, body=body, request_timeout=timeout_s)


def fetch_request(opts: Mapping[str, Json], timeout_s: float) -> HTTPRequest:
    """The request a ``Gateway`` (``step.fetch``) op describes."""
    method = str(opts.get("method") or "POST").upper()
    raw = opts.get("body")
    body: str | None
    if raw is None:
        body = "" if method in _BODY_METHODS else None
    elif isinstance(raw, str):
        body = raw if _is_json(raw) else json.dumps(raw)
    else:
        body = json.dumps(raw)
    return HTTPRequest(
        str(opts["url"]),
        method=method,
        headers=HTTPHeaders(_str_headers(opts.get("headers"))),
        body=body,
        request_timeout=timeout_s,
        allow_nonstandard_methods=True,  # a body on GET/DELETE is the app's choice, as in Go
    )


def _str_headers(raw: Json) -> dict[str, str]:
    if not isinstance(raw, Mapping):
        return {}
    return {str(k): str(v) for k, v in raw.items() if v is not None}


def _is_json(text: str) -> bool:
    try:
        json.loads(text)
    except ValueError:
        return False
    return True
