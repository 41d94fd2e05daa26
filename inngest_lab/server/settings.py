"""Server configuration: keys, kind and limits. Validated once, at construction."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from inngest_lab.protocol.consts import MAX_EVENT_REQUEST_BYTES, ServerKind
from inngest_lab.protocol.signing import is_valid_signing_key
from inngest_lab.server.auth_password import is_password_hash
from inngest_lab.server.auth_session import derive_session_key

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

    Dashboard login (``auth_*`` modules): ``ui_password_hash`` (``inngest-lab hash-password``) turns the login on;
    sessions are signed with a key derived from ``session_secret``, else from the primary signing key, else (dev
    only) from random bytes of this process. ``listen_host`` is the interface the server is bound to: on loopback
    the dev server refuses foreign ``Host`` headers (DNS rebinding) except the names in ``allowed_hosts`` (a
    port-forwarding proxy's public name, e.g. a Codespace's), which also count as the server's own origin.
    """

    event_keys: Sequence[str] = field(default=(), repr=False)  # secrets: never in a repr that may be logged
    signing_keys: Sequence[str] = field(default=(), repr=False)
    server_kind: ServerKind = ServerKind.DEV
    max_event_request_bytes: int = MAX_EVENT_REQUEST_BYTES
    max_body_bytes: int = MAX_HTTP_BODY_BYTES
    sdk_urls: Sequence[str] = ()
    discovery: bool = False
    poll_interval_s: float = 0.0
    version: str = field(default="")
    ui_password_hash: str = field(default="", repr=False)
    session_secret: str = field(default="", repr=False)
    session_ttl_s: int = 12 * 3600
    listen_host: str = "127.0.0.1"
    allowed_hosts: Sequence[str] = ()
    session_key: bytes = field(init=False, default=b"", repr=False, compare=False)

    def __post_init__(self) -> None:
        # Normalize to tuples so the frozen settings really are immutable.
        for name in ("event_keys", "signing_keys", "sdk_urls"):
            object.__setattr__(self, name, tuple(getattr(self, name)))
        object.__setattr__(self, "allowed_hosts", tuple(h.strip().lower() for h in self.allowed_hosts if h.strip()))
        if any(not k for k in self.event_keys):
            raise ValueError("event keys must be non-empty")
        for key in self.signing_keys:
            if not is_valid_signing_key(key):
                raise ValueError("signing keys must be even-length hex (optionally prefixed signkey-<env>-)")
        if self.max_body_bytes <= self.max_event_request_bytes:
            raise ValueError("max_body_bytes must exceed max_event_request_bytes")
        if self.ui_password_hash and not is_password_hash(self.ui_password_hash):
            raise ValueError("the UI password hash is not one made by `inngest-lab hash-password` (scrypt:...)")
        if self.session_ttl_s < 60:
            raise ValueError("session_ttl_s must be at least 60 seconds")
        session_key = derive_session_key(self.session_secret, self.signing_keys, self.ui_password_hash)
        object.__setattr__(self, "session_key", session_key)

    @property
    def login_enabled(self) -> bool:
        """A dashboard password is configured, so browsers may log in."""
        return bool(self.ui_password_hash)
