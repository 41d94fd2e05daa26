"""Full-fidelity reads for remote engine clients (a notebook's ``Lab()`` attached to a hosted engine).

The dashboard routes answer with display shapes; these answer with the engine's own records, encoded
by the store's codec (the one (de)serialization of runs and functions), so a remote client rebuilds
exactly the ``Run``, ``HistoryEntry`` and ``FunctionDef`` an embedded ``Lab`` would hand its views:

    GET /lab/runs/{id}/state        {"run": …, "history": […]}
    GET /lab/state/runs             runs, newest first (?status=…&function_id=…&event_id=…&since_ms=…&limit=…)
    GET /lab/state/functions        function definitions
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from inngest_lab.engine.model import FunctionDef, HistoryEntry, HistoryKind, Json, Run
from inngest_lab.server.dashboard_api import RunsHandler
from inngest_lab.server.params import int_arg
from inngest_lab.server.rest_api import AuthedHandler
from inngest_lab.store import codec


def run_state_json(run: Run) -> dict[str, Json]:
    return {"meta": codec.run_meta(run), "steps": dict(run.steps), "stack": list(run.stack)}


def run_from_state_json(data: Mapping[str, Any]) -> Run:
    return codec.run_from_meta(data["meta"], data["steps"], data["stack"])


def history_json(e: HistoryEntry) -> dict[str, Json]:
    return {
        "run_id": e.run_id,
        "at_ms": e.at_ms,
        "kind": e.kind.value,
        "step_id": e.step_id,
        "name": e.name,
        "attempt": e.attempt,
        "data": e.data,
    }


def history_from_json(d: Mapping[str, Any]) -> HistoryEntry:
    return HistoryEntry(
        d["run_id"], d["at_ms"], HistoryKind(d["kind"]), d["step_id"], d["name"], d["attempt"], d["data"]
    )


def function_from_state_json(d: Mapping[str, Any]) -> FunctionDef:
    return codec.function_from_json(d)


class RunStateHandler(AuthedHandler):
    async def get(self, run_id: str) -> None:
        run = await self.load_run_or_404(run_id)
        history = await self.ctx.engine.store.history(run_id)
        self.envelope({"run": run_state_json(run), "history": [history_json(e) for e in history]})


class RunStatesHandler(RunsHandler):
    """``GET /lab/runs``'s filters (plus ``since_ms``), answering with full run records."""

    async def get(self) -> None:
        runs = await self.query_runs(since_ms=int_arg(self, "since_ms", None, low=-(2**53), high=2**53))
        self.envelope([run_state_json(r) for r in runs])


class FunctionStatesHandler(AuthedHandler):
    async def get(self) -> None:
        functions = sorted(await self.ctx.engine.store.list_functions(), key=lambda f: f.fn_id)
        self.envelope([codec.function_to_json(f) for f in functions])
