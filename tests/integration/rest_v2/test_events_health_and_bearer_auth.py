"""``POST /v2/events``, ``GET /v2/health``, and v2's Bearer auth in cloud mode (the v1 REST API's keys)."""

from __future__ import annotations

from inngest_lab.executor.engine import Engine
from tests.integration.rest_v2.conftest import finished
from tests.integration.server.conftest import SIGNING_KEY, Api


async def test_an_event_is_sent_and_starts_its_function(dev_api: Api, engine: Engine, shop_app: str) -> None:
    health = await dev_api.call("GET", "/api/v2/health")
    assert (health.status, health.json["data"]) == (200, {"status": "ok"})

    reply = await dev_api.call("POST", "/v2/events", json_body={"name": "shop/order", "data": {"item": "cup"}})
    assert reply.status == 201 and reply.json["metadata"]["fetchedAt"].endswith("Z")
    run = await finished(engine, reply.json["data"]["eventId"])
    assert run.output == {"item": "cup", "paid": 10}

    nameless = await dev_api.call("POST", "/v2/events", json_body={"data": {}})
    assert nameless.status == 400 and nameless.json["errors"] == [
        {"code": "missing_field", "message": "Event name is required"}
    ]
    not_json = await dev_api.call("POST", "/v2/events", body=b"{")
    assert not_json.status == 400 and not_json.json["errors"][0]["code"] == "invalid_request"


async def test_cloud_mode_requires_the_signing_key(cloud_api: Api) -> None:
    """The headless server's auth guard refuses before routing (its common error shape); the key opens both mounts."""
    none = await cloud_api.call("GET", "/v2/runs")
    assert none.status == 401 and none.json["code"] == "unauthorized"
    wrong = await cloud_api.call("GET", "/v2/runs", headers={"Authorization": "Bearer signkey-test-00"})
    assert wrong.status == 401 and wrong.json["error"] == "Authentication failed"
    ok = await cloud_api.call("GET", "/api/v2/runs", headers={"Authorization": f"Bearer {SIGNING_KEY}"})
    assert ok.status == 200 and ok.json["data"] == []
