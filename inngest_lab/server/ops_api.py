"""REST for operator actions (``executor/operations.py``), in Inngest's shapes where Inngest defines them.

    POST   /v1/cancellations               bulk cancellation {app_id, function_id, started_after?, started_before, if?}
    GET    /v1/cancellations               list them, newest first
    GET    /v1/cancellations/{id}          one (with progress: ``cancelled``, ``done``)
    DELETE /v1/cancellations/{id}          forget it; batches not yet processed are dropped
    GET    /v1/functions/{fn}/pause        {function_id, paused, paused_at}
    POST   /v1/functions/{fn}/pause        pause (body optional: {"cancel_running": bool})
    POST   /v1/functions/{fn}/resume       resume
    POST   /v1/events/{id}/replay          send a stored event again → {"data": {"id": <new event id>}}

``{fn}`` is the composite function id (``<app>-<fn>``). Inngest has no public pause or replay route (pausing is a
dashboard action, inngest/inngest#2833); those two shapes are ours. Every route requires the Bearer token when
signing keys are set. ``POST /v2/runs/{id}/rerun`` is REST v2's and lives in ``rest_v2.py``.
"""

from __future__ import annotations

from collections.abc import Awaitable
from datetime import UTC, datetime
from typing import Any, TypeVar

from inngest_lab.engine.bulk_cancel import Cancellation
from inngest_lab.engine.model import Json
from inngest_lab.engine.operations import NotFoundError, OperationError
from inngest_lab.executor.operations import PauseState
from inngest_lab.server.errors import BadRequest, as_api_error
from inngest_lab.server.params import no_nul
from inngest_lab.server.rest_api import AuthedHandler
from inngest_lab.server.shapes import parse_time_ms

T = TypeVar("T")
LOCAL_ENVIRONMENT = "local"


def _iso(ms: int | None) -> str | None:
    if ms is None:
        return None
    return datetime.fromtimestamp(ms / 1000, tz=UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def cancellation_json(c: Cancellation) -> dict[str, Json]:
    """Inngest's cancellation object, plus ``app_id``, ``created_at`` and the progress fields."""
    return {
        "id": c.cancellation_id,
        "environment_id": LOCAL_ENVIRONMENT,
        "app_id": c.app_id,
        "function_id": c.function_id,
        "started_after": _iso(c.started_after_ms),
        "started_before": _iso(c.started_before_ms),
        "if": c.if_exp,
        "created_at": _iso(c.created_at_ms),
        "cancelled": c.cancelled,
        "done": c.done,
    }


def pause_json(state: PauseState) -> dict[str, Json]:
    return {"function_id": state.function_id, "paused": state.paused, "paused_at": _iso(state.paused_at_ms)}


class OpsHandler(AuthedHandler):
    """Maps the operations' domain errors to 400/404 here (they are expected, not worth a traceback)."""

    async def attempt(self, work: Awaitable[T]) -> T:
        try:
            return await work
        except (OperationError, NotFoundError) as exc:
            raise as_api_error(exc) from None

    def object_body(self, *, optional: bool = False) -> dict[str, Any]:
        if optional and not self.request.body.strip():
            return {}
        body = self.json_body()
        if not isinstance(body, dict):
            raise BadRequest("the body must be a JSON object")
        return body


def _time(body: dict[str, Any], name: str, *, required: bool) -> int | None:
    raw = body.get(name)
    if raw is None:
        if required:
            raise BadRequest(f"{name} is required")
        return None
    if isinstance(raw, bool) or not isinstance(raw, int | str):
        raise BadRequest(f"{name} must be an RFC 3339 timestamp")
    try:
        return parse_time_ms(raw)
    except ValueError:
        raise BadRequest(f"{name} must be an RFC 3339 timestamp or epoch milliseconds") from None


def _text(body: dict[str, Any], name: str) -> str:
    raw = body.get(name)
    if raw is not None and not isinstance(raw, str):
        raise BadRequest(f"{name} must be a string")
    return no_nul(raw or "", name)


class CancellationsHandler(OpsHandler):
    async def post(self) -> None:
        body = self.object_body()
        if_exp = body.get("if")
        if if_exp is not None and not isinstance(if_exp, str):
            raise BadRequest("if must be a string")
        cancellation = await self.attempt(
            self.ctx.engine.ops.create_cancellation(
                app_id=_text(body, "app_id"),
                function_id=_text(body, "function_id"),
                started_before_ms=_time(body, "started_before", required=True) or 0,
                started_after_ms=_time(body, "started_after", required=False),
                if_exp=if_exp or None,
            )
        )
        self.envelope(cancellation_json(cancellation))

    async def get(self) -> None:
        self.envelope([cancellation_json(c) for c in await self.ctx.engine.ops.cancellations()])


class CancellationHandler(OpsHandler):
    async def get(self, cancellation_id: str) -> None:
        self.envelope(cancellation_json(await self.attempt(self.ctx.engine.ops.cancellation(cancellation_id))))

    async def delete(self, cancellation_id: str) -> None:
        await self.attempt(self.ctx.engine.ops.delete_cancellation(cancellation_id))
        self.envelope({"ok": True})


class FunctionPauseHandler(OpsHandler):
    async def get(self, fn_id: str) -> None:
        self.envelope(pause_json(await self.attempt(self.ctx.engine.ops.pause_state(fn_id))))

    async def post(self, fn_id: str) -> None:
        cancel_running = self.object_body(optional=True).get("cancel_running", False)
        if not isinstance(cancel_running, bool):
            raise BadRequest("cancel_running must be a boolean")
        self.envelope(pause_json(await self.attempt(self.ctx.engine.ops.pause(fn_id, cancel_running=cancel_running))))


class FunctionResumeHandler(OpsHandler):
    async def post(self, fn_id: str) -> None:
        self.envelope(pause_json(await self.attempt(self.ctx.engine.ops.resume(fn_id))))


class ReplayHandler(OpsHandler):
    async def post(self, event_id: str) -> None:
        new_id = await self.attempt(self.ctx.engine.ops.replay(event_id))
        self.envelope({"id": new_id, "replay_of": event_id})


def routes(segment: str) -> list[tuple[str, type[OpsHandler]]]:
    """The routes above; ``segment`` is the path-parameter pattern the app uses."""
    return [
        (r"/v1/cancellations/?", CancellationsHandler),
        (rf"/v1/cancellations/{segment}", CancellationHandler),
        (rf"/v1/functions/{segment}/pause", FunctionPauseHandler),
        (rf"/v1/functions/{segment}/resume", FunctionResumeHandler),
        (rf"/v1/events/{segment}/replay", ReplayHandler),
    ]
