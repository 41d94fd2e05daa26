"""The JSON shapes of the HTTP API, as OpenAPI 3.1 component schemas (JSON Schema 2020-12). Pure data.

Each schema describes what a handler writes (``server/shapes.py``, ``ops_api.py``, ``engine/timeline.py``…) or
reads; wire enums are built from the code's own enums (``RunStatus``, ``SpanKind``…), so they cannot drift.
Objects stay open (no ``additionalProperties: false``): a new field is not a breaking change. Names match the
front end's types (``extension/src/tokens.ts``: ``RunSummary`` for ``IRunSummary``…), which are generated from
this spec into ``extension/src/api.gen.ts``.
"""

from __future__ import annotations

from typing import Any

from inngest_lab.engine.model import HistoryKind
from inngest_lab.engine.timeline import SpanKind, SpanStatus
from inngest_lab.protocol.consts import RESERVED_EVENT_PREFIX, RunStatus
from inngest_lab.protocol.events import MAX_EVENT_NAME_LENGTH, MAX_TS_MS, MIN_TS_MS
from inngest_lab.server.errors import ErrorCode
from inngest_lab.server.shapes import MAX_EPOCH_MS

Schema = dict[str, Any]


def ref(name: str) -> Schema:
    return {"$ref": f"#/components/schemas/{name}"}


def nullable(schema: Schema) -> Schema:
    """``schema`` or null (3.1 style: a type list, or ``anyOf`` for a reference)."""
    if "type" in schema and isinstance(schema["type"], str):
        return {**schema, "type": [schema["type"], "null"]}
    return {"anyOf": [schema, {"type": "null"}]}


def obj(required: list[str] | None = None, **properties: Schema) -> Schema:
    out: Schema = {"type": "object", "properties": properties}
    if required:
        out["required"] = required
    return out


def array(items: Schema) -> Schema:
    return {"type": "array", "items": items}


def envelope(data: Schema) -> Schema:
    """The v1 REST envelope ``{"data": …, "metadata": {"fetched_at", "cached_until"}}``."""
    return obj(["data", "metadata"], data=data, metadata=ref("Metadata"))


STRING: Schema = {"type": "string"}
NO_NUL = "^[^\\u0000]*$"
"""No identifier or filter holds a NUL character (``server/params.no_nul``)."""
ID: Schema = {"type": "string", "minLength": 1, "pattern": NO_NUL}
FILTER: Schema = ID  # a query filter: leave it out for none
INT: Schema = {"type": "integer"}
BOOL: Schema = {"type": "boolean"}
ANY: Schema = {}  # any JSON value (outputs, errors, step memos)
OBJECT: Schema = {"type": "object"}
TIME: Schema = {"type": "string", "description": "RFC 3339 UTC timestamp with milliseconds (…Z)"}
TIME_OR_MS: Schema = {
    "anyOf": [
        {"type": "string", "format": "date-time"},
        {"type": "integer", "minimum": -MAX_EPOCH_MS, "maximum": MAX_EPOCH_MS},
    ],
    "description": "RFC 3339 timestamp or epoch milliseconds",
}


def _enum(values: list[str], description: str) -> Schema:
    return {"type": "string", "enum": values, "description": description}


