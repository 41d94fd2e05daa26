"""The spec's operations for signals and realtime (``signals_api``, ``realtime_api``; protocol-next §2 and §5.2)."""

from __future__ import annotations

from inngest_lab.server.openapi_model import LAB, REST, Answer, Operation, Query
from inngest_lab.server.openapi_schemas import ANY, STRING, array, envelope, nullable, obj

_NAME = {"type": "string", "minLength": 1}
_TOKEN = Query("token", STRING, "a subscription token (or Authorization: Bearer <token>)")
_STREAM = "text/event-stream"

REALTIME_OPERATIONS: tuple[Operation, ...] = (
    Operation(
        "POST",
        "/v1/signals",
        "Deliver a signal to the run whose step.waitForSignal holds it (404: nothing waits for it)",
        REST,
        envelope(obj(["run_id"], run_id=STRING)),
        body=obj(["signal"], signal={**_NAME, "pattern": "\\S"}, data=ANY),
        body_required=True,
        errors=(404,),
    ),
    Operation(
        "POST",
        "/v1/realtime/publish",
        "Publish a message (the body: JSON, or text) on a channel's topic",
        REST,
        None,
        (
            Query("channel", _NAME, "the channel"),
            Query("topic", _NAME, "the topic"),
            Query("run_id", STRING, "the run that publishes, if any"),
        ),
        body=ANY,
        answers=(Answer(200, "Published (no body)"),),
    ),
    Operation(
        "POST",
        "/v1/realtime/token",
        "A subscription token for channels' topics",
        REST,
        None,
        body=array(obj(["channel", "name"], channel=_NAME, name=_NAME, kind=nullable(STRING))),
        body_required=True,
        answers=(Answer(201, "The token", "application/json", obj(["jwt"], jwt=STRING)),),
    ),
    Operation(
        "GET",
        "/v1/realtime/sse",
        "Server-Sent Events: the messages the token grants, data: <json> each",
        REST,
        STRING,
        (_TOKEN,),
        media_type=_STREAM,
    ),
    Operation(
        "GET",
        "/v1/realtime/connect",
        "WebSocket (Upgrade: websocket): one JSON message per text frame; sub and unsub accepted",
        REST,
        None,
        (_TOKEN,),
        answers=(Answer(101, "Switching to the WebSocket protocol"),),
    ),
    Operation(
        "GET",
        "/lab/runs/{runId}/realtime",
        "Server-Sent Events of every message a run published",
        LAB,
        STRING,
        media_type=_STREAM,
    ),
)
