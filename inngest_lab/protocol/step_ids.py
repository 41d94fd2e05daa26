"""Step ID hashing, identical to both official SDKs (protocol doc section 4.5)."""

from __future__ import annotations

import functools
import hashlib


@functools.lru_cache(maxsize=4096)  # every call request replays every earlier step of its run
def hash_step_id(user_id: str, index: int = 0) -> str:
    """Return the hashed step id: SHA-1 of ``user_id``, or of ``f"{user_id}:{index}"`` for repeats (index >= 1)."""
    raw = user_id if index == 0 else f"{user_id}:{index}"
    return hashlib.sha1(raw.encode()).hexdigest()  # noqa: S324 - wire format, not security
