"""Browser sessions for the dashboard: stateless signed cookies and the CSRF token bound to each. Pure.

A session token is ``v1.<expires, unix s>.<nonce>.<mac>`` with ``mac = HMAC-SHA256(key, "v1.<expires>.<nonce>")``.
Nothing is stored server-side, so a login on one process is valid on every process that derives the same key
(production mode: all processes share the signing key or ``--session-secret``). The CSRF token is
``HMAC(key, "csrf.<nonce>")``: the dashboard reads it from the ``inngest_lab_csrf`` cookie and echoes it in
``X-CSRF-Token``; a cross-site page can neither read that cookie nor compute the token.

The key is derived from the secret *and* the password hash, so changing the password ends every session.
Logging out clears the cookies; a copied token stays valid until it expires (there is no revocation list).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Sequence
from dataclasses import dataclass

from inngest_lab.protocol.signing import strip_key_prefix

SESSION_COOKIE = "inngest_lab_session"
CSRF_COOKIE = "inngest_lab_csrf"
"""Readable by the dashboard's script (not HttpOnly), SameSite=Strict like the session cookie."""
CSRF_HEADER = "X-CSRF-Token"
CSRF_FIELD = "csrf_token"
"""The form field a plain HTML form (the logout button) may use instead of the header."""

_VERSION = "v1"
_KEY_LABEL = b"inngest-lab dashboard session v1\x00"


@dataclass(frozen=True, slots=True)
class Session:
    token: str  # the cookie value
    csrf: str
    expires_s: int


def derive_session_key(session_secret: str, signing_keys: Sequence[str], password_hash: str) -> bytes:
    """The HMAC key of sessions: from ``session_secret``, else the primary signing key, else random (this
    process only, which suits a single dev server). Empty when no password is configured: no session is valid.
    """
    if not password_hash:
        return b""
    base = session_secret or (strip_key_prefix(signing_keys[0]) if signing_keys else "")
    seed = base.encode() if base else secrets.token_bytes(32)
    return hmac.new(seed, _KEY_LABEL + password_hash.encode(), hashlib.sha256).digest()


def _mac(key: bytes, text: str) -> str:
    return hmac.new(key, text.encode(), hashlib.sha256).hexdigest()


def _session(key: bytes, expires_s: int, nonce: str) -> Session:
    body = f"{_VERSION}.{expires_s}.{nonce}"
    return Session(f"{body}.{_mac(key, body)}", _mac(key, f"csrf.{nonce}"), expires_s)


def issue_session(key: bytes, now_s: int, ttl_s: int, *, nonce: str | None = None) -> Session:
    """A new session valid until ``now_s + ttl_s`` (``nonce`` only for tests)."""
    if not key:
        raise ValueError("sessions are off: no password is configured")
    return _session(key, now_s + ttl_s, nonce or secrets.token_hex(16))


def read_session(key: bytes, token: str | None, now_s: int) -> Session | None:
    """The session ``token`` stands for, or None: absent, malformed, forged, or expired at ``now_s``."""
    if not key or not token or not token.isascii():
        return None
    parts = token.split(".")
    if len(parts) != 4 or parts[0] != _VERSION or not parts[1].isdigit():
        return None
    expires_s, nonce = int(parts[1]), parts[2]
    if expires_s <= now_s or not nonce.isalnum():
        return None
    expected = _session(key, expires_s, nonce)
    if not hmac.compare_digest(expected.token.encode(), token.encode()):
        return None
    return expected


def csrf_matches(session: Session, presented: str | None) -> bool:
    """True when ``presented`` (the header or form field) is the session's CSRF token."""
    if not presented or not presented.isascii():
        return False
    return hmac.compare_digest(session.csrf.encode(), presented.strip().encode())
