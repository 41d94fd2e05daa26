"""The dashboard routes (/v2) on the headless server: the same handlers the Jupyter extension hosts."""

from __future__ import annotations

from inngest_lab.executor.engine import Engine
from inngest_lab.protocol.consts import ServerKind
from inngest_lab.server.app import ServerSettings
from tests.integration.server.conftest import HASHED_KEY, SIGNING_KEY, Api, FakeSdk, Serve
from tests.integration.server.test_rest_api import _completed_run


async def test_runs_functions_and_trace_describe_a_completed_run(
    dev_api: Api, engine: Engine, fake_sdk: FakeSdk
) -> None:
    event_id, run_id = await _completed_run(dev_api, engine, fake_sdk)
    [fn] = (await dev_api.call("GET", "/lab/functions")).json["data"]
    assert (fn["id"], fn["triggers"], fn["retries"]) == ("my-app-child", [{"event": "app/child"}], 4)
    [run] = (await dev_api.call("GET", "/lab/runs?status=Completed")).json["data"]
    assert (run["run_id"], run["event_id"], run["event_name"]) == (run_id, event_id, "app/child")
    trace = (await dev_api.call("GET", f"/lab/runs/{run_id}/trace")).json["data"]
    assert (trace["status"], trace["output"], trace["spans"]) == ("Completed", "done", [])


async def test_cancel_of_an_ended_run_answers_its_final_state(dev_api: Api, engine: Engine, fake_sdk: FakeSdk) -> None:
    _, run_id = await _completed_run(dev_api, engine, fake_sdk)
    reply = await dev_api.call("POST", f"/lab/runs/{run_id}/cancel")
    assert (reply.status, reply.json["data"]["status"]) == (200, "Completed")


async def test_dashboard_routes_require_the_bearer_token_when_keys_are_set(serve: Serve, engine: Engine) -> None:
    api = await serve(engine, ServerSettings(signing_keys=[SIGNING_KEY], server_kind=ServerKind.CLOUD))
    for path in ("/lab/functions", "/lab/apps", "/lab/runs", "/lab/live"):
        assert (await api.call("GET", path)).status == 401, path
    ok = await api.call("GET", "/lab/runs?limit=5", headers={"Authorization": f"Bearer {HASHED_KEY}"})
    assert (ok.status, ok.json["data"]) == (200, [])


async def test_bad_limit_is_a_400(dev_api: Api) -> None:
    reply = await dev_api.call("GET", "/lab/runs?limit=0")
    assert reply.status == 400
    assert "limit" in reply.json["error"]
