"""REST API v2 (protocol-next doc section 7), mounted at ``/v2`` and ``/api/v2`` as Inngest's dev server does.

    GET  /health                                       {status: "ok"}
    POST /events                                       send one event {name, data?, user?, id?, ts?} → {eventId}
    GET  /events/{eventId}/runs                        the runs an event started (paged)
    GET  /runs                                         runs, newest first: status[], appId[], functionId[], from,
                                                       until, includeOutput, cursor, limit (20, at most 100)
    GET  /runs/{runId}[?includeOutput=true]            one run
    POST /runs/{runId}/cancel                          → {runId}; 409 when it has already ended
    POST /runs/{runId}/rerun                           {fromStep?: {stepId, input?}} → {runId} of the new run
    GET  /runs/{runId}/trace                           the run as a span tree (its steps as children)
    GET  /apps, /apps/{appId}                          apps with their latest sync
    GET  /apps/{appId}/functions[/{functionId}]        functions with triggers and configuration
    GET  /apps/{appId}/functions/{functionId}/runs     runs of one function (same filters as /runs)
    POST /apps/{appId}/functions/{functionId}/invoke   {data, idempotencyKey?} → {runId, queuedAt}

Shapes are in ``rest_v2_shapes.py``. ``functionId`` is our composite id (``<app>-<fn>``) or the function's own id
within the app. Auth is the v1 REST API's: ``Authorization: Bearer <signing key>`` when keys are configured. On
the headless server the auth guard (``auth_guard.py``) checks it before routing and answers a refusal in the
server's common error shape; behind Jupyter's mount, these handlers check it and answer in v2's.
Runs are listed by queue time only (``timeField=queuedAt``) and newest first (``order=DESC``): the store keeps
no other order, so other values are a 400 that says so.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ulid import ULID

from inngest_lab.engine.model import FunctionDef, Json, Run
from inngest_lab.engine.operations import FromStep, NotFoundError, OperationError
from inngest_lab.engine.timeline import build_timeline
from inngest_lab.protocol.consts import INTERNAL_DATA_KEY, InternalEvent, RunStatus
from inngest_lab.protocol.events import EventValidationError, internal_event, normalize_events
from inngest_lab.server import rest_v2_shapes as shapes
from inngest_lab.server.errors import ApiError, BadRequest, Conflict, NotFound, Unauthorized
from inngest_lab.server.rest_api import AuthedHandler
from inngest_lab.server.rest_v2_shapes import Cursor, CursorInvalid, V2ErrorCode
from inngest_lab.server.shapes import parse_time_ms

PREFIXES = ("/v2", "/api/v2")
DEFAULT_LIMIT = 20
MAX_LIMIT = 100
MAX_EVENT_RUNS_LIMIT = 40  # Go's maxEventRunsLimit
MAX_SCAN = 10_000  # runs read to fill one page when filters the store cannot apply drop most of them

_DEFAULT_CODES = {
    400: V2ErrorCode.INVALID_REQUEST,
    401: V2ErrorCode.INVALID_SIGNING_KEY,
    404: V2ErrorCode.NOT_FOUND,
    409: V2ErrorCode.RUN_ALREADY_ENDED,
}


class _V2BadRequest(BadRequest):
    def __init__(self, code: V2ErrorCode, message: str) -> None:
        super().__init__(message)
        self.v2_code = code


class _V2Unauthorized(Unauthorized):
    def __init__(self, code: V2ErrorCode, message: str) -> None:
        super().__init__(message)
        self.v2_code = code


class _V2NotFound(NotFound):
    def __init__(self, code: V2ErrorCode, message: str) -> None:
        super().__init__(message)
        self.v2_code = code


class _V2Conflict(Conflict):
    def __init__(self, code: V2ErrorCode, message: str) -> None:
        super().__init__(message)
        self.v2_code = code


_BY_STATUS: dict[int, type[_V2BadRequest | _V2Unauthorized | _V2NotFound | _V2Conflict]] = {
    400: _V2BadRequest,
    401: _V2Unauthorized,
    404: _V2NotFound,
    409: _V2Conflict,
}


def v2_error(status: int, code: V2ErrorCode, message: str) -> ApiError:
    """The error to raise for a v2 failure: ``status`` with its v2 ``code`` in the body."""
    return _BY_STATUS[status](code, message)


class V2Handler(AuthedHandler):
    """Bearer auth (as v1), v2 envelopes and v2 error bodies."""

    def prepare(self) -> None:
        if self.ctx.settings.signing_keys and not self.request.headers.get("Authorization", "").strip():
            raise v2_error(401, V2ErrorCode.AUTHORIZATION_HEADER_MISSING, "Authorization header is required")
        super().prepare()

    def render_error(self, err: ApiError) -> Json:
        code = getattr(err, "v2_code", None) or _DEFAULT_CODES.get(err.status, V2ErrorCode.INTERNAL_ERROR)
        return shapes.error_body(code, err.message)

    def reply(self, data: Json, page: dict[str, Json] | None = None, status: int = 200) -> None:
        self.write_json(shapes.envelope(data, self.ctx.engine.clock.now_ms(), page), status)

    def flag(self, name: str) -> bool:
        raw = self.get_query_argument(name, "false")
        if raw not in ("true", "false"):
            raise v2_error(400, V2ErrorCode.INVALID_FIELD_FORMAT, f"{name} must be true or false")
        return raw == "true"

    def limit(self, maximum: int = MAX_LIMIT) -> int:
        raw = self.get_query_argument("limit", None)
        if raw is None:
            return DEFAULT_LIMIT
        if not raw.lstrip("-").isdigit():
            raise v2_error(400, V2ErrorCode.INVALID_FIELD_FORMAT, "Limit must be an integer")
        limit = int(raw)
        if limit < 1:
            raise v2_error(400, V2ErrorCode.INVALID_FIELD_FORMAT, "Limit must be at least 1")
        if limit > maximum:
            raise v2_error(400, V2ErrorCode.INVALID_FIELD_FORMAT, f"Limit cannot exceed {maximum}")
        return limit

    def body_object(self) -> dict[str, Any]:
        if not self.request.body.strip():
            return {}
        body = self.json_body()
        if not isinstance(body, dict):
            raise v2_error(400, V2ErrorCode.INVALID_REQUEST, "The body must be a JSON object")
        return body

    def function_or_404(self, app_id: str, function_id: str) -> FunctionDef:
        engine = self.ctx.engine
        fn = engine.function(function_id) or engine.function(f"{app_id}-{function_id}")
        if fn is None or fn.app_id != app_id:
            raise v2_error(404, V2ErrorCode.NOT_FOUND, f"Function {function_id} not found in app {app_id}")
        return fn

    async def list_runs(
        self, *, fn_ids: Sequence[str] = (), app_ids: Sequence[str] = (), event_id: str | None = None
    ) -> None:
        """Answer one page of runs, newest first, with the query's filters."""
        q = self.get_query_arguments
        statuses = [s.strip().upper() for s in q("status")]
        if any(s not in shapes.STATUS_FILTERS for s in statuses):
            raise v2_error(400, V2ErrorCode.INVALID_FIELD_FORMAT, "Status is invalid")
        for name in ("appId", "functionId"):
            if any("\x00" in value for value in q(name)):
                # Postgres text cannot hold one (params.no_nul): refused the same way on every store
                raise v2_error(400, V2ErrorCode.INVALID_FIELD_FORMAT, f"{name} must not contain NUL characters")
        if self.get_query_argument("timeField", "queuedAt") != "queuedAt":
            raise v2_error(400, V2ErrorCode.INVALID_FIELD_FORMAT, "timeField: only queuedAt is supported")
        if self.get_query_argument("order", "DESC").upper() != "DESC":
            raise v2_error(400, V2ErrorCode.INVALID_FIELD_FORMAT, "order: only DESC is supported")
        cursor_text = self.get_query_argument("cursor", "")
        try:
            cursor = Cursor.decode(cursor_text) if cursor_text else None
        except CursorInvalid as exc:
            raise v2_error(400, V2ErrorCode.INVALID_FIELD_FORMAT, str(exc)) from None
        limit = self.limit(MAX_EVENT_RUNS_LIMIT if event_id else MAX_LIMIT)
        since, until = self._time("from"), self._time("until")
        if cursor is not None:
            until = min(until, cursor.queued_at_ms + 1) if until is not None else cursor.queued_at_ms + 1
        wanted = {s for s in RunStatus if shapes.run_status(s) in statuses} or None
        fns, apps = set(fn_ids) | set(q("functionId")), set(app_ids) | set(q("appId"))

        def keep(run: Run) -> bool:
            return (
                (cursor is None or cursor.before(run))
                and (not fns or run.fn_id in fns)
                and (not apps or run.app_id in apps)
            )

        fetch = limit + 1
        while True:
            batch = await self.ctx.engine.store.list_runs(
                fn_id=next(iter(fns)) if len(fns) == 1 else None,
                status=sorted(wanted) if wanted else None,
                event_id=event_id,
                since_ms=since,
                until_ms=until,
                limit=fetch,
            )
            kept = [r for r in batch if keep(r)]
            if len(kept) > limit or len(batch) < fetch or fetch >= MAX_SCAN:
                break
            fetch = min(fetch * 4, MAX_SCAN)
        runs, more = kept[:limit], len(kept) > limit
        include = self.flag("includeOutput")
        self.reply([shapes.function_run(r, include_output=include) for r in runs], shapes.page(runs, limit, more))

    def _time(self, name: str) -> int | None:
        raw = self.get_query_argument(name, None)
        if raw is None:
            return None
        try:
            return parse_time_ms(raw)
        except ValueError:
            raise v2_error(400, V2ErrorCode.INVALID_FIELD_FORMAT, f"{name} must be an RFC 3339 timestamp") from None

    async def run_or_404(self, run_id: str) -> Run:
        run = await self.ctx.engine.store.load_run(run_id)
        if run is None:
            raise v2_error(404, V2ErrorCode.NOT_FOUND, "Run not found")
        return run


