"""POST /fn/register: server-kind check, Bearer auth, body errors, idempotent syncs."""

from __future__ import annotations

from inngest_lab.executor.engine import Engine
from tests.integration.server.conftest import HASHED_KEY, SIGNING_KEY, Api, register_body

APP_URL = "http://127.0.0.1:9/api/inngest"


async def test_registering_stores_the_app_and_its_functions(dev_api: Api, engine: Engine) -> None:
    reply = await dev_api.call("POST", "/fn/register", json_body=register_body(APP_URL))
    assert reply.status == 200
    assert reply.json["ok"] is True
    assert reply.json["modified"] is True
    assert reply.json["app_id"] == "my-app"
    assert isinstance(reply.json["sync_id"], str)
    assert [f.fn_id for f in await engine.store.list_functions()] == ["my-app-child"]


async def test_registering_the_same_body_again_is_not_a_modification(dev_api: Api) -> None:
    await dev_api.call("POST", "/fn/register", json_body=register_body(APP_URL))
    reply = await dev_api.call("POST", "/fn/register", json_body=register_body(APP_URL))
    assert reply.status == 200
    assert reply.json["modified"] is False


async def test_dev_ignores_authorization_entirely(dev_api: Api) -> None:
    reply = await dev_api.call(
        "POST", "/fn/register", json_body=register_body(APP_URL), headers={"Authorization": "Bearer undefined"}
    )
    assert reply.status == 200


async def test_a_server_kind_mismatch_is_a_400_naming_both_kinds(dev_api: Api) -> None:
    reply = await dev_api.call(
        "POST", "/fn/register", json_body=register_body(APP_URL), headers={"X-Inngest-Expected-Server-Kind": "cloud"}
    )
    assert reply.status == 400
    assert reply.json["error"] == "Expected server kind dev, got cloud"
    assert reply.json["status"] == 400
    assert reply.json["code"] == "server_kind_mismatch"


async def test_a_matching_expected_server_kind_is_accepted(cloud_api: Api) -> None:
    reply = await cloud_api.call(
        "POST",
        "/fn/register",
        json_body=register_body(APP_URL),
        headers={"X-Inngest-Expected-Server-Kind": "cloud", "Authorization": f"Bearer {HASHED_KEY}"},
    )
    assert reply.status == 200


async def test_python_style_bearer_without_prefix_is_accepted(cloud_api: Api) -> None:
    reply = await cloud_api.call(
        "POST", "/fn/register", json_body=register_body(APP_URL), headers={"Authorization": f"Bearer {HASHED_KEY}"}
    )
    assert reply.status == 200


async def test_ts_style_bearer_with_prefix_is_accepted(cloud_api: Api) -> None:
    reply = await cloud_api.call(
        "POST",
        "/fn/register",
        json_body=register_body(APP_URL),
        headers={"Authorization": f"bearer signkey-test-{HASHED_KEY}"},
    )
    assert reply.status == 200


async def test_the_plain_signing_key_as_bearer_is_accepted(cloud_api: Api) -> None:
    reply = await cloud_api.call(
        "POST", "/fn/register", json_body=register_body(APP_URL), headers={"Authorization": f"Bearer {SIGNING_KEY}"}
    )
    assert reply.status == 200


async def test_a_wrong_or_missing_bearer_is_a_401(cloud_api: Api) -> None:
    for headers in (
        {},
        {"Authorization": "Bearer undefined"},
        {"Authorization": f"Basic {HASHED_KEY}"},
        {"Authorization": "Bearer " + "0" * 64},
    ):
        reply = await cloud_api.call("POST", "/fn/register", json_body=register_body(APP_URL), headers=headers)
        assert reply.status == 401, headers
        assert reply.json == {"code": "unauthorized", "error": "Authentication failed", "status": 401}


async def test_malformed_json_is_an_invalid_request(dev_api: Api) -> None:
    reply = await dev_api.call("POST", "/fn/register", body=b"{", headers={"Content-Type": "application/json"})
    assert reply.status == 400
    assert reply.json["error"].startswith("Invalid request: ")


async def test_a_non_object_body_is_an_invalid_request(dev_api: Api) -> None:
    reply = await dev_api.call("POST", "/fn/register", json_body=[1, 2])
    assert reply.status == 400
    assert reply.json["error"].startswith("Invalid request: ")


async def test_a_body_the_registration_parser_rejects_is_a_400_with_a_string_error(dev_api: Api) -> None:
    body = register_body(APP_URL)
    body["appname"] = ""
    reply = await dev_api.call("POST", "/fn/register", json_body=body)
    assert reply.status == 400
    assert isinstance(reply.json["error"], str)
    assert reply.json["error"].startswith("Invalid request: ")
    assert reply.json["code"] == "bad_request"


async def test_dev_info_lists_apps_and_functions(dev_api: Api) -> None:
    await dev_api.call("POST", "/fn/register", json_body=register_body(APP_URL))
    reply = await dev_api.call("GET", "/dev")
    assert reply.status == 200
    assert [a["id"] for a in reply.json["apps"]] == ["my-app"]
    assert [f["id"] for f in reply.json["functions"]] == ["my-app-child"]


async def test_dev_info_is_not_served_by_a_self_hosted_server(cloud_api: Api) -> None:
    assert (await cloud_api.call("GET", "/dev")).status == 404
