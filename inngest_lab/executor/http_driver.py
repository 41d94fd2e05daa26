"""The HTTP driver: calls SDK functions over HTTP exactly as Inngest's executor does (protocol doc section 4.1).

Client choice, measured against a local Tornado echo server in a separate process (2 vCPU, Python 3.11,
3,000 POSTs of a ~100 byte JSON body, JSON-decoded):

    client                                   sequential     50 concurrent
    tornado AsyncHTTPClient (simple)           820-900 /s    1,370-1,740 /s   (no keep-alive)
    tornado AsyncHTTPClient (curl, pycurl)   1,440-1,450 /s  2,780-3,840 /s   (needs libcurl + pycurl)
    aiohttp ClientSession, keep-alive pool   1,660-2,140 /s  3,640-4,480 /s
    httpx.AsyncClient (lead's run)                ~860 /s

aiohttp is the fastest in both columns and is a plain wheel, so it is the one used. One session (one
keep-alive connection pool) is created lazily on the running loop and shared by every call.
"""

from __future__ import annotations

import asyncio
import functools
import time
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from ulid import ULID

from inngest_lab.engine.call_request import MAX_INLINE_REQUEST_BYTES, with_use_api
from inngest_lab.engine.model import FunctionDef, Json
from inngest_lab.executor.ports import CallResult
from inngest_lab.observability.context import call_headers
from inngest_lab.protocol import json_text
from inngest_lab.protocol.canonical import canonical_json
from inngest_lab.protocol.consts import Header
from inngest_lab.protocol.signing import sign, verify

if TYPE_CHECKING:
    import aiohttp  # imported at the first call (about 0.2 s): an embedded Lab may never call over HTTP

DEFAULT_CALL_TIMEOUT_S = 300.0
DEFAULT_CONNECT_TIMEOUT_S = 10.0
DEFAULT_POOL_SIZE = 100
STREAMING_STATUS = 201
BAD_RESPONSE_SIGNATURE = "SDKResponseSignatureError"


def step_url(url: str, fn_id: str, step_id: str) -> str:
    """``url`` with its ``stepId`` query overwritten; ``fnId`` is kept (added from ``fn_id`` when missing)."""
    base, fragment = _url_without_step(url, fn_id)
    return f"{base}&{urlencode([('stepId', step_id)])}{fragment}"


@functools.lru_cache(maxsize=1024)
def _url_without_step(url: str, fn_id: str) -> tuple[str, str]:
    """``url`` with ``fnId`` ensured and ``stepId`` dropped (never an empty query), and its ``#fragment``.

    Cached: a function's URL is parsed once, not on every step.
    """
    parts = urlsplit(url)
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k != "stepId"]
    if not any(k == "fnId" for k, _ in query):
        query.insert(0, ("fnId", fn_id))
    base = urlunsplit((parts.scheme, parts.netloc, parts.path, urlencode(query), ""))
    return base, f"#{parts.fragment}" if parts.fragment else ""


def decode_body(raw: bytes) -> Json:
    """JSON-decode an SDK response body; empty → None; not JSON → the text itself (kept for error messages)."""
    text = raw.decode("utf-8", "replace").strip()
    if not text:
        return None
    try:
        return json_text.loads(text)
    except ValueError:
        return text


def unwrap_streaming(status: int, headers: Mapping[str, str], body: Json) -> tuple[int, dict[str, str], Json]:
    """Unwrap a 201 streaming reply ``{"body": "<json>", "headers": {…}, "status": N}`` (section 4.10).

    ``body`` may be double-encoded (a JSON string); inner headers override outer ones. Anything that is
    not a streaming envelope is returned unchanged.
    """
    merged = dict(headers)
    if status != STREAMING_STATUS or not isinstance(body, dict) or not isinstance(body.get("status"), int):
        return status, merged, body
    inner_headers = body.get("headers")
    if isinstance(inner_headers, Mapping):
        merged.update({str(k).lower(): str(v) for k, v in inner_headers.items()})
    inner = body.get("body")
    if isinstance(inner, str):
        inner = decode_body(inner.encode())
    return int(body["status"]), merged, inner


