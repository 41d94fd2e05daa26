"""The dashboard password, stored only as a scrypt hash (``inngest-lab hash-password`` prints one).

Format: ``scrypt:<log2 n>:<r>:<p>:<salt, base64url>:<hash, base64url>`` (colons, not ``$``, so shells and
compose files need no quoting). Parameters travel with the hash, so raising them later keeps old hashes valid.
Verification compares in constant time. Hashing costs 32 MiB and ~0.1 s of CPU on purpose (n = 2^15, r = 8, within
a 512 MB server's budget); the login handler runs it off the event loop, two at a time, behind the rate limit.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from dataclasses import dataclass

SCHEME = "scrypt"
DEFAULT_LOG2_N = 15
DEFAULT_R = 8
DEFAULT_P = 1
_SALT_BYTES = 16
_HASH_BYTES = 32
_MAX_LOG2_N = 20
"""Refuse absurd parameters in a configured hash rather than spend a gigabyte per login."""


@dataclass(frozen=True, slots=True)
class PasswordHash:
    log2_n: int
    r: int
    p: int
    salt: bytes
    digest: bytes

    def encode(self) -> str:
        return ":".join((SCHEME, str(self.log2_n), str(self.r), str(self.p), _b64(self.salt), _b64(self.digest)))


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _scrypt(password: str, salt: bytes, log2_n: int, r: int, p: int) -> bytes:
    n = 1 << log2_n
    # scrypt needs 128 * n * r bytes; allow that plus slack (OpenSSL's default cap is 32 MiB exactly).
    secret = password.encode("utf-8", "surrogatepass")
    return hashlib.scrypt(secret, salt=salt, n=n, r=r, p=p, maxmem=128 * n * r * 2 + (1 << 20), dklen=_HASH_BYTES)


def hash_password(password: str, *, log2_n: int = DEFAULT_LOG2_N, salt: bytes | None = None) -> str:
    """A new hash of ``password`` with a random salt (``salt`` only for tests)."""
    if not password:
        raise ValueError("the password must not be empty")
    salt = salt if salt is not None else secrets.token_bytes(_SALT_BYTES)
    digest = _scrypt(password, salt, log2_n, DEFAULT_R, DEFAULT_P)
    return PasswordHash(log2_n, DEFAULT_R, DEFAULT_P, salt, digest).encode()


def parse_password_hash(text: str) -> PasswordHash | None:
    """The parts of a hash made by ``hash_password``; None when ``text`` is not one."""
    parts = text.strip().split(":")
    if len(parts) != 6 or parts[0] != SCHEME or not all(p.isdigit() for p in parts[1:4]):
        return None
    log2_n, r, p = int(parts[1]), int(parts[2]), int(parts[3])
    if not (1 <= log2_n <= _MAX_LOG2_N and 1 <= r <= 32 and 1 <= p <= 16):
        return None
    try:
        salt, digest = _unb64(parts[4]), _unb64(parts[5])
    except ValueError:
        return None
    if len(salt) < 8 or len(digest) != _HASH_BYTES:
        return None
    return PasswordHash(log2_n, r, p, salt, digest)


def is_password_hash(text: str) -> bool:
    return parse_password_hash(text) is not None


def verify_password(password: str, stored: str) -> bool:
    """True when ``password`` matches the ``stored`` hash. A malformed hash never matches."""
    parsed = parse_password_hash(stored)
    if parsed is None or not password:
        return False
    candidate = _scrypt(password, parsed.salt, parsed.log2_n, parsed.r, parsed.p)
    return hmac.compare_digest(candidate, parsed.digest)
