"""The spec's operations for REST API v2 (``rest_v2.py``, shapes in ``rest_v2_shapes.py``), under both of its
prefixes (``/v2`` and ``/api/v2``, ``rest_v2.PREFIXES``), built from one list.

v2 follows Inngest's conventions, not the rest of this API's: lowerCamelCase fields, RFC 3339 times, enums
without their type prefix, answers in ``{data, metadata: {fetchedAt}, page?}`` and errors as
``{"errors": [{"code", "message"}]}`` (``V2Error``). Its component schemas are ``V2_SCHEMAS``, named ``V2…``.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from inngest_lab.server.openapi_model import REST_V2, Answer, Operation, Query
from inngest_lab.server.openapi_schemas import (
    ANY,
    BOOL,
    INT,
    NO_NUL,
    OBJECT,
    STRING,
    TIME,
    TIME_OR_MS,
    Schema,
    array,
    nullable,
    obj,
    ref,
)
from inngest_lab.server.rest_v2 import MAX_EVENT_RUNS_LIMIT, MAX_LIMIT, PREFIXES
from inngest_lab.server.rest_v2_shapes import STATUS_FILTERS, V2ErrorCode


def _enum(values: list[str], description: str) -> Schema:
    return {"type": "string", "enum": values, "description": description}


_RUN_STATUS = sorted(STATUS_FILTERS)
_SPAN_STATUS = ["CANCELLED", "COMPLETED", "FAILED", "RUNNING", "UNKNOWN", "WAITING"]
_REF = obj(["id"], id=STRING)

V2_SCHEMAS: dict[str, Schema] = {
    "V2Error": obj(
        ["errors"],
        errors={
            **array(
                obj(
                    ["code", "message"],
                    code=_enum([c.value for c in V2ErrorCode], "machine-readable error code (Inngest's apiv2base)"),
                    message={"type": "string", "description": "what was wrong, naming the field or parameter"},
                )
            ),
            "minItems": 1,
        },
    ),
    "V2Metadata": obj(["fetchedAt"], fetchedAt=TIME),
    "V2Page": obj(
        ["hasMore", "limit"],
        cursor={"type": "string", "description": "pass as ?cursor= for the next page (only when hasMore)"},
        hasMore=BOOL,
        limit=INT,
    ),
    "V2FunctionRun": obj(
        ["id", "function", "app", "status", "queuedAt", "trigger"],
        id=STRING,
        function=obj(["id", "name", "app"], id=STRING, name=STRING, app=_REF),
        app=_REF,
        status=_enum(_RUN_STATUS, "the run's status (a skipped run is CANCELLED)"),
        queuedAt=TIME,
        startedAt=TIME,
        endedAt=TIME,
        durationMs=INT,
        trigger=obj(
            ["eventIds", "isBatch"],
            eventIds=array(STRING),
            isBatch=BOOL,
            eventName=STRING,
            cronSchedule=STRING,
        ),
        output={**ANY, "description": "the output, or the error of a failed run (with includeOutput, once ended)"},
    ),
    "V2App": obj(
        ["id", "name", "method", "isArchived", "functionCount", "latestSync"],
        id=STRING,
        name=STRING,
        method=_enum(["SERVE"], "how the app is reached"),
        isArchived=BOOL,
        functionCount=INT,
        createdAt=TIME,
        latestSync=obj(
            ["status", "url"],
            status=_enum(["error", "success"], "how the latest sync went"),
            url=STRING,
            syncedAt=TIME,
            sdkLanguage=STRING,
            sdkVersion=STRING,
            framework=STRING,
            error=STRING,
        ),
    ),
    "V2Function": obj(
        ["id", "name", "slug", "isPaused", "isArchived", "app", "triggers", "configuration"],
        id=STRING,
        name=STRING,
        slug=STRING,
        isPaused=BOOL,
        isArchived=BOOL,
        app=_REF,
        triggers=array(
            obj(["type", "value"], type=_enum(["CRON", "EVENT"], "trigger kind"), value=STRING, **{"if": STRING})
        ),
        configuration=obj(
            ["cancellations", "retries"],
            cancellations=array(obj(["event"], event=STRING, condition=STRING, timeout=STRING)),
            retries=obj(["value"], value=INT),
        ),
    ),
    "V2Span": obj(
        ["id", "name", "status", "queuedAt", "children"],
        id=STRING,
        name=STRING,
        status=_enum(_SPAN_STATUS, "the span's status"),
        stepId=STRING,
        stepOp=_enum(["INVOKE", "RUN", "SLEEP", "WAIT_FOR_EVENT"], "what the step does"),
        queuedAt=TIME,
        startedAt=TIME,
        endedAt=TIME,
        durationMs=INT,
        output={**OBJECT, "description": "an object, or {data: value} for any other value"},
        children=array(ref("V2Span")),
    ),
    "V2Trace": obj(["runId", "rootSpan"], runId=STRING, rootSpan=ref("V2Span")),
}
"""The v2 component schemas (merged into the spec's ``components.schemas``)."""


def _reply(data: Schema, *, paged: bool = False) -> Schema:
    """v2's envelope: ``{data, metadata: {fetchedAt}}``, with ``page`` on lists."""
    required = ["data", "metadata", "page"] if paged else ["data", "metadata"]
    extra = {"page": ref("V2Page")} if paged else {}
    return obj(required, data=data, metadata=ref("V2Metadata"), **extra)


def _limit(high: int) -> Query:
    return Query("limit", {"type": "integer", "minimum": 1, "maximum": high, "default": 20}, "how many to return")


_OUTPUT = Query("includeOutput", BOOL, "include outputs (false by default)")
_CURSOR = Query("cursor", {"type": "string"}, "page.cursor of the previous page (empty: the first)")


def _run_filters(high: int) -> tuple[Query, ...]:
    return (
        Query("status", array(_enum(_RUN_STATUS, "run status")), "only runs with one of these statuses (repeat)"),
        Query("appId", array(_FILTER), "only runs of these apps (repeat)"),
        Query("functionId", array(_FILTER), "only runs of these functions (<app>-<fn>; repeat)"),
        Query("from", TIME_OR_MS, "only runs queued at or after this time"),
        Query("until", TIME_OR_MS, "only runs queued before this time"),
        Query("timeField", _enum(["queuedAt"], "what from/until apply to (only queuedAt)"), "time field"),
        Query("order", _enum(["DESC"], "newest first (the only order)"), "order"),
        _OUTPUT,
        _CURSOR,
        _limit(high),
    )


_FILTER: Schema = {"type": "string", "pattern": NO_NUL}
_RUN_ID = obj(["runId"], runId=STRING)
_FN = "/apps/{appId}/functions/{functionId}"
_RELATIVE: tuple[tuple[str, str, str, Schema | None, dict[str, Any]], ...] = (
    ("GET", "/health", "v2 liveness", _reply(obj(["status"], status={"const": "ok"})), {}),
    (
        "POST",
        "/events",
        "Send one event; answers 201 with its id",
        None,
        {
            "body": ref("EventInput"),
            "body_required": True,
            "answers": (Answer(201, "Sent", "application/json", _reply(obj(["eventId"], eventId=STRING))),),
        },
    ),
    (
        "GET",
        "/events/{eventId}/runs",
        "The runs an event (by internal id) started, newest first",
        _reply(array(ref("V2FunctionRun")), paged=True),
        {"query": _run_filters(MAX_EVENT_RUNS_LIMIT)},
    ),
    (
        "GET",
        "/runs",
        "Runs, newest first",
        _reply(array(ref("V2FunctionRun")), paged=True),
        {"query": _run_filters(MAX_LIMIT)},
    ),
    ("GET", "/runs/{runId}", "One run", _reply(ref("V2FunctionRun")), {"query": (_OUTPUT,)}),
    ("POST", "/runs/{runId}/cancel", "Cancel a run (409 once it has ended)", _reply(_RUN_ID), {"errors": (409,)}),
    (
        "POST",
        "/runs/{runId}/rerun",
        "Rerun a run, or from a step; answers the new run's id",
        _reply(_RUN_ID),
        {"body": ref("RerunInput")},
    ),
    ("GET", "/runs/{runId}/trace", "A run as a span tree", _reply(ref("V2Trace")), {"query": (_OUTPUT,)}),
    ("GET", "/apps", "Synced apps, by id", _reply(array(ref("V2App")), paged=True), {"query": (_CURSOR, _limit(100))}),
    ("GET", "/apps/{appId}", "One app with its latest sync", _reply(ref("V2App")), {}),
    (
        "GET",
        "/apps/{appId}/functions",
        "An app's functions, by id",
        _reply(array(ref("V2Function")), paged=True),
        {"query": (_CURSOR, _limit(MAX_LIMIT))},
    ),
    ("GET", _FN, "One function (its composite id or its id within the app)", _reply(ref("V2Function")), {}),
    (
        "GET",
        f"{_FN}/runs",
        "Runs of one function, newest first",
        _reply(array(ref("V2FunctionRun")), paged=True),
        {"query": _run_filters(MAX_LIMIT)},
    ),
    (
        "POST",
        f"{_FN}/invoke",
        "Start a function now with data (409 when flow control holds it)",
        _reply(obj(["runId", "queuedAt"], runId=STRING, queuedAt=TIME)),
        {
            "body": obj(
                data=nullable(OBJECT),
                idempotencyKey={**nullable(STRING), "description": "becomes the event's id"},
            ),
            "errors": (409,),
        },
    ),
)


def _operations() -> tuple[Operation, ...]:
    return tuple(
        replace(Operation(method, prefix + path, summary, REST_V2, reply, error=ref("V2Error")), **extra)
        for prefix in PREFIXES
        for method, path, summary, reply, extra in _RELATIVE
    )


V2_OPERATIONS: tuple[Operation, ...] = _operations()
"""Every v2 operation, once per prefix."""
