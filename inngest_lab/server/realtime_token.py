"""Realtime subscription tokens: HS256 JWTs the server issues (``POST /v1/realtime/token``) and later verifies.

Go's ``realtime/token.go`` claims: ``sub`` (account), ``env``, ``topics`` (``[{kind, env_id, channel, name}]``),
``publish`` (may the holder publish), ``exp`` (required) and ``iss``. Tokens are opaque to the SDKs, which only
carry them to ``/v1/realtime/connect`` (or ``/sse``) as ``?token=`` or ``Authorization: Bearer``.

The HMAC secret is derived from the server's signing key, so every process of one deployment verifies what any
of them issued; a fallback key verifies too (rotation). Without signing keys (dev mode) a fixed dev secret is
used: dev mode has no auth anyway.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from inngest_lab.engine.model import Json
from inngest_lab.protocol.signing import strip_key_prefix

ISSUER = "inngest-lab"
ENV_ID = "dev"  # the one environment of a lab deployment (X-Inngest-Env is accepted and ignored)
TOKEN_TTL_S = 60 * 60  # Go issues subscription tokens valid for an hour
_DEV_SECRET = b"inngest-lab-dev-realtime"
_HEADER = {"alg": "HS256", "typ": "JWT"}


class TokenError(ValueError):
    """A token that is malformed, forged or expired: a 401 with this message."""


@dataclass(frozen=True, slots=True)
class TopicGrant:
    """One ``{channel, name, kind}`` entry of a token: its holder may read ``name`` on ``channel``."""

    channel: str
    name: str
    kind: str = "run"


@dataclass(frozen=True, slots=True)
class Grant:
    """What a verified token allows."""

    topics: tuple[TopicGrant, ...]
    publish: bool
    expires_at_s: int

    def channels(self) -> dict[str, frozenset[str]]:
        """channel -> its granted topic names."""
        out: dict[str, set[str]] = {}
        for t in self.topics:
            out.setdefault(t.channel, set()).add(t.name)
        return {channel: frozenset(names) for channel, names in out.items()}


def _secret(key: str | None) -> bytes:
    if not key:
        return _DEV_SECRET
    return hashlib.sha256(b"inngest-lab realtime\x00" + strip_key_prefix(key).encode()).digest()


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def issue(topics: Sequence[TopicGrant], *, keys: Sequence[str], now_s: int, publish: bool = False) -> str:
    """A token for ``topics``, signed with the primary signing key (or the dev secret)."""
    claims: dict[str, Json] = {
        "iss": ISSUER,
        "sub": ISSUER,
        "env": ENV_ID,
        "topics": [{"kind": t.kind, "env_id": ENV_ID, "channel": t.channel, "name": t.name} for t in topics],
        "publish": publish,
        "exp": now_s + TOKEN_TTL_S,
    }
    head = _b64(json.dumps(_HEADER, separators=(",", ":")).encode())
    body = _b64(json.dumps(claims, separators=(",", ":")).encode())
    signing_input = f"{head}.{body}".encode()
    mac = hmac.new(_secret(keys[0] if keys else None), signing_input, hashlib.sha256).digest()
    return f"{head}.{body}.{_b64(mac)}"


def verify(token: str, *, keys: Sequence[str], now_s: int) -> Grant:
    """The grant of a token this deployment issued; ``TokenError`` otherwise."""
    parts = token.strip().split(".")
    if len(parts) != 3:
        raise TokenError("realtime token is not a JWT")
    signing_input = f"{parts[0]}.{parts[1]}".encode()
    try:
        mac = _unb64(parts[2])
        header = json.loads(_unb64(parts[0]))
        claims = json.loads(_unb64(parts[1]))
    except ValueError:
        raise TokenError("realtime token is malformed") from None
    if not isinstance(header, Mapping) or header.get("alg") != "HS256" or not isinstance(claims, Mapping):
        raise TokenError("realtime token is malformed")
    secrets = [_secret(k) for k in keys] or [_DEV_SECRET]
    if not any(hmac.compare_digest(mac, hmac.new(s, signing_input, hashlib.sha256).digest()) for s in secrets):
        raise TokenError("realtime token signature is invalid")
    exp = claims.get("exp")
    if not isinstance(exp, int) or exp <= now_s:
        raise TokenError("realtime token has expired")
    raw_topics = claims.get("topics")
    topics = tuple(
        TopicGrant(str(t["channel"]), str(t["name"]), str(t.get("kind") or "run"))
        for t in (raw_topics if isinstance(raw_topics, list) else [])
        if isinstance(t, Mapping) and isinstance(t.get("channel"), str) and isinstance(t.get("name"), str)
    )
    return Grant(topics, bool(claims.get("publish")), exp)


def parse_token_request(body: Json) -> list[TopicGrant]:
    """The topics of a ``POST /v1/realtime/token`` body: a JSON array of ``{channel, name, kind}``.

    Raises ``ValueError`` naming what is wrong.
    """
    if not isinstance(body, list) or not body:
        raise ValueError("the body must be a non-empty JSON array of {channel, name, kind}")
    topics: list[TopicGrant] = []
    for i, entry in enumerate(body):
        if not isinstance(entry, Mapping):
            raise ValueError(f"entry {i} must be an object {{channel, name, kind}}")
        channel, name, kind = entry.get("channel"), entry.get("name"), entry.get("kind", "run")
        if not isinstance(channel, str) or not channel:
            raise ValueError(f"entry {i}: channel must be a non-empty string")
        if not isinstance(name, str) or not name:
            raise ValueError(f"entry {i}: name must be a non-empty string")
        topics.append(TopicGrant(channel, name, str(kind or "run")))
    return topics
