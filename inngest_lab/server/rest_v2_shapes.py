"""REST API v2's JSON (protocol-next doc section 7; ``proto/api/v2/service.proto`` in inngest/inngest), built from
our records. Pure.

Inngest serves v2 through grpc-gateway: protobuf JSON in lowerCamelCase, RFC 3339 timestamps, unset fields
omitted, enum values without their type prefix (``FUNCTION_RUN_STATUS_COMPLETED`` → ``"COMPLETED"``,
``pkg/api/v2/enum_json.go``), every answer in ``{data, metadata: {fetchedAt}, page?: {cursor?, hasMore, limit}}``
and errors as ``{"errors": [{"code", "message"}]}`` with the codes of ``pkg/api/v2/apiv2base/errors.go``.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum

from inngest_lab.engine.model import App, FunctionDef, Json, Run
from inngest_lab.engine.timeline import SpanKind, SpanStatus
from inngest_lab.protocol.consts import RunStatus
from inngest_lab.server.shapes import rfc3339


class V2ErrorCode(StrEnum):
    """``apiv2base`` error codes. Sent on the wire; never change a value."""

    INVALID_REQUEST = "invalid_request"
    MISSING_FIELD = "missing_field"
    INVALID_FIELD_FORMAT = "invalid_field_format"
    AUTHORIZATION_HEADER_MISSING = "authorization_header_missing"
    INVALID_SIGNING_KEY = "invalid_signing_key"
    NOT_FOUND = "not_found"
    RUN_ALREADY_CANCELLED = "run_already_cancelled"
    RUN_ALREADY_ENDED = "run_already_ended"
    INTERNAL_ERROR = "internal_error"


_RUN_STATUS = {
    RunStatus.QUEUED: "QUEUED",
    RunStatus.RUNNING: "RUNNING",
    RunStatus.COMPLETED: "COMPLETED",
    RunStatus.FAILED: "FAILED",
    RunStatus.CANCELLED: "CANCELLED",
    RunStatus.SKIPPED: "CANCELLED",  # v2 has no Skipped: a skipped run never ran and ended without output
}
STATUS_FILTERS = {"QUEUED", "RUNNING", "COMPLETED", "FAILED", "CANCELLED"}
"""Accepted ``status`` filters (case-insensitive, as Go's ``runStatusesFromAPI``)."""

_SPAN_STATUS = {
    SpanStatus.QUEUED: "RUNNING",
    SpanStatus.RUNNING: "RUNNING",
    SpanStatus.COMPLETED: "COMPLETED",
    SpanStatus.FAILED: "FAILED",
    SpanStatus.ERRORED: "RUNNING",  # an attempt failed and the step is being retried
    SpanStatus.SLEEPING: "WAITING",
    SpanStatus.WAITING: "WAITING",
    SpanStatus.TIMED_OUT: "COMPLETED",  # a wait that timed out returned null: the step itself succeeded
    SpanStatus.CANCELLED: "CANCELLED",
}
_STEP_OP = {SpanKind.RUN: "RUN", SpanKind.SLEEP: "SLEEP", SpanKind.WAIT: "WAIT_FOR_EVENT", SpanKind.INVOKE: "INVOKE"}


def envelope(data: Json, now_ms: int, page: Mapping[str, Json] | None = None) -> dict[str, Json]:
    out: dict[str, Json] = {"data": data, "metadata": {"fetchedAt": rfc3339(now_ms)}}
    if page is not None:
        out["page"] = dict(page)
    return out


def error_body(code: V2ErrorCode, message: str) -> dict[str, Json]:
    return {"errors": [{"code": code.value, "message": message}]}


def run_status(status: RunStatus) -> str:
    return _RUN_STATUS[status]


def function_run(run: Run, *, include_output: bool) -> dict[str, Json]:
    """``FunctionRun``: ``function.id`` is our composite function id, ``app.id`` the app id."""
    out: dict[str, Json] = {
        "id": run.run_id,
        "function": {"id": run.fn_id, "name": run.fn_id, "app": {"id": run.app_id}},
        "app": {"id": run.app_id},
        "status": run_status(run.status),
        "queuedAt": rfc3339(run.created_at_ms),
    }
    if run.started_at_ms is not None:
        out["startedAt"] = rfc3339(run.started_at_ms)
    if run.ended_at_ms is not None:
        out["endedAt"] = rfc3339(run.ended_at_ms)
        out["durationMs"] = run.ended_at_ms - (run.started_at_ms or run.created_at_ms)
    trigger: dict[str, Json] = {"eventIds": list(run.event_ids), "isBatch": len(run.event_ids) > 1}
    name = run.events[0].get("name") if run.events else None
    if name:
        trigger["eventName"] = name
    if run.cron:
        trigger["cronSchedule"] = run.cron
    out["trigger"] = trigger
    if include_output and run.status.is_terminal:
        out["output"] = run.error if run.error is not None else run.output
    return out


def app_json(app: App, functions: int) -> dict[str, Json]:
    """``App`` with its latest sync."""
    sync: dict[str, Json] = {"status": "error" if app.error else "success", "url": app.url}
    if app.synced_at_ms:
        sync["syncedAt"] = rfc3339(app.synced_at_ms)
    language, _, version = app.sdk.partition(":")
    if language:
        sync["sdkLanguage"] = language
    if version:
        sync["sdkVersion"] = version.removeprefix("v")
    if app.framework:
        sync["framework"] = app.framework
    if app.error:
        sync["error"] = app.error
    out: dict[str, Json] = {
        "id": app.app_id,
        "name": app.app_id,
        "method": "SERVE",
        "isArchived": False,
        "functionCount": functions,
        "latestSync": sync,
    }
    if app.synced_at_ms:
        out["createdAt"] = rfc3339(app.synced_at_ms)
    return out


def function_json(fn: FunctionDef, *, paused: bool) -> dict[str, Json]:
    """``Function``: triggers and the configuration Inngest shows (retries, cancellations)."""
    triggers: list[Json] = []
    for t in fn.triggers:
        if t.cron:
            triggers.append({"type": "CRON", "value": t.cron})
        else:
            trig: dict[str, Json] = {"type": "EVENT", "value": t.event or ""}
            if t.expression:
                trig["if"] = t.expression
            triggers.append(trig)
    cancellations: list[Json] = []
    for c in fn.cancel:
        cancel: dict[str, Json] = {"event": c.event}
        if c.if_exp:
            cancel["condition"] = c.if_exp
        if c.timeout_ms is not None:
            cancel["timeout"] = f"{c.timeout_ms // 1000}s"
        cancellations.append(cancel)
    return {
        "id": fn.fn_id,
        "name": fn.name or fn.fn_id,
        "slug": fn.fn_id,
        "isPaused": paused,
        "isArchived": False,
        "app": {"id": fn.app_id},
        "triggers": triggers,
        "configuration": {"cancellations": cancellations, "retries": {"value": fn.retries}},
    }


def trace_json(timeline: Mapping[str, Json], *, include_output: bool) -> dict[str, Json]:
    """``FunctionTrace`` from our timeline (``engine/timeline.py``): the run is the root span, steps its children."""
    children: list[Json] = []
    spans = timeline.get("spans")
    for span in spans if isinstance(spans, list) else []:
        if isinstance(span, Mapping) and span.get("kind") != SpanKind.CALL.value:
            children.append(_span(span, include_output))
    root: dict[str, Json] = {
        "id": str(timeline.get("run_id")),
        "name": str(timeline.get("function_id")),
        "status": _root_status(str(timeline.get("status"))),
        "queuedAt": rfc3339(_int(timeline.get("queued_at_ms"))),
        "children": children,
    }
    _times(root, timeline)
    if include_output and timeline.get("ended_at_ms") is not None:
        output = timeline.get("error") if timeline.get("error") is not None else timeline.get("output")
        if output is not None:
            root["output"] = _struct(output)
    return {"runId": str(timeline.get("run_id")), "rootSpan": root}


def _span(span: Mapping[str, Json], include_output: bool) -> dict[str, Json]:
    kind = SpanKind(str(span.get("kind")))
    out: dict[str, Json] = {
        "id": str(span.get("id")),
        "name": str(span.get("name")),
        "status": _SPAN_STATUS.get(SpanStatus(str(span.get("status"))), "UNKNOWN"),
        "stepId": str(span.get("id")),
        "queuedAt": rfc3339(_int(span.get("queued_at_ms"))),
        "children": [],
    }
    if kind in _STEP_OP:
        out["stepOp"] = _STEP_OP[kind]
    _times(out, span)
    if include_output:
        value = span.get("error") if span.get("error") is not None else span.get("output")
        if value is not None:
            out["output"] = _struct(value)
    return out


def _root_status(status: str) -> str:
    mapped = _RUN_STATUS.get(RunStatus(status), "UNKNOWN")
    return "RUNNING" if mapped == "QUEUED" else mapped


def _times(out: dict[str, Json], source: Mapping[str, Json]) -> None:
    started, ended = source.get("started_at_ms"), source.get("ended_at_ms")
    if isinstance(started, int):
        out["startedAt"] = rfc3339(started)
    if isinstance(ended, int):
        out["endedAt"] = rfc3339(ended)
        out["durationMs"] = ended - (started if isinstance(started, int) else _int(source.get("queued_at_ms")))


def _struct(value: Json) -> Json:
    """A ``google.protobuf.Struct`` holds an object: other values are wrapped as ``{"data": value}``."""
    return value if isinstance(value, dict) else {"data": value}


def _int(value: Json) -> int:
    return value if isinstance(value, int) else 0


# ---------------------------------------------------------------- paging


class CursorInvalid(ValueError):
    pass


@dataclass(frozen=True, slots=True)
class Cursor:
    """Where a page of runs (newest first) ended: the last run's queue time and id."""

    queued_at_ms: int
    run_id: str

    def encode(self) -> str:
        raw = json.dumps([self.queued_at_ms, self.run_id], separators=(",", ":")).encode()
        return base64.urlsafe_b64encode(raw).decode().rstrip("=")

    @staticmethod
    def decode(text: str) -> Cursor:
        try:
            raw = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
            at, run_id = json.loads(raw)
        except (ValueError, TypeError, binascii.Error) as exc:
            raise CursorInvalid("Cursor is invalid") from exc
        if not isinstance(at, int) or not isinstance(run_id, str):
            raise CursorInvalid("Cursor is invalid")
        return Cursor(at, run_id)

    def before(self, run: Run) -> bool:
        """Whether ``run`` comes after this cursor in newest-first order."""
        return (run.created_at_ms, run.run_id) < (self.queued_at_ms, self.run_id)


def page(runs: Sequence[Run], limit: int, has_more: bool) -> dict[str, Json]:
    out: dict[str, Json] = {"hasMore": has_more, "limit": limit}
    if has_more and runs:
        out["cursor"] = Cursor(runs[-1].created_at_ms, runs[-1].run_id).encode()
    return out
