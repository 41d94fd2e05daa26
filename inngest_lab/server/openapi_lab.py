"""The spec's operations for the dashboard: the routes its pages read and write (``dashboard_reads``, the app
admin routes of ``ui_app``, the Metrics page's series of ``observability.http``) and its HTML pages and assets
(``ui_app``, not mounted with ``--no-ui``)."""

from __future__ import annotations

from inngest_lab.observability.http import MAX_SERIES_MINUTES
from inngest_lab.server.dashboard_query import TimeField
from inngest_lab.server.openapi_model import LAB, PAGES, Answer, Operation, Query
from inngest_lab.server.openapi_schemas import (
    BOOL,
    FILTER,
    ID,
    INT,
    NO_NUL,
    OBJECT,
    STRING,
    TIME,
    TIME_OR_MS,
    Schema,
    array,
    envelope,
    nullable,
    obj,
    ref,
)
from inngest_lab.server.ui_app import PAGES as PAGE_NAMES


def lab_reply(data: Schema, **metadata: Schema) -> Schema:
    """The dashboard routes' envelope: ``{"data": …, "metadata": {"fetched_at", …}}``."""
    meta = obj(["fetched_at", *metadata], fetched_at=nullable(TIME), **metadata)
    return obj(["data", "metadata"], data=data, metadata=meta)


def _limit(high: int, default: int) -> Schema:
    return {"type": "integer", "minimum": 1, "maximum": high, "default": default}


_FORM_TIME: Schema = {"anyOf": [TIME_OR_MS, {"const": ""}, {"type": "null"}], "description": "empty: no bound"}
_IDS = obj(["ids"], ids=array(STRING))
_SYNC = obj(["url", "ok", "error"], url=STRING, ok=BOOL, error=nullable(STRING))
_MS: Schema = {"type": "number", "description": "milliseconds"}
_BUCKET = obj(
    ["start_ms", "started", "completed", "failed", "cancelled", "steps", "step_p50_ms", "step_p99_ms"],
    start_ms=INT,
    started=INT,
    completed=INT,
    failed=INT,
    cancelled=INT,
    steps=INT,
    step_p50_ms=nullable(_MS),
    step_p99_ms=nullable(_MS),
)
_SERIES = obj(
    ["bucket_s", "buckets", "retention"],
    bucket_s=INT,
    buckets=array(_BUCKET),
    retention={"type": "string", "description": "the retention window as --retention says it (30d); 0: off"},
)
_PAGE = "text/html"
_ASSET = "application/octet-stream"
_TO_LOGIN = Answer(302, "A server with a login, no session: to /login?next=<this page>")
_NO_BUNDLE = Answer(503, "The dashboard bundle is not built (the JSON error says how to build it)", "application/json")

LAB_OPERATIONS: tuple[Operation, ...] = (
    Operation(
        "GET",
        "/lab/runs/page",
        "Runs by cursor, newest first, filtered (CEL search over event and output)",
        LAB,
        lab_reply(array(ref("RunSummary")), next_cursor=nullable(STRING), scanned=INT),
        (
            Query("status", array(ref("RunStatus")), "only runs with one of these statuses"),
            Query("app_id", FILTER, "only runs of this app"),
            Query("function_id", FILTER, "only runs of this function (<app>-<fn>)"),
            Query("time_field", {"type": "string", "enum": [t.value for t in TimeField]}, "what from/to apply to"),
            Query("from", TIME_OR_MS, "only runs at or after this time"),
            Query("to", TIME_OR_MS, "only runs before this time"),
            Query("q", FILTER, "a CEL expression over event and output"),
            Query(
                "cursor",
                {"type": "string", "pattern": NO_NUL},
                "metadata.next_cursor of the previous page (empty: the first)",
            ),
            Query("limit", _limit(200, 50), "how many to return"),
        ),
    ),
    Operation(
        "GET",
        "/lab/functions/stats",
        "Recent run counts by status per function",
        LAB,
        lab_reply(
            {"type": "object", "additionalProperties": {"type": "object", "additionalProperties": INT}},
            hours=INT,
            capped=array(STRING),
        ),
        (Query("hours", _limit(24 * 30, 24), "how far back"),),
    ),
    Operation(
        "GET",
        "/lab/metrics/series",
        "This server process's runs started, completed, failed and cancelled, and step latency p50/p99, per minute"
        " (minutes with none left out), oldest first, and the retention window",
        LAB,
        envelope(_SERIES),
        (Query("minutes", _limit(MAX_SERIES_MINUTES, 60), "how far back"),),
    ),
    Operation(
        "POST",
        "/lab/functions/{functionId}/invoke",
        "Start a function with data (an inngest/function.invoked event)",
        LAB,
        lab_reply(_IDS),
        body=obj(data=OBJECT),
    ),
    Operation(
        "GET",
        "/lab/crons",
        "Every cron trigger with its next ticks in its time zone",
        LAB,
        lab_reply(array(ref("CronInfo"))),
        (Query("count", _limit(50, 5), "how many next ticks"),),
    ),
    Operation(
        "POST",
        "/lab/cancellations/preview",
        "How many runs a bulk cancellation with this body would stop now",
        LAB,
        lab_reply(obj(["count", "at_least"], count=INT, at_least=BOOL)),
        body=obj(
            ["app_id", "function_id"],
            app_id=ID,
            function_id=ID,
            started_after=_FORM_TIME,
            started_before=_FORM_TIME,
            **{"if": nullable(STRING)},
        ),
        body_required=True,
    ),
    Operation(
        "POST",
        "/lab/events/send",
        "Send events as the Event API does, authenticated as the dashboard instead of by an event key",
        LAB,
        lab_reply(_IDS),
        body={"anyOf": [ref("EventInput"), array(ref("EventInput"))]},
        body_required=True,
    ),
    Operation(
        "POST",
        "/lab/apps/sync",
        "Add an app by its serve URL and sync it",
        LAB,
        lab_reply(_SYNC),
        body=obj(["url"], url={"type": "string", "pattern": "^https?://"}),
        body_required=True,
    ),
    Operation("POST", "/lab/apps/{appId}/resync", "Sync an app again", LAB, lab_reply(_SYNC)),
    Operation(
        "DELETE",
        "/lab/apps/{appId}",
        "Remove an app and its functions",
        LAB,
        lab_reply(obj(["id", "removed"], id=STRING, removed=BOOL)),
    ),
    *(
        Operation(
            "GET",
            path,
            "The dashboard (a page of the single-page app)",
            PAGES,
            STRING,
            media_type=_PAGE,
            answers=(_TO_LOGIN, _NO_BUNDLE),
        )
        for path in (
            "/",
            *(f"/{page}" for page in PAGE_NAMES),
            "/runs/{runId}",
            "/events/{eventId}",
            "/functions/{functionId}",
        )
    ),
    *(
        Operation(method, "/ui/{asset}", "A file of the dashboard's bundle", PAGES, STRING, media_type=_ASSET)
        for method in ("GET", "HEAD")
    ),
)
