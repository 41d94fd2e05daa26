"""The dashboard's own routes beyond ``dashboard_api``: what its pages read, and the two writes a browser needs
(sending events and invoking a function without an event key). Mounted under ``/lab/`` in ``api_routes``, so
the headless server and the Jupyter host both serve them, behind the same auth as every REST route.

    GET  /lab/runs/page                runs by cursor: ?status=&app_id=&function_id=&time_field=queued|started|ended
                                       &from=&to=&q=<CEL over event and output>&cursor=&limit=
    GET  /lab/functions/stats          recent run counts by status per function (?hours=24)
    GET  /lab/crons                    every cron trigger with its next ticks in its time zone (?count=5)
    POST /lab/cancellations/preview    how many runs a bulk cancellation would stop (body as /v1/cancellations)
    POST /lab/events/send              one event or an array, as ``POST /e/{key}`` takes them → ``{"ids": […]}``
    POST /lab/functions/{id}/invoke    start the function with ``{"data": …}`` (an ``inngest/function.invoked``)
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

from ulid import ULID

from inngest_lab.engine.bulk_cancel import CANCELLABLE
from inngest_lab.engine.cron import CronError, parse_cron
from inngest_lab.engine.model import Json
from inngest_lab.protocol.consts import INTERNAL_DATA_KEY, InternalEvent, RunStatus
from inngest_lab.protocol.events import internal_event, normalize_events
from inngest_lab.server.base import decode_json
from inngest_lab.server.dashboard_query import Cursor, QueryError, RunFilter, TimeField, run_page
from inngest_lab.server.errors import BadRequest, NotFound
from inngest_lab.server.rest_api import AuthedHandler
from inngest_lab.server.shapes import parse_time_ms, rfc3339, run_summary_json

MAX_PAGE = 200
PREVIEW_CAP = 10_000
"""A bulk-cancel preview stops counting here and says "at least"."""
STATS_CAP = 1_000
"""Runs counted per function for the stats; beyond, the counts are marked as a lower bound."""
_STATUS_BY_NAME = {s.value.lower(): s for s in RunStatus}


class DashboardHandler(AuthedHandler):
    """Shared argument parsing: every bad argument is a 400 that names it."""

    def int_arg(self, name: str, default: int, lo: int, hi: int) -> int:
        raw = self.get_query_argument(name, None) or str(default)
        if not raw.isdigit() or not lo <= int(raw) <= hi:
            raise BadRequest(f"{name} must be an integer between {lo} and {hi}")
        return int(raw)

    def time_arg(self, name: str) -> int | None:
        raw = self.get_query_argument(name, None)
        if not raw:
            return None
        try:
            return parse_time_ms(raw)
        except ValueError:
            raise BadRequest(f"{name} must be an RFC 3339 timestamp or epoch milliseconds") from None

    def object_body(self) -> dict[str, Any]:
        body = decode_json(self.request.body or b"{}")
        if not isinstance(body, dict):
            raise BadRequest("body must be a JSON object")
        return body

    def reply(self, data: Json, **metadata: Json) -> None:
        meta: dict[str, Json] = {"fetched_at": rfc3339(self.ctx.engine.clock.now_ms()), **metadata}
        self.write_json({"data": data, "metadata": meta})


def statuses_from(raw_values: list[str]) -> list[RunStatus]:
    """``status`` may repeat or hold a comma list; names are case-insensitive."""
    out: list[RunStatus] = []
    for raw in raw_values:
        for name in filter(None, (part.strip().lower() for part in raw.split(","))):
            if name not in _STATUS_BY_NAME:
                raise BadRequest(f"unknown status {name!r}; one of {', '.join(s.value for s in RunStatus)}")
            out.append(_STATUS_BY_NAME[name])
    return out


class RunPageHandler(DashboardHandler):
    async def get(self) -> None:
        raw_field = self.get_query_argument("time_field", None) or TimeField.QUEUED.value
        if raw_field not in TimeField.__members__.values():
            raise BadRequest(f"time_field must be one of {', '.join(t.value for t in TimeField)}")
        raw_cursor = self.get_query_argument("cursor", None)
        try:
            f = RunFilter.build(
                statuses=statuses_from(self.get_query_arguments("status")),
                app_id=self.get_query_argument("app_id", None) or None,
                fn_id=self.get_query_argument("function_id", None) or None,
                time_field=TimeField(raw_field),
                from_ms=self.time_arg("from"),
                to_ms=self.time_arg("to"),
                search=(self.get_query_argument("q", None) or "").strip() or None,
            )
            cursor = Cursor.decode(raw_cursor) if raw_cursor else None
        except QueryError as exc:
            raise BadRequest(str(exc)) from None
        page = await run_page(self.ctx.engine.store, f, self.int_arg("limit", 50, 1, MAX_PAGE), cursor)
        self.reply(
            [run_summary_json(r) for r in page.runs],
            next_cursor=page.next_cursor.encode() if page.next_cursor else None,
            scanned=page.scanned,
        )


class FunctionStatsHandler(DashboardHandler):
    """``{fn_id: {"Completed": n, …}}`` over the last ``hours``; ``capped`` lists functions counted to the cap."""

    async def get(self) -> None:
        hours = self.int_arg("hours", 24, 1, 24 * 30)
        store = self.ctx.engine.store
        since = self.ctx.engine.clock.now_ms() - hours * 3_600_000
        counts: dict[str, Json] = {}
        capped: list[Json] = []
        for fn in await store.list_functions():
            runs = await store.list_runs(fn_id=fn.fn_id, since_ms=since, limit=STATS_CAP)
            counts[fn.fn_id] = dict(Counter(r.status.value for r in runs))
            if len(runs) >= STATS_CAP:
                capped.append(fn.fn_id)
        self.reply(counts, hours=hours, capped=capped)


class CronsHandler(DashboardHandler):
    async def get(self) -> None:
        count = self.int_arg("count", 5, 1, 50)
        now = self.ctx.engine.clock.now_ms()
        out: list[Json] = []
        for fn in sorted(await self.ctx.engine.store.list_functions(), key=lambda f: f.fn_id):
            for trigger in fn.triggers:
                if trigger.cron is None:
                    continue
                item: dict[str, Json] = {"function_id": fn.fn_id, "name": fn.name, "app_id": fn.app_id}
                item["cron"] = trigger.cron
                try:
                    schedule = parse_cron(trigger.cron)
                except CronError as exc:
                    out.append({**item, "zone": None, "next": [], "error": str(exc)})
                    continue
                zone = UTC if schedule.zone == "UTC" else ZoneInfo(schedule.zone)
                ticks: list[Json] = []
                at = now
                for _ in range(count):
                    at = schedule.next_after(at)
                    local = datetime.fromtimestamp(at / 1000, tz=UTC).astimezone(zone)
                    ticks.append({"at_ms": at, "local": local.isoformat(timespec="minutes")})
                out.append({**item, "zone": schedule.zone, "next": ticks, "error": None})
        self.reply(out)


class CancellationPreviewHandler(DashboardHandler):
    """Counts what ``POST /v1/cancellations`` with the same body would cancel now (it matches Queued and
    Running runs created in ``[started_after, started_before)`` whose event passes ``if``)."""

    async def post(self) -> None:
        body = self.object_body()
        app_id, function_id = body.get("app_id"), body.get("function_id")
        if not isinstance(app_id, str) or not app_id or not isinstance(function_id, str) or not function_id:
            raise BadRequest("app_id and function_id are required")
        if_exp = body.get("if")
        if if_exp is not None and not isinstance(if_exp, str):
            raise BadRequest("if must be a string")
        try:
            f = RunFilter.build(
                statuses=CANCELLABLE,
                fn_id=f"{app_id}-{function_id}",
                from_ms=_body_time(body, "started_after"),
                to_ms=_body_time(body, "started_before") or self.ctx.engine.clock.now_ms(),
                search=if_exp or None,
            )
        except QueryError as exc:
            raise BadRequest(str(exc)) from None
        total, cursor = 0, None
        while total < PREVIEW_CAP:
            page = await run_page(self.ctx.engine.store, f, MAX_PAGE, cursor)
            total += len(page.runs)
            cursor = page.next_cursor
            if cursor is None:
                break
        self.reply({"count": min(total, PREVIEW_CAP), "at_least": cursor is not None})


def _body_time(body: Mapping[str, Any], name: str) -> int | None:
    raw = body.get(name)
    if raw is None or raw == "":
        return None
    if isinstance(raw, bool) or not isinstance(raw, int | str):
        raise BadRequest(f"{name} must be an RFC 3339 timestamp or epoch milliseconds")
    try:
        return raw if isinstance(raw, int) else parse_time_ms(raw)
    except ValueError:
        raise BadRequest(f"{name} must be an RFC 3339 timestamp or epoch milliseconds") from None


class SendEventsHandler(DashboardHandler):
    """The dashboard's Send event: the Event API's validation, the signed-in user's auth instead of a key."""

    async def post(self) -> None:
        engine = self.ctx.engine
        now = engine.clock.now_ms()
        fresh: dict[int, str] = {}

        def new_id(index: int) -> str:
            return fresh.setdefault(index, str(ULID()))

        events = normalize_events(decode_json(self.request.body), now, new_id)
        ids = await engine.send(events, internal_ids=[new_id(i) for i in range(len(events))])
        self.reply({"ids": ids})


class InvokeHandler(DashboardHandler):
    async def post(self, fn_id: str) -> None:
        body = self.object_body()
        data = body.get("data", {})
        if not isinstance(data, dict):
            raise BadRequest("data must be a JSON object")
        if await self.ctx.engine.store.get_function(fn_id) is None:
            raise NotFound(f"function {fn_id} not found")
        engine = self.ctx.engine
        event_id = str(ULID())
        data = {**data, INTERNAL_DATA_KEY: {"fn_id": fn_id}}
        event = internal_event(InternalEvent.FUNCTION_INVOKED, data, event_id, engine.clock.now_ms())
        ids = await engine.send([event], internal_ids=[event_id])
        self.reply({"ids": ids})


def routes(segment: str) -> list[tuple[str, type[DashboardHandler]]]:
    """The routes above; ``segment`` is the path-parameter pattern the app uses."""
    return [
        (r"/lab/runs/page", RunPageHandler),
        (r"/lab/functions/stats", FunctionStatsHandler),
        (rf"/lab/functions/{segment}/invoke", InvokeHandler),
        (r"/lab/crons", CronsHandler),
        (r"/lab/cancellations/preview", CancellationPreviewHandler),
        (r"/lab/events/send", SendEventsHandler),
    ]
