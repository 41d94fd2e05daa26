"""REST v0 (use_api) and v1 (events, runs) over real HTTP, with a fake SDK that completes runs."""

from __future__ import annotations

from inngest_lab.executor.engine import Engine
from inngest_lab.protocol.consts import ServerKind
from inngest_lab.server.app import ServerSettings
from tests.integration.server.conftest import HASHED_KEY, SIGNING_KEY, Api, FakeSdk, Serve, register_body

AUTH = {"Authorization": f"Bearer {HASHED_KEY}"}


async def _completed_run(
    api: Api, engine: Engine, sdk: FakeSdk, headers: dict[str, str] | None = None
) -> tuple[str, str]:
    """Register the fake SDK, send its trigger event, wait for the run; return (event id, run id)."""
    reg = await api.call("POST", "/fn/register", json_body=register_body(sdk.url), headers=headers)
    assert reg.status == 200
    sent = await api.call("POST", "/e/key", json_body=[{"name": "app/child", "data": {"x": 1}}])
    (event_id,) = sent.json["ids"]
    runs = await engine.store.list_runs(event_id=event_id)
    assert len(runs) == 1
    await engine.wait_for_run(runs[0].run_id, timeout_s=10)
    return event_id, runs[0].run_id


async def test_get_run_returns_inngests_run_shape(dev_api: Api, engine: Engine, fake_sdk: FakeSdk) -> None:
    event_id, run_id = await _completed_run(dev_api, engine, fake_sdk)
    reply = await dev_api.call("GET", f"/v1/runs/{run_id}")
    assert reply.status == 200
    data = reply.json["data"]
    assert data["run_id"] == run_id
    assert data["event_id"] == event_id
    assert data["function_id"] == "my-app-child"
    assert data["status"] == "Completed"
    assert data["output"] == "done"
    assert data["ended_at"].endswith("Z")
    assert reply.json["metadata"]["cached_until"] is None
    assert reply.json["metadata"]["fetched_at"].endswith("Z")


async def test_event_runs_lists_the_runs_an_event_started(dev_api: Api, engine: Engine, fake_sdk: FakeSdk) -> None:
    event_id, run_id = await _completed_run(dev_api, engine, fake_sdk)
    reply = await dev_api.call("GET", f"/v1/events/{event_id}/runs")
    assert reply.status == 200
    assert [r["run_id"] for r in reply.json["data"]] == [run_id]


async def test_v0_batch_and_actions_serve_the_run_state(dev_api: Api, engine: Engine, fake_sdk: FakeSdk) -> None:
    _, run_id = await _completed_run(dev_api, engine, fake_sdk)
    batch = await dev_api.call("GET", f"/v0/runs/{run_id}/batch")
    assert batch.status == 200
    assert [e["name"] for e in batch.json] == ["app/child"]
    actions = await dev_api.call("GET", f"/v0/runs/{run_id}/actions")
    assert actions.status == 200
    assert actions.json == {}


async def test_cancelling_an_ended_run_is_idempotent(dev_api: Api, engine: Engine, fake_sdk: FakeSdk) -> None:
    _, run_id = await _completed_run(dev_api, engine, fake_sdk)
    v1 = await dev_api.call("DELETE", f"/v1/runs/{run_id}")
    v0 = await dev_api.call("DELETE", f"/v0/runs/{run_id}")
    assert (v1.status, v0.status) == (200, 200)
    assert v1.json["data"]["status"] == "Completed"


async def test_cancelling_a_running_run_cancels_it(dev_api: Api, engine: Engine, fake_sdk: FakeSdk) -> None:
    fake_sdk.reply_status = 500  # the function keeps failing and retrying, so the run stays open
    fake_sdk.reply_body = b'{"name":"Error","message":"boom"}'
    await dev_api.call("POST", "/fn/register", json_body=register_body(fake_sdk.url))
    sent = await dev_api.call("POST", "/e/key", json_body=[{"name": "app/child"}])
    (run,) = await engine.store.list_runs(event_id=sent.json["ids"][0])
    reply = await dev_api.call("DELETE", f"/v1/runs/{run.run_id}")
    assert reply.status == 200
    assert (await engine.wait_for_run(run.run_id, timeout_s=5)).status.value == "Cancelled"


