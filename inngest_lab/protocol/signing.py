"""Request signing (server -> SDK) and Bearer key hashing (SDK -> server); protocol doc section 5."""

from __future__ import annotations

import hashlib
import hmac
import re

_PREFIX = re.compile(r"^signkey-\w+-")
SIGNATURE_MAX_AGE_S = 300
"""A signed request older (or newer) than this is refused: the official TS SDK's 5-minute replay window."""


def strip_key_prefix(key: str) -> str:
    """Remove a ``signkey-<env>-`` prefix if present."""
    return _PREFIX.sub("", key)


def sign(body: bytes, key: str, ts_s: int) -> str:
    """Return the ``X-Inngest-Signature`` header value for ``body`` signed at ``ts_s`` (unix seconds).

    The HMAC key is the prefix-stripped signing key taken as its ASCII characters, not hex-decoded.
    """
    t = str(ts_s)
    mac = hmac.new(strip_key_prefix(key).encode(), body + t.encode(), hashlib.sha256).hexdigest()
    return f"t={t}&s={mac}"


def parse_signature(header: str) -> tuple[int, str] | None:
    """Parse ``t=<s>&s=<hex>``; None when malformed."""
    parts = dict(p.split("=", 1) for p in header.split("&") if "=" in p)
    try:
        return int(parts["t"]), parts["s"]
    except (KeyError, ValueError):
        return None


def verify(
    body: bytes, header: str | None, keys: list[str], now_s: int, max_age_s: int | None = SIGNATURE_MAX_AGE_S
) -> str | None:
    """Return the key that validates ``header`` over ``body``, or None.

    ``max_age_s`` bounds clock skew as the TS SDK does; None disables the age check.
    """
    if not header or not header.isascii():  # compare_digest raises on non-ASCII text
        return None
    parsed = parse_signature(header)
    if parsed is None:
        return None
    ts, mac = parsed
    if max_age_s is not None and abs(now_s - ts) > max_age_s:
        return None
    for key in keys:
        expected = sign(body, key, ts).split("&s=", 1)[1]
        if hmac.compare_digest(expected, mac):
            return key
    return None


def hashed_signing_key(key: str) -> str:
    """SHA-256 of the hex-decoded, prefix-stripped key: what SDKs send as the Bearer token."""
    return hashlib.sha256(bytes.fromhex(strip_key_prefix(key))).hexdigest()


def bearer_matches(token: str, keys: list[str]) -> bool:
    """True when a Bearer ``token`` (with or without prefix) is a configured key or its hash.

    A non-ASCII token never matches (``hmac.compare_digest`` would raise on it: a 500 instead of a 401).
    """
    if not token.isascii():
        return False
    tok = strip_key_prefix(token.strip())
    for key in keys:
        plain = strip_key_prefix(key)
        if hmac.compare_digest(tok, plain) or hmac.compare_digest(tok, hashed_signing_key(key)):
            return True
    return False


def is_valid_signing_key(key: str) -> bool:
    """Signing keys must be non-empty, even-length hex once the prefix is removed."""
    raw = strip_key_prefix(key)
    if not raw or len(raw) % 2:
        return False
    try:
        bytes.fromhex(raw)
    except ValueError:
        return False
    return True