class HealthHandler(V2Handler):
    def get(self) -> None:
        self.reply({"status": "ok"})


class EventsHandler(V2Handler):
    async def post(self) -> None:
        body = self.body_object()
        if not isinstance(body.get("name"), str) or not body["name"]:
            raise v2_error(400, V2ErrorCode.MISSING_FIELD, "Event name is required")
        engine = self.ctx.engine
        now = engine.clock.now_ms()
        event_id = str(ULID())
        try:
            [event] = normalize_events(body, now, lambda _i: event_id)
        except EventValidationError as exc:
            raise v2_error(
                400, V2ErrorCode.INVALID_REQUEST, str(exc.args[0]) if exc.args else "invalid event"
            ) from None
        [stored] = await engine.send([event], internal_ids=[event_id])
        self.reply({"eventId": stored}, status=201)


class EventRunsHandler(V2Handler):
    async def get(self, event_id: str) -> None:
        await self.list_runs(event_id=event_id)


class RunsHandler(V2Handler):
    async def get(self) -> None:
        await self.list_runs()


class RunHandler(V2Handler):
    async def get(self, run_id: str) -> None:
        run = await self.run_or_404(run_id)
        self.reply(shapes.function_run(run, include_output=self.flag("includeOutput")))


class RunCancelHandler(V2Handler):
    async def post(self, run_id: str) -> None:
        run = await self.run_or_404(run_id)
        if run.status is RunStatus.CANCELLED:
            raise v2_error(409, V2ErrorCode.RUN_ALREADY_CANCELLED, "Run is already cancelled")
        if run.status.is_terminal:
            raise v2_error(409, V2ErrorCode.RUN_ALREADY_ENDED, "Cannot cancel an ended run")
        await self.ctx.engine.cancel_run(run_id)
        self.reply({"runId": run_id})


