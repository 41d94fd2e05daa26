"""REST: ``/v0/runs/{id}/batch|actions`` for SDKs with ``use_api`` (protocol doc section 4.9), and the v1 API
for events and runs (section 6.3). Every route here requires the Bearer token when signing keys are set.
"""

from __future__ import annotations

from inngest_lab.engine.call_request import request_events, request_steps
from inngest_lab.engine.model import Run
from inngest_lab.server.base import ApiHandler
from inngest_lab.server.errors import NotFound
from inngest_lab.server.params import int_arg, no_nul, text_arg, time_arg
from inngest_lab.server.shapes import envelope, event_json, run_json

DEFAULT_EVENT_LIMIT = 20
MAX_EVENT_LIMIT = 100
MAX_RUNS_PER_EVENT = 100


class AuthedHandler(ApiHandler):
    """Authenticates before any method runs (signing key or dashboard session: ``ApiHandler.require_auth``)."""

    def prepare(self) -> None:
        self.require_auth()
        for value in self.path_args:  # every {id} of these routes (see params.no_nul)
            no_nul(value, "the path's id")

    async def load_run_or_404(self, run_id: str) -> Run:
        run = await self.ctx.engine.store.load_run(run_id)
        if run is None:
            raise NotFound(f"run {run_id} not found")
        return run

    def envelope(self, data: object) -> None:
        self.write_json(envelope(data, self.ctx.engine.clock.now_ms()))

    async def cancel(self, run_id: str) -> Run:
        if not await self.ctx.engine.cancel_run(run_id):
            raise NotFound(f"run {run_id} not found")
        return await self.load_run_or_404(run_id)


# ---------------------------------------------------------------- v0


class RunBatchHandler(AuthedHandler):
    """``GET /v0/runs/{id}/batch`` → the run's events as a JSON array (Python requires an array)."""

    async def get(self, run_id: str) -> None:
        run = await self.load_run_or_404(run_id)
        self.write_json(request_events(run))


class RunActionsHandler(AuthedHandler):
    """``GET /v0/runs/{id}/actions`` → memoized steps ``{hashed_id: memo}`` (Python requires an object)."""

    async def get(self, run_id: str) -> None:
        run = await self.load_run_or_404(run_id)
        self.write_json(request_steps(run))


class V0RunHandler(AuthedHandler):
    """``DELETE /v0/runs/{id}`` cancels the run."""

    async def delete(self, run_id: str) -> None:
        run = await self.cancel(run_id)
        self.write_json({"run_id": run.run_id, "status": run.status.value})


# ---------------------------------------------------------------- v1


class EventListHandler(AuthedHandler):
    """``GET /v1/events?name=&received_after=&received_before=&cursor=&limit=``, newest first.

    ``cursor`` is the ``internal_id`` of the last event of the previous page.
    """

    async def get(self) -> None:
        limit = int_arg(self, "limit", DEFAULT_EVENT_LIMIT, low=1, high=MAX_EVENT_LIMIT)
        events = await self.ctx.engine.store.list_events(
            name=text_arg(self, "name"),
            since_ms=time_arg(self, "received_after"),
            until_ms=time_arg(self, "received_before"),
            limit=limit,
            before_id=text_arg(self, "cursor"),
        )
        self.envelope([event_json(e) for e in events])


class EventHandler(AuthedHandler):
    """``GET /v1/events/{internal_id}``."""

    async def get(self, event_id: str) -> None:
        event = await self.ctx.engine.store.get_event(event_id)
        if event is None:
            raise NotFound(f"event {event_id} not found")
        self.envelope(event_json(event))


class EventRunsHandler(AuthedHandler):
    """``GET /v1/events/{internal_id}/runs``: runs this event started (404 for an unknown event)."""

    async def get(self, event_id: str) -> None:
        store = self.ctx.engine.store
        runs = await store.list_runs(event_id=event_id, limit=MAX_RUNS_PER_EVENT)
        # An event with runs exists: the lookup is only needed to tell "no runs yet" from "no such event", and
        # this route is what clients poll for a run's result.
        if not runs and await store.get_event(event_id) is None:
            raise NotFound(f"event {event_id} not found")
        self.envelope([run_json(r) for r in runs])


class RunHandler(AuthedHandler):
    """``GET /v1/runs/{id}``; ``DELETE /v1/runs/{id}`` cancels it (idempotent for ended runs)."""

    async def get(self, run_id: str) -> None:
        self.envelope(run_json(await self.load_run_or_404(run_id)))

    async def delete(self, run_id: str) -> None:
        self.envelope(run_json(await self.cancel(run_id)))
