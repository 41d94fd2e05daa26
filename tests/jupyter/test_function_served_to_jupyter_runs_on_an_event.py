"""An app registered with the Jupyter-hosted engine runs when an event arrives; the dashboard routes show it."""

from __future__ import annotations

import json
from typing import Any

from inngest_lab.engine.model import Json
from inngest_lab.jupyter.host import EngineHost
from tests.jupyter.conftest import Run


def test_event_runs_the_registered_function_and_the_dashboard_routes_show_it(
    jp_fetch: Any, run: Run[Any], host: EngineHost, greeter: dict[str, Json]
) -> None:
    async def post(*path: str, body: Json) -> Any:
        reply = await jp_fetch("inngest-lab", *path, method="POST", body=json.dumps(body))
        return json.loads(reply.body)

    async def get(*path: str, **params: str) -> Any:
        return json.loads((await jp_fetch("inngest-lab", *path, params=params)).body)

    assert run(post("fn", "register", body=greeter))["ok"] is True
    [fn] = run(get("lab", "functions"))["data"]
    assert fn["id"] == "greeter-hello"
    assert fn["triggers"] == [{"event": "demo/hello"}]
    [app] = run(get("lab", "apps"))["data"]
    assert (app["id"], app["function_count"]) == ("greeter", 1)

    [event_id] = run(post("e", "jupyter", body={"name": "demo/hello", "data": {"name": "Ada"}}))["ids"]
    [summary] = run(get("v1", "events", event_id, "runs"))["data"]
    finished = run(host.engine.wait_for_run(summary["run_id"], 10.0))
    assert finished.output == "hello Ada"

    [listed] = run(get("lab", "runs", status="completed", function_id="greeter-hello"))["data"]
    assert listed["run_id"] == finished.run_id
    assert listed["event_name"] == "demo/hello"
    assert run(get("lab", "runs", status="failed"))["data"] == []

    trace = run(get("lab", "runs", finished.run_id, "trace"))["data"]
    assert trace["status"] == "Completed"
    assert [(s["name"], s["kind"], s["status"], s["output"]) for s in trace["spans"]] == [
        ("lookup", "run", "completed", "Ada"),
        ("greet", "run", "completed", "hello Ada"),
    ]
