"""``POST /e/{key}``: the Event API (protocol doc section 6.1).

Replies ``{"ids": [...], "status": 200}`` (the TS SDK requires ``status == 200``); failures keep that
shape: ``{"ids": [], "status": 400, "error": "…"}``, and a wrong key gets Go's exact 401 body.
The body is streamed so an oversized request is counted, not buffered, and answered 413 in JSON.
"""

from __future__ import annotations

import base64
import hmac
from collections.abc import Callable

from tornado.web import stream_request_body
from ulid import ULID

from inngest_lab.engine.model import Json
from inngest_lab.protocol.consts import Header
from inngest_lab.protocol.events import normalize_events
from inngest_lab.server.base import ApiHandler, decode_json
from inngest_lab.server.errors import ApiError, PayloadTooLarge, Unauthorized

_ENTROPY_BYTES = 10
_ENTROPY_MOD = 1 << (8 * _ENTROPY_BYTES)
_MAX_ULID_MS = (1 << 48) - 1


def seeded_ids(seed: str | None, now_ms: int) -> Callable[[int], str]:
    """Event id factory for one request: ``id(index)``.

    With a valid ``X-Inngest-Event-Id-Seed`` (``<millis>,<base64 of 10 bytes>``) the ULID for event ``index``
    is the seed's time plus its entropy advanced by ``index``, so an SDK that retries a send gets the same
    ids again (``pkg/event/id.go`` does the same). Without one, ids are fresh ULIDs.
    """
    parsed = _parse_seed(seed)
    if parsed is None:
        fresh: dict[int, str] = {}

        def fresh_id(index: int) -> str:
            if index not in fresh:  # not setdefault: that would mint a ULID on every call
                fresh[index] = str(ULID())
            return fresh[index]

        return fresh_id
    ms, entropy = parsed

    def new_id(index: int) -> str:
        rand = (entropy + index) % _ENTROPY_MOD
        return str(ULID.from_bytes(ms.to_bytes(6, "big") + rand.to_bytes(_ENTROPY_BYTES, "big")))

    return new_id


def _parse_seed(seed: str | None) -> tuple[int, int] | None:
    if not seed:
        return None
    ms_text, _, b64 = seed.partition(",")
    try:
        ms = int(ms_text)
        raw = base64.b64decode(b64, validate=True)
    except ValueError:
        return None
    if not 0 <= ms <= _MAX_ULID_MS or len(raw) != _ENTROPY_BYTES:
        return None
    return ms, int.from_bytes(raw, "big")


@stream_request_body
class EventApiHandler(ApiHandler):
    """Receives events. Keys are compared in constant time; with no configured keys any non-empty key works."""

    def prepare(self) -> None:
        self._chunks: list[bytes] = []
        self._size = 0

    def data_received(self, chunk: bytes) -> None:
        self._size += len(chunk)
        # Keep counting past the limit but stop buffering: the reply is a 413 either way.
        if self._size <= self.ctx.settings.max_event_request_bytes:
            self._chunks.append(chunk)

    async def post(self, key: str | None) -> None:
        self._check_key(key)
        limit = self.ctx.settings.max_event_request_bytes
        if self._size > limit:
            raise PayloadTooLarge(f"request body is {self._size} bytes, larger than the {limit} byte limit")
        body = decode_json(b"".join(self._chunks))
        engine = self.ctx.engine
        now_ms = engine.clock.now_ms()
        new_id = seeded_ids(self.request.headers.get(Header.EVENT_ID_SEED), now_ms)
        events = normalize_events(body, now_ms, new_id)
        internal_ids = [new_id(i) for i in range(len(events))]
        ids = await engine.send(events, internal_ids=internal_ids)
        self.write_json({"ids": ids, "status": 200})

    def _check_key(self, key: str | None) -> None:
        keys = self.ctx.settings.event_keys
        if not key or (keys and not any(hmac.compare_digest(key.encode(), k.encode()) for k in keys)):
            raise Unauthorized("Event key not found")

    def render_error(self, err: ApiError) -> Json:
        if isinstance(err, Unauthorized):
            return {"status": err.status, "message": "", "error": err.message}
        return {"ids": [], "status": err.status, "error": err.message}
