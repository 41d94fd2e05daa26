"""The framework-free serve handler: GET (introspection), PUT (sync) and POST (call requests).

Adapters (``tornado.py``, the embedded engine's in-process driver) build a ``CommRequest`` and write back the
``CommResponse``; its ``body_bytes()`` are the exact bytes to send, since response signatures cover them.
"""

from __future__ import annotations

import hashlib
import time
import urllib.parse
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from inngest_lab.protocol import json_text, signing
from inngest_lab.protocol.canonical import canonical_json
from inngest_lab.protocol.consts import DISCOVERY_STEP_ID, Header, ServerKind, SyncKind
from inngest_lab.sdk.checkpointing import Checkpointer, checkpointer_for
from inngest_lab.sdk.client import Inngest
from inngest_lab.sdk.env import create_serve_url
from inngest_lab.sdk.errors import (
    ErrorCode,
    FunctionNotFoundError,
    InngestLabError,
    QueryParamMissingError,
    RegistrationFailedError,
    SigningKeyMissingError,
)
from inngest_lab.sdk.execution import Outcome, execute, outcome_of_error, parse_call_request
from inngest_lab.sdk.function import Function
from inngest_lab.sdk.trace_context import continued
from inngest_lab.sdk.transport import SDK_LANGUAGE, SDK_VERSION, http_request, sdk_headers

Json = Any
SCHEMA_VERSION = "2024-05-24"
CAPABILITIES = {"connect": "v1", "in_band_sync": "v1", "trust_probe": "v1"}


@dataclass(frozen=True, slots=True)
class CommRequest:
    """One request to the serve endpoint. ``parsed``: an already-decoded call request from an in-process
    caller, which skips JSON decoding and signature checks."""

    method: str
    url: str
    query: Mapping[str, str] = field(default_factory=dict)
    headers: Mapping[str, str] = field(default_factory=dict)
    body: bytes | None = None
    parsed: Json = None

    def header(self, name: str) -> str | None:
        """Case-insensitive lookup (a scan: cheaper than building a lowercased dict for a handful of reads)."""
        wanted, found = name.lower(), None
        for key, value in self.headers.items():
            if key.lower() == wanted:
                found = value  # the last spelling wins
        return found


@dataclass(slots=True)
class CommResponse:
    status: int
    headers: dict[str, str]
    body: Json

    def body_bytes(self) -> bytes:
        return json_text.dumps_bytes(self.body)


def _wall_ms() -> int:
    return int(time.time() * 1000)


def _unauthorized() -> CommResponse:
    headers = {Header.CONTENT_TYPE.value: "application/json", Header.SDK_HANDLED.value: "true"}
    return CommResponse(401, headers, {"message": "Unauthorized"})


