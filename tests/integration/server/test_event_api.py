"""POST /e/{key}: the Event API as SDKs call it."""

from __future__ import annotations

import base64

from inngest_lab.executor.engine import Engine
from inngest_lab.protocol.consts import MAX_EVENT_REQUEST_BYTES
from tests.integration.server.conftest import EVENT_KEY, Api


async def test_sending_an_array_stores_each_event_and_returns_ids_in_order(dev_api: Api, engine: Engine) -> None:
    reply = await dev_api.call(
        "POST",
        "/e/NO_EVENT_KEY_SET",
        json_body=[
            {"name": "app/a", "data": {"n": 1}, "ts": 1795318467878},
            {"name": "app/b", "data": {"n": 2}},
        ],
    )
    assert reply.status == 200
    assert reply.json["status"] == 200
    assert "error" not in reply.json
    ids = reply.json["ids"]
    assert len(ids) == 2
    stored = [await engine.store.get_event(i) for i in ids]
    assert [e.name for e in stored if e] == ["app/a", "app/b"]


async def test_a_single_event_object_is_accepted(dev_api: Api) -> None:
    reply = await dev_api.call("POST", "/e/anything", json_body={"name": "app/one", "data": {}})
    assert reply.status == 200
    assert len(reply.json["ids"]) == 1


async def test_every_response_carries_the_server_kind(dev_api: Api, cloud_api: Api) -> None:
    assert (await dev_api.call("GET", "/health")).headers["x-inngest-server-kind"] == "dev"
    assert (await cloud_api.call("POST", "/e/wrong", json_body=[])).headers["x-inngest-server-kind"] == "cloud"


async def test_malformed_json_is_a_400_in_the_event_api_shape(dev_api: Api) -> None:
    reply = await dev_api.call("POST", "/e/k", body=b"{not json", headers={"Content-Type": "application/json"})
    assert reply.status == 400
    assert reply.json["ids"] == []
    assert reply.json["status"] == 400
    assert isinstance(reply.json["error"], str)
    assert reply.json["error"]


async def test_an_event_without_a_name_is_a_400(dev_api: Api) -> None:
    reply = await dev_api.call("POST", "/e/k", json_body=[{"data": {}}])
    assert reply.status == 400
    assert "name" in reply.json["error"]


async def test_the_reserved_inngest_prefix_is_rejected_case_insensitively(dev_api: Api) -> None:
    reply = await dev_api.call("POST", "/e/k", json_body=[{"name": "Inngest/function.finished", "data": {}}])
    assert reply.status == 400
    assert "reserved" in reply.json["error"]


async def test_a_bad_event_rejects_the_whole_request(dev_api: Api, engine: Engine) -> None:
    reply = await dev_api.call("POST", "/e/k", json_body=[{"name": "app/ok"}, {"name": ""}])
    assert reply.status == 400
    assert await engine.store.list_events() == []


async def test_a_body_over_three_mib_is_a_json_413(dev_api: Api) -> None:
    big = b'[{"name":"app/big","data":{"s":"' + b"x" * MAX_EVENT_REQUEST_BYTES + b'"}}]'
    reply = await dev_api.call("POST", "/e/k", body=big, headers={"Content-Type": "application/json"})
    assert reply.status == 413
    assert reply.json["status"] == 413
    assert reply.json["ids"] == []


async def test_one_event_over_the_per_event_limit_is_a_413(dev_api: Api) -> None:
    reply = await dev_api.call("POST", "/e/k", json_body=[{"name": "app/big", "data": {"s": "x" * 600_000}}])
    assert reply.status == 413


async def test_a_wrong_event_key_is_a_401_with_gos_body(cloud_api: Api) -> None:
    reply = await cloud_api.call("POST", "/e/not-the-key", json_body=[{"name": "app/a"}])
    assert reply.status == 401
    assert reply.json == {"status": 401, "message": "", "error": "Event key not found"}


async def test_an_empty_event_key_is_a_401_even_in_dev(dev_api: Api) -> None:
    assert (await dev_api.call("POST", "/e/", json_body=[{"name": "app/a"}])).status == 401
    assert (await dev_api.call("POST", "/e", json_body=[{"name": "app/a"}])).status == 401


async def test_the_configured_event_key_is_accepted(cloud_api: Api) -> None:
    reply = await cloud_api.call("POST", f"/e/{EVENT_KEY}", json_body=[{"name": "app/a"}])
    assert reply.status == 200


async def test_the_event_id_seed_makes_a_retried_send_return_the_same_ids(dev_api: Api, engine: Engine) -> None:
    seed = "1795318467878," + base64.b64encode(bytes(range(10))).decode()
    body = [{"name": "app/a"}, {"name": "app/b"}]
    first = await dev_api.call("POST", "/e/k", json_body=body, headers={"X-Inngest-Event-Id-Seed": seed})
    again = await dev_api.call("POST", "/e/k", json_body=body, headers={"X-Inngest-Event-Id-Seed": seed})
    assert first.json["ids"] == again.json["ids"]
    assert first.json["ids"][0] != first.json["ids"][1]
    assert len(await engine.store.list_events()) == 2


async def test_an_event_without_an_id_gets_its_internal_id_as_id(dev_api: Api, engine: Engine) -> None:
    reply = await dev_api.call("POST", "/e/k", json_body=[{"name": "app/a"}])
    (internal_id,) = reply.json["ids"]
    event = await engine.store.get_event(internal_id)
    assert event is not None
    assert event.payload["id"] == internal_id
