"""REST routes for dashboards (the JupyterLab sidebar and timeline panel, the server's own UI).

Our own routes, under ``/lab/`` so that Inngest's REST v2 can own ``/v2`` and ``/api/v2``; bodies use the v1
envelope ``{"data": …, "metadata": …}``:

    GET  /lab/apps                 synced apps
    GET  /lab/functions            registered functions with triggers and flow control
    GET  /lab/runs                 recent runs, newest first (?status=…&function_id=…&event_id=…&limit=…)
    GET  /lab/runs/{id}/trace      the run's timeline (``engine.timeline``)
    POST /lab/runs/{id}/cancel     cancel a run
    GET  /lab/live                 Server-Sent Events of changes (``server.live``)

Like the rest of the REST API they require the Bearer token when signing keys are set; hosted inside
Jupyter they are authenticated by Jupyter instead (``inngest_lab.jupyter.handlers``).
"""

from __future__ import annotations

from collections import Counter

from inngest_lab.engine.model import Run
from inngest_lab.engine.timeline import build_timeline
from inngest_lab.server.params import int_arg, statuses_arg, text_arg
from inngest_lab.server.rest_api import AuthedHandler
from inngest_lab.server.shapes import app_json, function_json, run_summary_json

DEFAULT_RUN_LIMIT = 50
MAX_RUN_LIMIT = 500


class AppsHandler(AuthedHandler):
    async def get(self) -> None:
        store = self.ctx.engine.store
        counts = Counter(f.app_id for f in await store.list_functions())
        apps = sorted(await store.list_apps(), key=lambda a: a.app_id)
        self.envelope([app_json(a, counts[a.app_id]) for a in apps])


class FunctionsHandler(AuthedHandler):
    async def get(self) -> None:
        functions = sorted(await self.ctx.engine.store.list_functions(), key=lambda f: f.fn_id)
        self.envelope([function_json(f) for f in functions])


class RunsHandler(AuthedHandler):
    """``GET /lab/runs``: ``status`` may repeat (any of them matches); names are case-insensitive."""

    async def get(self) -> None:
        self.envelope([run_summary_json(r) for r in await self.query_runs()])

    async def query_runs(self, *, since_ms: int | None = None) -> list[Run]:
        """The runs the query arguments ask for (400 on a bad status or limit)."""
        return await self.ctx.engine.store.list_runs(
            fn_id=text_arg(self, "function_id"),
            status=statuses_arg(self) or None,
            event_id=text_arg(self, "event_id"),
            since_ms=since_ms,
            limit=int_arg(self, "limit", DEFAULT_RUN_LIMIT, low=1, high=MAX_RUN_LIMIT),
        )


class RunTraceHandler(AuthedHandler):
    async def get(self, run_id: str) -> None:
        run = await self.load_run_or_404(run_id)
        history = await self.ctx.engine.store.history(run_id)
        self.envelope(build_timeline(run, history, self.ctx.engine.clock.now_ms()))


class RunCancelHandler(AuthedHandler):
    async def post(self, run_id: str) -> None:
        self.envelope(run_summary_json(await self.cancel(run_id)))