class RunRerunHandler(V2Handler):
    """``{"fromStep": {"stepId", "input"?}}``, camelCase or snake_case keys (grpc-gateway accepts both)."""

    async def post(self, run_id: str) -> None:
        body = self.body_object()
        raw = body.get("fromStep", body.get("from_step"))
        from_step = None
        if raw is not None:
            if not isinstance(raw, dict):
                raise v2_error(400, V2ErrorCode.INVALID_FIELD_FORMAT, "fromStep must be an object")
            step_id = raw.get("stepId", raw.get("step_id"))
            if not isinstance(step_id, str) or not step_id:
                raise v2_error(400, V2ErrorCode.MISSING_FIELD, "Step ID is required")
            if "\x00" in step_id:
                raise v2_error(400, V2ErrorCode.INVALID_FIELD_FORMAT, "stepId must not contain NUL characters")
            step_input = raw.get("input")
            if step_input is not None and not isinstance(step_input, list):
                raise v2_error(400, V2ErrorCode.INVALID_FIELD_FORMAT, "Step input must be a valid JSON array")
            from_step = FromStep(step_id, step_input)
        try:
            new_id = await self.ctx.engine.ops.rerun(run_id, from_step)
        except NotFoundError as exc:
            raise v2_error(404, V2ErrorCode.NOT_FOUND, str(exc)) from None
        except OperationError as exc:
            raise v2_error(400, V2ErrorCode.INVALID_REQUEST, str(exc)) from None
        self.reply({"runId": new_id})


class RunTraceHandler(V2Handler):
    async def get(self, run_id: str) -> None:
        run = await self.run_or_404(run_id)
        engine = self.ctx.engine
        timeline = build_timeline(run, await engine.store.history(run_id), engine.clock.now_ms())
        self.reply(shapes.trace_json(timeline, include_output=self.flag("includeOutput")))


class AppsHandler(V2Handler):
    async def get(self) -> None:
        limit = self.limit()
        apps = sorted(await self.ctx.engine.store.list_apps(), key=lambda a: a.app_id)
        after = self.get_query_argument("cursor", "")
        apps = [a for a in apps if a.app_id > after] if after else apps
        counts = _function_counts(self.ctx.engine.functions())
        page_apps, more = apps[:limit], len(apps) > limit
        page: dict[str, Json] = {"hasMore": more, "limit": limit}
        if more:
            page["cursor"] = page_apps[-1].app_id
        self.reply([shapes.app_json(a, counts.get(a.app_id, 0)) for a in page_apps], page)