async def test_list_events_filters_by_name_and_pages_with_a_cursor(dev_api: Api) -> None:
    for i in range(3):
        await dev_api.call("POST", "/e/key", json_body=[{"name": "app/a", "data": {"i": i}}])
    await dev_api.call("POST", "/e/key", json_body=[{"name": "app/b"}])
    first = await dev_api.call("GET", "/v1/events?name=app/a&limit=2")
    assert first.status == 200
    page1 = first.json["data"]
    assert [e["data"]["i"] for e in page1] == [2, 1]
    assert {"internal_id", "id", "name", "data", "user", "ts", "received_at"} <= set(page1[0])
    second = await dev_api.call("GET", f"/v1/events?name=app/a&limit=2&cursor={page1[-1]['internal_id']}")
    assert [e["data"]["i"] for e in second.json["data"]] == [0]


async def test_list_events_accepts_time_bounds(dev_api: Api) -> None:
    await dev_api.call("POST", "/e/key", json_body=[{"name": "app/a"}])
    future = await dev_api.call("GET", "/v1/events?received_after=2100-01-01T00:00:00Z")
    past = await dev_api.call("GET", "/v1/events?received_before=1990-01-01T00:00:00Z")
    now = await dev_api.call("GET", "/v1/events?received_after=0")
    assert (future.json["data"], past.json["data"], len(now.json["data"])) == ([], [], 1)


async def test_bad_list_parameters_are_400s(dev_api: Api) -> None:
    for query in ("limit=abc", "limit=0", "limit=1000", "received_after=yesterday"):
        reply = await dev_api.call("GET", f"/v1/events?{query}")
        assert reply.status == 400, query
        assert isinstance(reply.json["error"], str)


async def test_get_event_returns_it(dev_api: Api) -> None:
    sent = await dev_api.call("POST", "/e/key", json_body=[{"name": "app/a", "data": {"k": "v"}}])
    (event_id,) = sent.json["ids"]
    reply = await dev_api.call("GET", f"/v1/events/{event_id}")
    assert reply.status == 200
    assert reply.json["data"]["name"] == "app/a"
    assert reply.json["data"]["data"] == {"k": "v"}


async def test_unknown_ids_are_json_404s(dev_api: Api) -> None:
    for method, path in (
        ("GET", "/v1/events/nope"),
        ("GET", "/v1/events/nope/runs"),
        ("GET", "/v1/runs/nope"),
        ("DELETE", "/v1/runs/nope"),
        ("GET", "/v0/runs/nope/batch"),
        ("GET", "/v0/runs/nope/actions"),
        ("DELETE", "/v0/runs/nope"),
    ):
        reply = await dev_api.call(method, path)
        assert reply.status == 404, path
        assert reply.json["status"] == 404
        assert reply.json["code"] == "not_found"


async def test_rest_routes_require_the_bearer_when_keyed(serve: Serve, engine: Engine) -> None:
    api = await serve(engine, ServerSettings(signing_keys=[SIGNING_KEY], server_kind=ServerKind.CLOUD))
    for path in ("/v1/events", "/v1/runs/x", "/v0/runs/x/batch", "/v0/runs/x/actions"):
        assert (await api.call("GET", path)).status == 401, path
    assert (await api.call("DELETE", "/v1/runs/x")).status == 401
    assert (await api.call("GET", "/v1/events", headers=AUTH)).status == 200
    assert (await api.call("GET", "/v1/runs/x", headers=AUTH)).status == 404


async def test_the_fallback_signing_key_is_accepted_too(serve: Serve, engine: Engine) -> None:
    fallback = "signkey-prod-abcdef0123456789"
    api = await serve(engine, ServerSettings(signing_keys=[SIGNING_KEY, fallback]))
    assert (await api.call("GET", "/v1/events", headers={"Authorization": f"Bearer {fallback}"})).status == 200
