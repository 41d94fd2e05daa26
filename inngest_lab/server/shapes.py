"""REST v1 JSON shapes, as Inngest's ``pkg/api/apiv1`` writes them (protocol doc section 6.3). Pure."""

from __future__ import annotations

import re
from datetime import UTC, datetime

from inngest_lab.engine.model import App, EventRecord, FunctionDef, Json, Run

MAX_EPOCH_MS = 62_135_596_800_000
"""Epoch ms beyond this either way are no time: year 1 before 1970 (``datetime``'s floor) and year 3939 after, so
every accepted bound can also be written back as RFC 3339 (a larger one stored a cancellation whose every later
listing failed to format it)."""
_LEAP_SECOND = re.compile(r"([Tt ]\d{2}:\d{2}):60")
ZERO_UUID = "00000000-0000-0000-0000-000000000000"
"""Account and environment ids: a single-tenant server has one of each."""


def rfc3339(ms: int | None) -> str | None:
    """Epoch ms to an RFC 3339 UTC timestamp with millisecond precision (``…Z``)."""
    if ms is None:
        return None
    dt = datetime.fromtimestamp(ms / 1000, tz=UTC)
    return dt.strftime("%Y-%m-%dT%H:%M:%S.") + f"{ms % 1000:03d}Z"


def parse_time_ms(value: str | int) -> int:
    """Parse a timestamp: RFC 3339 (``2026-01-01T00:00:00Z``) or integer epoch ms (an int, or its digits).

    Raises ``ValueError`` when it is neither, or lies beyond ``MAX_EPOCH_MS`` either side of 1970.
    """
    if isinstance(value, int) and not isinstance(value, bool):
        return _bounded(value, str(value))
    text = str(value).strip()
    if text.lstrip("-").isdigit():
        return _bounded(int(text), text)
    # Valid RFC 3339 that datetime refuses: a leap second (:60), and year 0000 (before any event either way).
    text = _LEAP_SECOND.sub(r"\1:59", text)
    if text.startswith("0000-"):
        text = "0001-" + text[5:]
    dt = datetime.fromisoformat(text.replace("Z", "+00:00").replace("z", "+00:00"))
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=UTC)
    try:
        return int(dt.timestamp() * 1000)
    except OverflowError:  # an offset that moves 9999-12-31 past datetime's range
        raise ValueError(f"timestamp out of range: {value}") from None


def _bounded(ms: int, text: str) -> int:
    if not -MAX_EPOCH_MS <= ms <= MAX_EPOCH_MS:
        raise ValueError(f"timestamp out of range: {text}")
    return ms


def envelope(data: Json, now_ms: int) -> dict[str, Json]:
    """``{"data": …, "metadata": {"fetched_at": …, "cached_until": null}}``."""
    return {"data": data, "metadata": {"fetched_at": rfc3339(now_ms), "cached_until": None}}


def event_json(event: EventRecord) -> dict[str, Json]:
    """One event: the wire payload plus its internal id and reception time."""
    payload = event.payload
    out: dict[str, Json] = {
        "internal_id": event.internal_id,
        "account_id": ZERO_UUID,
        "environment_id": ZERO_UUID,
        "source": "",
        "source_id": None,
        "received_at": rfc3339(event.received_at_ms),
        "id": payload.get("id", event.internal_id),
        "name": payload.get("name"),
        "data": payload.get("data", {}),
        "user": payload.get("user", {}),
        "ts": payload.get("ts"),
    }
    if "v" in payload:
        out["v"] = payload["v"]
    return out


def run_json(run: Run, fn_version: int = 1) -> dict[str, Json]:
    """One run, Go's ``FunctionRun`` shape (``function_id`` is our composite slug)."""
    out: dict[str, Json] = {
        "run_id": run.run_id,
        "run_started_at": rfc3339(run.started_at_ms if run.started_at_ms is not None else run.created_at_ms),
        "function_id": run.fn_id,
        "function_version": fn_version,
        "environment_id": ZERO_UUID,
        "event_id": run.event_ids[0] if run.event_ids else None,
        "status": run.status.value,
        "ended_at": rfc3339(run.ended_at_ms),
    }
    if run.original_run_id:
        out["original_run_id"] = run.original_run_id
    if run.cron:
        out["cron"] = run.cron
    if run.skip_reason:
        out["skip_reason"] = run.skip_reason
    if run.status.is_terminal:
        out["output"] = run.error if run.error is not None else run.output
    return out


def run_summary_json(run: Run) -> dict[str, Json]:
    """A run as dashboards list it: ``run_json`` plus its app, trigger and times in epoch ms."""
    out = run_json(run)
    out.update(
        {
            "app_id": run.app_id,
            "event_name": run.events[0].get("name") if run.events else None,
            "queued_at_ms": run.created_at_ms,
            "started_at_ms": run.started_at_ms,
            "ended_at_ms": run.ended_at_ms,
        }
    )
    return out


def function_json(fn: FunctionDef) -> dict[str, Json]:
    """A registered function: slug, name, app, triggers, retries and its flow-control configuration."""
    flow = {k: fn.config[k] for k in FLOW_CONTROL_KEYS if fn.config.get(k) is not None}
    return {
        "id": fn.fn_id,
        "name": fn.name,
        "app_id": fn.app_id,
        "url": fn.url,
        "triggers": [
            {k: v for k, v in (("event", t.event), ("expression", t.expression), ("cron", t.cron)) if v is not None}
            for t in fn.triggers
        ],
        "retries": fn.retries,
        "cancel": [{"event": c.event, "if": c.if_exp, "timeout_ms": c.timeout_ms} for c in fn.cancel],
        "flow_control": flow,
    }


def app_json(app: App, function_count: int) -> dict[str, Json]:
    return {
        "id": app.app_id,
        "url": app.url,
        "sdk": app.sdk,
        "framework": app.framework,
        "error": app.error,
        "synced_at": rfc3339(app.synced_at_ms or None),
        "function_count": function_count,
    }


FLOW_CONTROL_KEYS = (
    "concurrency",
    "throttle",
    "rateLimit",
    "debounce",
    "batchEvents",
    "priority",
    "singleton",
    "idempotency",
    "timeouts",
)
"""Registration keys (protocol doc section 3.2) that a function table shows as its flow control."""