class HttpDriver:
    """``Driver`` over HTTP. Signs bodies when ``signing_key`` is set; never raises for transport failures.

    With a signing key, an SDK's answer to a call must be signed with it too (both official SDKs sign every
    answer to a validly signed request, over the raw bytes): an unsigned or forged answer is not an SDK's
    answer, so it is retried like one from a proxy and never applied to the run.

    ``now_s`` (unix seconds) is the signature timestamp; it defaults to wall time because SDKs check it
    against their own clock (TS rejects signatures older than five minutes).
    """

    def __init__(
        self,
        signing_key: str | None = None,
        *,
        timeout_s: float = DEFAULT_CALL_TIMEOUT_S,
        connect_timeout_s: float = DEFAULT_CONNECT_TIMEOUT_S,
        pool_size: int = DEFAULT_POOL_SIZE,
        now_s: Callable[[], int] | None = None,
    ) -> None:
        self.signing_key = signing_key or None
        self._timeout_s, self._connect_timeout_s = timeout_s, connect_timeout_s
        self._pool_size = pool_size
        self._now_s = now_s or (lambda: int(time.time()))
        self._session: aiohttp.ClientSession | None = None

    def _client(self) -> aiohttp.ClientSession:
        import aiohttp

        if self._session is None or self._session.closed:
            connector = aiohttp.TCPConnector(limit=self._pool_size, keepalive_timeout=30, ttl_dns_cache=300)
            # auto_decompress stays on; raise_for_status stays off: every status is data for the engine.
            timeout = aiohttp.ClientTimeout(total=self._timeout_s, connect=self._connect_timeout_s)
            self._session = aiohttp.ClientSession(connector=connector, timeout=timeout, trust_env=False)
        return self._session

    async def close(self) -> None:
        """Close the connection pool (idempotent)."""
        if self._session is not None and not self._session.closed:
            await self._session.close()
        self._session = None

    async def call(
        self, fn: FunctionDef, step_id: str, request: Mapping[str, Json], *, request_id: str | None = None
    ) -> CallResult:
        """POST the JCS-canonical ``request`` to ``fn.url`` with ``stepId=step_id``, signed when keyed.

        ``X-Request-ID`` is ``request_id`` (the dispatch's lease id, echoed in checkpoints), else a fresh ULID.

        A body over the inline limit is sent as ``with_use_api(request)``, as Go's ``MarshalV1`` does.
        """
        body = canonical_json(request)
        if len(body) > MAX_INLINE_REQUEST_BYTES:
            body = canonical_json(with_use_api(request))
        ctx = request.get("ctx")
        run_id = str(ctx.get("run_id", "")) if isinstance(ctx, Mapping) else ""
        version = request.get("version", -1)
        headers = {
            Header.CONTENT_TYPE.value: "application/json",
            Header.RUN_ID.value: run_id,
            Header.REQ_VERSION.value: str(version if isinstance(version, int) else -1),
            Header.STEP_ID.value: step_id,
            Header.REQUEST_ID.value: request_id or str(ULID()),
        }
        headers.update(call_headers())  # W3C traceparent: the app's spans nest under this call's span
        job_id = ctx.get("job_id") if isinstance(ctx, Mapping) else None
        if isinstance(job_id, str) and job_id:
            headers[Header.JOB_ID.value] = job_id
        return await self.request(
            "POST", step_url(fn.url, fn.fn_id, step_id), body=body, headers=headers, sign_body=True, verify_sdk=True
        )

    async def request(
        self,
        method: str,
        url: str,
        *,
        body: bytes = b"",
        headers: Mapping[str, str] | None = None,
        sign_body: bool = False,
        timeout_s: float | None = None,
        connect_timeout_s: float | None = None,
        verify_sdk: bool = False,
    ) -> CallResult:
        """Send one request through the shared pool; the common path of calls, syncs and probes.

        With ``sign_body`` and a signing key, ``X-Inngest-Signature`` covers exactly ``body``. With ``verify_sdk``
        and a signing key, an answer carrying ``X-Inngest-SDK`` must be signed over its raw bytes with that key,
        or it becomes a non-SDK answer (``SDKResponseSignatureError``).
        Transport failures (refused, reset, timeout, bad URL) become ``CallResult(status=0, transport_error=…)``.
        """
        import aiohttp

        send_headers = dict(headers or {})
        if sign_body and self.signing_key:
            send_headers[Header.SIGNATURE.value] = sign(body, self.signing_key, self._now_s())
        client = self._client()
        timeout = client.timeout
        if timeout_s is not None or connect_timeout_s is not None:
            timeout = aiohttp.ClientTimeout(
                total=timeout_s if timeout_s is not None else self._timeout_s,
                connect=connect_timeout_s if connect_timeout_s is not None else self._connect_timeout_s,
            )
        try:
            async with client.request(
                method, url, data=body or None, headers=send_headers, timeout=timeout, allow_redirects=False
            ) as resp:
                raw = await resp.read()
                resp_headers = _lower_headers(resp.headers)
                status = resp.status
        except (aiohttp.ClientError, TimeoutError, OSError, ValueError) as exc:
            return CallResult(status=0, transport_error=_describe(exc))
        # No age check: the SDK stamps its own clock, and the HMAC over these exact bytes is what matters.
        if (
            verify_sdk
            and self.signing_key
            and "x-inngest-sdk" in resp_headers
            and verify(raw, resp_headers.get("x-inngest-signature"), [self.signing_key], 0, max_age_s=None) is None
        ):
            return _forged(status, resp_headers)
        status, merged, decoded = unwrap_streaming(status, resp_headers, decode_body(raw))
        return CallResult(status=status, headers=merged, body=decoded, raw_size=len(raw))


def _forged(status: int, headers: Mapping[str, str]) -> CallResult:
    """An SDK-looking answer whose signature does not check out, stripped of its SDK headers."""
    kept = {k: v for k, v in headers.items() if not k.startswith("x-inngest-")}
    message = f"the answer (HTTP {status}) claims to be an SDK's but its X-Inngest-Signature is missing or invalid"
    return CallResult(status=status, headers=kept, body={"name": BAD_RESPONSE_SIGNATURE, "message": message})


def _lower_headers(headers: Mapping[str, str]) -> dict[str, str]:
    out: dict[str, str] = {}
    for key, value in headers.items():
        k = key.lower()
        out[k] = f"{out[k]}, {value}" if k in out else value
    return out


def _describe(exc: BaseException) -> str:
    if isinstance(exc, TimeoutError | asyncio.TimeoutError):
        return "TimeoutError: the SDK did not answer in time"
    text = str(exc) or exc.__class__.__name__
    return f"{exc.__class__.__name__}: {text}"
