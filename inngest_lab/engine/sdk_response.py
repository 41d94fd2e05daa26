"""Reading an SDK's HTTP answer: headers, protocol version, the error it reports, when to retry."""

from __future__ import annotations

import json
from collections.abc import Mapping

from inngest_lab.engine.backoff import retry_after_ms, retry_delay_ms
from inngest_lab.engine.model import Json
from inngest_lab.engine.signals import SdkResponded
from inngest_lab.protocol.consts import ErrorName, Header


def header(headers: Mapping[str, str], name: Header) -> str | None:
    """The value of ``name`` in ``headers`` (whose keys are lowercased by the shell), or None."""
    return headers.get(name.value.lower())


def req_version(headers: Mapping[str, str]) -> int:
    """The request version the SDK speaks (1 or 2); 2 when absent or unrecognised."""
    raw = header(headers, Header.REQ_VERSION)
    try:
        v = int(raw) if raw else 2
    except ValueError:
        v = 2
    return v if v in (1, 2) else 2


def error_from_body(r: SdkResponded) -> dict[str, Json]:
    """The ``{name, message, …}`` error a failed call reports (transport errors and non-JSON bodies included)."""
    if r.transport_error:
        return {"name": ErrorName.SDK_UNREACHABLE.value, "message": r.transport_error}
    body = r.body
    if isinstance(body, dict) and ("message" in body or "name" in body):
        err = {k: body[k] for k in ("name", "message", "stack", "code") if k in body}
        err.setdefault("name", "Error")
        return err
    text = body if isinstance(body, str) else json.dumps(body)[:1000]
    return {"name": ErrorName.SDK_RESPONSE.value, "message": f"HTTP {r.status}: {text}"}


def retry_delay(r: SdkResponded, attempt: int, now_ms: int, jitter: float, interval_ms: int | None) -> int:
    """Milliseconds until the next attempt: the SDK's ``Retry-After`` wins over the backoff table / interval."""
    value = header(r.headers, Header.RETRY_AFTER)
    if value:
        after = retry_after_ms(value, now_ms)
        if after is not None:
            return after
    return retry_delay_ms(attempt, jitter, interval_ms)
