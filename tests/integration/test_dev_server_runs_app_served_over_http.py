"""End to end over real HTTP: ``inngest-lab dev`` in one process, an app served by our SDK on Tornado in another.

The server syncs the app, events arrive through ``POST /e/{key}``, the server calls the app for every step,
and the test observes only what a user could: the REST API (plus the app's own log of step executions).
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import aiohttp

from inngest_lab.engine.model import HistoryKind
from inngest_lab.protocol.consts import InternalEvent, RunStatus
from inngest_lab.server.shapes import parse_time_ms
from tests.integration.conftest import Cluster, Rest, step_lines
from tests.services import free_port

FUNCTIONS = 4


async def _start(cluster: Cluster, http: aiohttp.ClientSession, steps: Path) -> Rest:
    port = free_port()
    app = await cluster.app("workflow_app", {"STEP_LOG": str(steps)}, server_port=port)
    server = cluster.server(port, [app.url])
    server.start()
    rest = Rest(server, http)
    await rest.ready(functions=FUNCTIONS)
    return rest


async def test_every_step_kind_runs_once_over_http_and_the_run_reports_its_output(
    cluster: Cluster, http: aiohttp.ClientSession, tmp_path: Path
) -> None:
    steps = tmp_path / "steps.log"
    rest = await _start(cluster, http, steps)

    event_id = await rest.send("it/flow", {"a": 2, "b": 3, "order": "o-1"})
    run = await rest.run_of(event_id)
    await rest.in_history(run["run_id"], HistoryKind.STEP_WAITING)  # slept, now waits for the payment
    await rest.send("it/paid", {"order": "o-2", "amount": 1})  # another order's payment: ignored
    await rest.send("it/paid", {"order": "o-1", "amount": 42})

    done = await rest.finished(run["run_id"])
    assert done["status"] == RunStatus.COMPLETED.value, cluster.logs()
    [sent_id] = done["output"]["sent"]
    assert done["output"] == {
        "total": 5,
        "paid": 42,
        "doubled": 10,
        "sent": [sent_id],
        "parallel": ["left done", "right done"],
    }
    assert (done["function_id"], done["event_id"]) == ("it-flow", event_id)
    assert parse_time_ms(done["ended_at"]) - parse_time_ms(done["run_started_at"]) >= 1000, "slept at least 1 s"
    assert await rest.data(f"/v1/runs/{run['run_id']}") == done

    [invoked] = await rest.events(InternalEvent.FUNCTION_INVOKED.value, at_least=1)
    [child] = await rest.data(f"/v1/events/{invoked['internal_id']}/runs")
    assert (child["function_id"], child["status"], child["output"]) == ("it-double", RunStatus.COMPLETED.value, 10)

    listener = await rest.finished((await rest.run_of(sent_id))["run_id"])  # the sent event started it-notified
    assert (listener["function_id"], listener["output"]) == ("it-notified", "o-1")
    assert [e["data"] for e in await rest.events("it/notified")] == [{"order": "o-1"}]

    assert Counter(step_lines(steps)) == {"add": 1, "double": 1, "notified": 1, "left": 1, "right": 1}


async def test_non_retriable_error_fails_the_run_at_once_and_emits_function_failed(
    cluster: Cluster, http: aiohttp.ClientSession, tmp_path: Path
) -> None:
    steps = tmp_path / "steps.log"
    rest = await _start(cluster, http, steps)

    event_id = await rest.send("it/broken")
    run = await rest.finished((await rest.run_of(event_id))["run_id"])

    assert run["status"] == RunStatus.FAILED.value, cluster.logs()
    assert run["function_id"] == "it-broken"
    assert "the order is gone" in str(run["output"])
    assert step_lines(steps) == ["explode"], "NonRetriableError is not retried despite the default retries"
    [failed] = await rest.events(InternalEvent.FUNCTION_FAILED.value, at_least=1)
    assert failed["data"]["run_id"] == run["run_id"]
    assert failed["data"]["function_id"] == "it-broken"
    assert failed["data"]["event"]["name"] == "it/broken"
    assert "the order is gone" in failed["data"]["error"]["message"]
