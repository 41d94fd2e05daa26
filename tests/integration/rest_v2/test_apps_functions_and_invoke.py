"""``GET /v2/apps[/{id}]``, ``GET /v2/apps/{id}/functions[/{fn}]`` and ``POST .../functions/{fn}/invoke``."""

from __future__ import annotations

from inngest_lab.executor.engine import Engine
from tests.integration.server.conftest import Api


async def test_apps_and_functions_are_listed_and_a_function_invoked(
    dev_api: Api, engine: Engine, shop_app: str
) -> None:
    apps = (await dev_api.call("GET", "/v2/apps")).json
    [app] = apps["data"]
    assert app["id"] == "shop" and app["functionCount"] == 2 and app["method"] == "SERVE"
    assert app["latestSync"]["url"] == shop_app and app["latestSync"]["status"] == "success"
    assert app["latestSync"]["sdkLanguage"] == "lab"
    assert apps["page"] == {"hasMore": False, "limit": 20}
    assert (await dev_api.call("GET", "/v2/apps/shop")).json["data"]["id"] == "shop"

    fns = (await dev_api.call("GET", "/v2/apps/shop/functions?limit=1")).json
    assert [f["id"] for f in fns["data"]] == ["shop-order"] and fns["page"]["hasMore"] is True
    rest = (await dev_api.call("GET", f"/v2/apps/shop/functions?cursor={fns['page']['cursor']}")).json
    assert [f["id"] for f in rest["data"]] == ["shop-wait"]
    order = (await dev_api.call("GET", "/v2/apps/shop/functions/order")).json["data"]
    assert order["triggers"] == [{"type": "EVENT", "value": "shop/order"}]
    assert order["configuration"]["retries"] == {"value": 0} and order["isPaused"] is False

    reply = await dev_api.call("POST", "/v2/apps/shop/functions/shop-order/invoke", json_body={"data": {"item": "ink"}})
    assert reply.status == 200, reply.text
    run = await engine.wait_for_run(reply.json["data"]["runId"], 10)
    assert run.output == {"item": "ink", "paid": 10}
    assert reply.json["data"]["queuedAt"].endswith("Z")

    for path in ("/v2/apps/nope", "/v2/apps/nope/functions", "/v2/apps/shop/functions/nope"):
        missing = await dev_api.call("GET", path)
        assert missing.status == 404 and missing.json["errors"][0]["code"] == "not_found", path
