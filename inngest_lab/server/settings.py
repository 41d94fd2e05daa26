"""Server configuration: keys, kind and limits. Validated once, at construction."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from inngest_lab.protocol.consts import MAX_EVENT_REQUEST_BYTES, ServerKind
from inngest_lab.protocol.signing import is_valid_signing_key

DEFAULT_PORT = 8288
MAX_HTTP_BODY_BYTES = 32 * 1024 * 1024
"""Tornado's own body limit. Above our per-route limits so we can answer 413 with a JSON body ourselves."""


@dataclass(frozen=True, slots=True)
class ServerSettings:
    """How the HTTP server authenticates and what it announces.

    ``event_keys``: when non-empty, ``POST /e/{key}`` requires one of them.
    ``signing_keys``: primary then fallbacks; when non-empty, ``/fn/register``, ``/v0`` and ``/v1`` require a
    Bearer token matching one of them. Each must be valid even-length hex after its ``signkey-…-`` prefix.
    ``sdk_urls``, ``discovery`` and ``poll_interval_s`` are only reported by ``GET /dev``.
    """

    event_keys: Sequence[str] = ()
    signing_keys: Sequence[str] = ()
    server_kind: ServerKind = ServerKind.DEV
    max_event_request_bytes: int = MAX_EVENT_REQUEST_BYTES
    max_body_bytes: int = MAX_HTTP_BODY_BYTES
    sdk_urls: Sequence[str] = ()
    discovery: bool = False
    poll_interval_s: float = 0.0
    version: str = field(default="")

    def __post_init__(self) -> None:
        # Normalize to tuples so the frozen settings really are immutable.
        for name in ("event_keys", "signing_keys", "sdk_urls"):
            object.__setattr__(self, name, tuple(getattr(self, name)))
        if any(not k for k in self.event_keys):
            raise ValueError("event keys must be non-empty")
        for key in self.signing_keys:
            if not is_valid_signing_key(key):
                raise ValueError("signing keys must be even-length hex (optionally prefixed signkey-<env>-)")
        if self.max_body_bytes <= self.max_event_request_bytes:
            raise ValueError("max_body_bytes must exceed max_event_request_bytes")