class CommHandler:
    """Serves ``functions`` of ``client``. In cloud mode requests must be signed with the signing key
    (or its fallback) within the last 5 minutes (``now_ms``, else the system clock); without a key the handler
    refuses to start, as inngest-py does."""

    def __init__(
        self,
        client: Inngest,
        functions: list[Function[Any]],
        *,
        serve_origin: str | None = None,
        serve_path: str | None = None,
        framework: str = "tornado",
        now_ms: Callable[[], int] | None = None,
        checkpointing: bool = True,
    ) -> None:
        if client.mode is ServerKind.CLOUD and client.signing_key is None:
            raise SigningKeyMissingError("a signing key is required in cloud mode (INNGEST_SIGNING_KEY)")
        self.client = client
        self.functions = list(functions)
        self._serve_origin, self._serve_path = serve_origin, serve_path
        self.framework = framework
        self._now_ms = now_ms
        self._checkpointing = checkpointing  # and the client's own setting (sdk/checkpointing.py)
        self._keys = [k for k in (client.signing_key, client.signing_key_fallback) if k]

    # -- shared wrapping ---------------------------------------------------------------------------

    def _verify(self, req: CommRequest) -> str | Exception | None:
        """The key that signed ``req``; None in dev mode (nothing to check); an exception when it fails."""
        if self.client.mode is ServerKind.DEV:
            return None
        try:
            raw = req.body or b""
            canonical = canonical_json(json_text.loads(raw)) if raw.strip() else b""
        except ValueError as err:
            return err
        # A captured request replayed more than 5 minutes later is refused, as the official TS SDK does.
        now_s = (self._now_ms() if self._now_ms else time.time_ns() // 1_000_000) // 1000
        key = signing.verify(canonical, req.header(Header.SIGNATURE), self._keys, now_s, signing.SIGNATURE_MAX_AGE_S)
        return key if key is not None else PermissionError("signature verification failed")

    def _finish(self, res: CommResponse, key: str | None, started: float) -> CommResponse:
        res.headers = {
            **res.headers,
            **sdk_headers(env=self.client.env, framework=self.framework, server_kind=self.client.mode.value),
            Header.SDK_HANDLED.value: "true",
            Header.SERVER_TIMING.value: f"comm_handler;dur={int((time.monotonic() - started) * 1000)}",
        }
        if key is not None:
            res.headers[Header.SIGNATURE.value] = signing.sign(res.body_bytes(), key, int(time.time()))
        return res

    def _server_kind(self, req: CommRequest) -> str | None:
        kind = req.header(Header.SERVER_KIND)
        return kind if kind in (ServerKind.DEV.value, ServerKind.CLOUD.value) else None

    # -- POST: call requests -----------------------------------------------------------------------

    async def post(self, req: CommRequest) -> CommResponse:
        started = time.monotonic()
        key: str | None = None
        if req.parsed is None:
            verified = self._verify(req)
            if isinstance(verified, Exception):
                return _unauthorized()
            key = verified
        return self._finish(self._outcome_response(await self._call(req)), key, started)

    async def _call(self, req: CommRequest) -> Outcome:
        probe = req.query.get("probe")
        if probe == "trust":
            return Outcome(200, None)
        if probe:
            return outcome_of_error(InngestLabError(f"unsupported probe: {probe}"))
        try:
            body = req.parsed if req.parsed is not None else json_text.loads(req.body or b"null")
            call = parse_call_request(body)
        except ValueError as err:  # JSONDecodeError; BodyInvalidError is not a ValueError
            return outcome_of_error(err)
        except InngestLabError as err:
            return outcome_of_error(err)
        fn_id = req.query.get("fnId")
        if not fn_id:
            return _plain_error(QueryParamMissingError("fnId"))
        found = self._find(fn_id) or self._find(f"{self.client.app_id}-{fn_id}")
        if found is None:
            return _plain_error(FunctionNotFoundError(f"function {fn_id} not found"))
        fn, resolved_id = found
        step_id = req.query.get("stepId")
        # Only a call that came over HTTP checkpoints: the route it posts to is the server's, across the network.
        http = req.parsed is None and self._checkpointing
        cp = self._checkpointer(body, req.header(Header.REQUEST_ID)) if http else None
        with continued(req.header("traceparent")):  # the server's span of this call is the function's parent
            return await execute(
                self.client,
                fn,
                resolved_id,
                call,
                target_step=None if step_id in (None, "", DISCOVERY_STEP_ID) else step_id,
                now_ms=self._now_ms,
                job_id=req.header(Header.JOB_ID),
                request_id=req.header(Header.REQUEST_ID),
                checkpointer=cp,
            )

    def _checkpointer(self, body: Any, request_id: str | None) -> Checkpointer | None:
        ctx = body.get("ctx") if isinstance(body, Mapping) else None
        if not isinstance(ctx, Mapping):
            return None
        return checkpointer_for(self.client, ctx, request_id=request_id, now_ms=self._now_ms or _wall_ms)

    def _find(self, fn_id: str) -> tuple[Function[Any], str] | None:
        for fn in self.functions:
            if fn_id in (fn.id, fn.on_failure_fn_id):
                return fn, fn_id
        return None

    @staticmethod
    def _outcome_response(out: Outcome) -> CommResponse:
        headers = dict(out.headers)
        if out.status != 200 and (out.no_retry or out.status == 500):
            headers[Header.NO_RETRY.value] = "true" if out.no_retry else "false"
        if out.retry_after is not None:
            headers[Header.RETRY_AFTER.value] = out.retry_after
        return CommResponse(out.status, headers, out.body)

    # -- GET: introspection ------------------------------------------------------------------------

    async def get(self, req: CommRequest) -> CommResponse:
        started = time.monotonic()
        verified = self._verify(req)
        if isinstance(verified, Exception):
            return _unauthorized()
        kind = self._server_kind(req)
        if kind is not None and kind != self.client.mode.value:
            return self._finish(CommResponse(403, {}, {}), verified, started)
        return self._finish(CommResponse(200, {}, self.inspection(signed=verified is not None)), verified, started)

    def inspection(self, *, signed: bool) -> dict[str, Json]:
        """The introspection body (protocol doc section 3.6); the authenticated form only for signed requests."""
        c = self.client
        base = {
            "schema_version": SCHEMA_VERSION,
            "function_count": len(self.functions),
            "has_event_key": c.event_key is not None,
            "has_signing_key": c.signing_key is not None,
            "has_signing_key_fallback": c.signing_key_fallback is not None,
            "mode": c.mode.value,
        }
        if not signed:
            return base
        return {
            **base,
            "api_origin": c.api_origin,
            "app_id": c.app_id,
            "authentication_succeeded": True,
            "capabilities": dict(CAPABILITIES),
            "env": c.env,
            "event_api_origin": c.event_api_origin,
            "event_key_hash": hashlib.sha256(c.event_key.encode()).hexdigest() if c.event_key else None,
            "framework": self.framework,
            "sdk_language": SDK_LANGUAGE,
            "sdk_version": SDK_VERSION,
            "serve_origin": self._serve_origin,
            "serve_path": self._serve_path,
            "signing_key_fallback_hash": _key_hash(c.signing_key_fallback),
            "signing_key_hash": _key_hash(c.signing_key),
        }

    # -- PUT: out-of-band sync ---------------------------------------------------------------------

    def registration(self, url: str) -> dict[str, Json]:
        """The full ``/fn/register`` body for serve URL ``url`` (protocol doc section 3.2), without nulls."""
        body: dict[str, Json] = {"appname": self.client.app_id}
        if self.client.app_version is not None:
            body["appVersion"] = self.client.app_version
        body.update(
            {
                "capabilities": dict(CAPABILITIES),
                "deploy_type": "ping",
                "framework": self.framework,
                "functions": [entry for fn in self.functions for entry in fn.registration(url)],
                "sdk": f"{SDK_LANGUAGE}:v{SDK_VERSION}",
                "url": url,
                "v": "0.1",
            }
        )
        return body

    async def put(self, req: CommRequest) -> CommResponse:
        started = time.monotonic()
        verified = self._verify(req)
        key = verified if isinstance(verified, str) else None
        if self.client.mode is ServerKind.CLOUD and not self.client.enable_unauthed_sync and key is None:
            return _unauthorized()
        kind = self._server_kind(req)
        if kind is not None and kind != self.client.mode.value:
            msg = (
                "Sync rejected since it's from a Dev Server but expected Cloud"
                if kind == ServerKind.DEV.value
                else "Sync rejected since it's from Cloud but expected Dev Server"
            )
            body = {"code": ErrorCode.SERVER_KIND_MISMATCH.value, "message": msg}
            return self._finish(CommResponse(400, {}, body), key, started)
        try:
            reply = await self._register(req, kind)
        except (OSError, InngestLabError) as err:
            return self._finish(self._outcome_response(outcome_of_error(err)), key, started)
        headers = {Header.SYNC_KIND.value: SyncKind.OUT_OF_BAND.value}
        # inngest-py 0.5.19 passes the server's reply back with 200 even when registration failed.
        return self._finish(CommResponse(200, headers, reply), key, started)

    async def _register(self, req: CommRequest, server_kind: str | None) -> Json:
        url = create_serve_url(req.url, self._serve_origin, self._serve_path, self.client.environ)
        target = urllib.parse.urljoin(self.client.api_origin, "/fn/register")
        if deploy_id := req.query.get("deployId"):
            target += "?" + urllib.parse.urlencode({"deployId": deploy_id})
        headers = sdk_headers(env=self.client.env, framework=self.framework, server_kind=server_kind)
        keys: list[str | None] = list(self._keys) or [None]
        for i, signing_key in enumerate(keys):
            if signing_key is not None:
                headers[Header.AUTHORIZATION.value] = f"Bearer {signing.hashed_signing_key(signing_key)}"
            reply = await http_request("POST", target, headers, self.registration(url))
            if reply.status not in (401, 403) or i == len(keys) - 1:
                break
        try:
            body = reply.json()
        except ValueError as err:
            raise RegistrationFailedError("response is not valid JSON") from err
        if not isinstance(body, dict):
            raise RegistrationFailedError("response is not an object")
        return body


def _plain_error(err: InngestLabError) -> Outcome:
    """Handler-level errors are reported without a stack, as inngest-py's ``CommResponse.from_error``."""
    return Outcome(500, {"code": err.code.value, "message": err.message, "name": err.name})


def _key_hash(key: str | None) -> str | None:
    return signing.hashed_signing_key(key) if key else None