class AppHandler(V2Handler):
    async def get(self, app_id: str) -> None:
        app = next((a for a in await self.ctx.engine.store.list_apps() if a.app_id == app_id), None)
        if app is None:
            raise v2_error(404, V2ErrorCode.NOT_FOUND, f"App {app_id} not found")
        self.reply(shapes.app_json(app, _function_counts(self.ctx.engine.functions()).get(app_id, 0)))


class FunctionsHandler(V2Handler):
    async def get(self, app_id: str) -> None:
        limit = self.limit()
        engine = self.ctx.engine
        if not any(a.app_id == app_id for a in await engine.store.list_apps()):
            raise v2_error(404, V2ErrorCode.NOT_FOUND, f"App {app_id} not found")
        fns = sorted((f for f in engine.functions() if f.app_id == app_id), key=lambda f: f.fn_id)
        after = self.get_query_argument("cursor", "")
        fns = [f for f in fns if f.fn_id > after] if after else fns
        page_fns, more = fns[:limit], len(fns) > limit
        page: dict[str, Json] = {"hasMore": more, "limit": limit}
        if more:
            page["cursor"] = page_fns[-1].fn_id
        self.reply([shapes.function_json(f, paused=engine.ops.is_paused(f.fn_id)) for f in page_fns], page)


class FunctionHandler(V2Handler):
    async def get(self, app_id: str, function_id: str) -> None:
        fn = self.function_or_404(app_id, function_id)
        self.reply(shapes.function_json(fn, paused=self.ctx.engine.ops.is_paused(fn.fn_id)))


class FunctionRunsHandler(V2Handler):
    async def get(self, app_id: str, function_id: str) -> None:
        fn = self.function_or_404(app_id, function_id)
        await self.list_runs(fn_ids=[fn.fn_id], app_ids=[app_id])


class InvokeHandler(V2Handler):
    """Start the function now with ``data``, as ``step.invoke`` and the dashboard's Invoke do: an
    ``inngest/function.invoked`` event addressed to it. ``idempotencyKey`` becomes the event's id."""

    async def post(self, app_id: str, function_id: str) -> None:
        fn = self.function_or_404(app_id, function_id)
        body = self.body_object()
        data = body.get("data")
        data = {} if data is None else data
        if not isinstance(data, dict):
            raise v2_error(400, V2ErrorCode.INVALID_FIELD_FORMAT, "data must be an object")
        engine = self.ctx.engine
        event_id = str(ULID())
        key = body.get("idempotencyKey", body.get("idempotency_key"))
        if key is not None and not isinstance(key, str):
            raise v2_error(400, V2ErrorCode.INVALID_FIELD_FORMAT, "idempotencyKey must be a string")
        payload = {**data, INTERNAL_DATA_KEY: {"fn_id": fn.fn_id}}
        event = internal_event(InternalEvent.FUNCTION_INVOKED.value, payload, event_id, engine.clock.now_ms())
        if isinstance(key, str) and key:
            event["id"] = key
        [stored] = await engine.send([event], internal_ids=[event_id])
        runs = await engine.store.list_runs(event_id=stored, limit=1)
        if not runs:
            raise v2_error(409, V2ErrorCode.INVALID_REQUEST, "The function did not start (flow control held it)")
        run = runs[0]
        out: dict[str, Json] = {
            "runId": run.run_id,
            "queuedAt": shapes.function_run(run, include_output=False)["queuedAt"],
        }
        self.reply(out)


def _function_counts(fns: Sequence[FunctionDef]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for f in fns:
        counts[f.app_id] = counts.get(f.app_id, 0) + 1
    return counts


def routes(id_pattern: str) -> list[tuple[str, type[V2Handler]]]:
    """Every v2 route under both prefixes; ``id_pattern`` is the app's path-parameter pattern."""
    i = id_pattern
    relative: list[tuple[str, type[V2Handler]]] = [
        (r"/health", HealthHandler),
        (r"/events", EventsHandler),
        (rf"/events/{i}/runs", EventRunsHandler),
        (r"/runs/?", RunsHandler),
        (rf"/runs/{i}", RunHandler),
        (rf"/runs/{i}/cancel", RunCancelHandler),
        (rf"/runs/{i}/rerun", RunRerunHandler),
        (rf"/runs/{i}/trace", RunTraceHandler),
        (r"/apps/?", AppsHandler),
        (rf"/apps/{i}", AppHandler),
        (rf"/apps/{i}/functions/?", FunctionsHandler),
        (rf"/apps/{i}/functions/{i}", FunctionHandler),
        (rf"/apps/{i}/functions/{i}/runs", FunctionRunsHandler),
        (rf"/apps/{i}/functions/{i}/invoke", InvokeHandler),
    ]
    return [(prefix + path, handler) for prefix in PREFIXES for path, handler in relative]