SCHEMAS: dict[str, Schema] = {
    "ErrorBody": obj(
        ["code", "error", "status"],
        code=_enum([c.value for c in ErrorCode], "machine-readable error code"),
        error={"type": "string", "description": "what was wrong, naming the field or parameter"},
        status=INT,
    ),
    "EventApiError": obj(
        ["status", "error"],
        ids=array(STRING),
        status=INT,
        error=STRING,
        message=STRING,
    ),
    "Metadata": obj(["fetched_at", "cached_until"], fetched_at=nullable(TIME), cached_until={"type": "null"}),
    "RunStatus": _enum([s.value for s in RunStatus], "run status, as Inngest names it"),
    "SpanKind": _enum([k.value for k in SpanKind], "what a timeline span is"),
    "SpanStatus": _enum([s.value for s in SpanStatus], "status of a span or an attempt"),
    "HistoryKind": _enum([k.value for k in HistoryKind], "kind of a run history entry"),
    "EventInput": obj(
        ["name"],
        name={
            "type": "string",
            "maxLength": MAX_EVENT_NAME_LENGTH,
            # not blank (Python's notion of whitespace, which also counts \x1c-\x1f and \x85)
            "pattern": "[^\\s\\x1c-\\x1f\\x85]",
            "not": {"pattern": "^[iI][nN][nN][gG][eE][sS][tT]/"},
            "allOf": [{"pattern": NO_NUL}],
            "description": f"event name; the {RESERVED_EVENT_PREFIX} prefix is reserved",
        },
        data=nullable(OBJECT),
        user=nullable(OBJECT),
        id=nullable(STRING),
        ts={
            "anyOf": [
                {"type": "integer", "minimum": MIN_TS_MS, "exclusiveMaximum": MAX_TS_MS},
                {"const": 0},
                {"type": "null"},
            ],
            "description": "epoch ms, 1980 to 2100; 0 or missing: now",
        },
        v={"description": "the event's version, a string; any other value is ignored"},
    ),
    "EventApiReply": obj(["ids", "status"], ids=array(STRING), status=INT),
    "EventInfo": obj(
        ["internal_id", "id", "name", "data", "user", "ts", "received_at"],
        internal_id=STRING,
        account_id=STRING,
        environment_id=STRING,
        source=STRING,
        source_id={"type": "null"},
        received_at=TIME,
        id=STRING,
        name=STRING,
        data=OBJECT,
        user=OBJECT,
        ts=nullable(INT),
        v=STRING,
    ),
    "Run": obj(
        ["run_id", "function_id", "status", "event_id", "run_started_at", "ended_at"],
        run_id=STRING,
        run_started_at=nullable(TIME),
        function_id={"type": "string", "description": "composite id <app>-<fn>"},
        function_version=INT,
        environment_id=STRING,
        event_id=nullable(STRING),
        status=ref("RunStatus"),
        ended_at=nullable(TIME),
        original_run_id=STRING,
        cron=STRING,
        skip_reason=STRING,
        output={"description": "the result, or the error of a failed run (ended runs only)"},
    ),
    "RunSummary": {
        "allOf": [
            ref("Run"),
            obj(
                ["app_id", "event_name", "queued_at_ms", "started_at_ms", "ended_at_ms"],
                app_id=STRING,
                event_name=nullable(STRING),
                queued_at_ms=INT,
                started_at_ms=nullable(INT),
                ended_at_ms=nullable(INT),
            ),
        ]
    },
    "V0Cancelled": obj(["run_id", "status"], run_id=STRING, status=ref("RunStatus")),
    "AppInfo": obj(
        ["id", "url", "sdk", "framework", "error", "synced_at", "function_count"],
        id=STRING,
        url=STRING,
        sdk=STRING,
        framework=STRING,
        error=nullable(STRING),
        synced_at=nullable(TIME),
        function_count=INT,
    ),
    "Trigger": obj(event=STRING, expression=STRING, cron=STRING),
    "FunctionInfo": obj(
        ["id", "name", "app_id", "url", "triggers", "retries", "cancel", "flow_control"],
        id=STRING,
        name=STRING,
        app_id=STRING,
        url=STRING,
        triggers=array(ref("Trigger")),
        retries=INT,
        cancel=array(
            obj(["event", "if", "timeout_ms"], event=STRING, **{"if": nullable(STRING)}, timeout_ms=nullable(INT))
        ),
        flow_control=OBJECT,
    ),
    "Attempt": obj(
        ["attempt", "status", "queued_at_ms", "started_at_ms", "ended_at_ms", "error", "flow_wait_ms"],
        attempt=INT,
        status=ref("SpanStatus"),
        queued_at_ms=INT,
        started_at_ms=INT,
        ended_at_ms=INT,
        error=ANY,
        flow_wait_ms=INT,
    ),
    "Span": obj(
        [
            *("id", "name", "kind", "status", "queued_at_ms", "started_at_ms", "ended_at_ms"),
            *("output", "error", "input", "detail", "attempts"),
        ],
        id=STRING,
        name=STRING,
        kind=ref("SpanKind"),
        status=ref("SpanStatus"),
        queued_at_ms=INT,
        started_at_ms=nullable(INT),
        ended_at_ms=nullable(INT),
        output=ANY,
        error=ANY,
        input={"description": "the arguments the step ran with (a JSON array), when its SDK reports them"},
        detail=OBJECT,
        attempts=array(ref("Attempt")),
    ),
    "Timeline": obj(
        [
            *("run_id", "function_id", "app_id", "status", "event_name", "event_ids", "queued_at_ms"),
            *("started_at_ms", "ended_at_ms", "now_ms", "output", "error", "spans", "skip_reason", "flow"),
        ],
        run_id=STRING,
        function_id=STRING,
        app_id=STRING,
        status=ref("RunStatus"),
        event_name=nullable(STRING),
        event_ids=array(STRING),
        queued_at_ms=INT,
        started_at_ms=nullable(INT),
        ended_at_ms=nullable(INT),
        now_ms=INT,
        output=ANY,
        error=ANY,
        spans=array(ref("Span")),
        skip_reason=nullable(STRING),
        flow=array(OBJECT),
    ),
    "Cancellation": obj(
        [
            *("id", "environment_id", "app_id", "function_id", "started_after", "started_before", "if"),
            *("created_at", "cancelled", "done"),
        ],
        id=STRING,
        environment_id=STRING,
        app_id=STRING,
        function_id=STRING,
        started_after=nullable(TIME),
        started_before=TIME,
        **{"if": nullable(STRING)},
        created_at=TIME,
        cancelled=INT,
        done=BOOL,
    ),
    "CancellationInput": obj(
        ["app_id", "function_id", "started_before"],
        app_id=ID,
        function_id={**ID, "description": "the function's id within its app"},
        started_before=TIME_OR_MS,
        started_after=nullable(TIME_OR_MS),
        **{"if": nullable({"type": "string", "description": "CEL expression over the run's event"})},
    ),
    "PauseState": obj(
        ["function_id", "paused", "paused_at"], function_id=STRING, paused=BOOL, paused_at=nullable(TIME)
    ),
    "PauseInput": obj(cancel_running=BOOL),
    "RerunInput": obj(
        fromStep=nullable(
            obj(
                ["stepId"],
                stepId={**ID, "description": "hashed id of the step to run again"},
                input=nullable(array(ANY)),
            )
        )
    ),
    "RerunReply": obj(
        ["data", "metadata"],
        data=obj(["runId"], runId=STRING),
        metadata=obj(["fetchedAt"], fetchedAt=nullable(STRING)),
    ),
    "Replayed": obj(["id", "replay_of"], id=STRING, replay_of=STRING),
    "HistoryEntry": obj(
        ["run_id", "at_ms", "kind", "attempt"],
        run_id=STRING,
        at_ms=INT,
        kind=ref("HistoryKind"),
        step_id=nullable(STRING),
        name=nullable(STRING),
        attempt=INT,
        data=ANY,
    ),
    "RunState": obj(
        ["meta", "steps", "stack"],
        meta={"type": "object", "description": "the run record, as the store's codec encodes it"},
        steps={"type": "object", "description": "hashed step id -> memo"},
        stack=array(STRING),
    ),
    "RunStateWithHistory": obj(["run", "history"], run=ref("RunState"), history=array(ref("HistoryEntry"))),
    "FunctionState": obj(
        ["fn_id", "app_id", "name", "url", "triggers", "config"],
        fn_id=STRING,
        app_id=STRING,
        name=STRING,
        url=STRING,
        triggers=array(OBJECT),
        retries=nullable(INT),
        cancel=array(OBJECT),
        config=OBJECT,
        version=INT,
    ),
    "DevInfo": obj(
        ["version", "startOpts", "apps", "functions"],
        version=STRING,
        startOpts=obj(sdkURLs=array(STRING), autodiscover=BOOL, poll=BOOL, pollInterval={"type": "number"}),
        apps=array(OBJECT),
        functions=array(OBJECT),
        syncs=OBJECT,
    ),
    "CronInfo": obj(
        ["function_id", "name", "app_id", "cron", "zone", "next", "error"],
        function_id=STRING,
        name=STRING,
        app_id=STRING,
        cron=STRING,
        zone=nullable(STRING),
        next=array(obj(["at_ms", "local"], at_ms=INT, local={"type": "string", "description": "ISO 8601 in zone"})),
        error=nullable(STRING),
    ),
    "Health": obj(["status", "message"], status=INT, message=STRING),
    "Deleted": obj(["ok"], ok=BOOL),
}
