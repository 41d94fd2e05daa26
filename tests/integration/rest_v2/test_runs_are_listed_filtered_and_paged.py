"""``GET /v2/runs`` (and ``/api/v2/runs``): newest first, filtered by status and function, paged with a cursor;
``GET /v2/runs/{id}`` and ``GET /v2/events/{id}/runs`` in the FunctionRun shape."""

from __future__ import annotations

from inngest_lab.executor.engine import Engine
from tests.integration.rest_v2.conftest import finished, send
from tests.integration.server.conftest import Api


async def test_runs_are_listed_newest_first_filtered_and_paged(dev_api: Api, engine: Engine, shop_app: str) -> None:
    event_ids = [await send(dev_api, "shop/order", {"item": f"i{n}"}) for n in range(5)]
    runs = [await finished(engine, e) for e in event_ids]
    waiting = await send(dev_api, "shop/wait")

    seen: list[str] = []
    cursor = ""
    while True:
        reply = await dev_api.call("GET", f"/v2/runs?limit=2&functionId=shop-order&status=COMPLETED{cursor}")
        assert reply.status == 200, reply.text
        page = reply.json["page"]
        assert page["limit"] == 2 and len(reply.json["data"]) <= 2
        seen += [r["id"] for r in reply.json["data"]]
        if not page["hasMore"]:
            break
        cursor = f"&cursor={page['cursor']}"
    assert seen == [r.run_id for r in sorted(runs, key=lambda r: (r.created_at_ms, r.run_id), reverse=True)]

    every = (await dev_api.call("GET", "/api/v2/runs?limit=100")).json
    assert {r["function"]["id"] for r in every["data"]} == {"shop-order", "shop-wait"}
    assert every["page"] == {"hasMore": False, "limit": 100}
    assert "fetchedAt" in every["metadata"]
    running = (await dev_api.call("GET", "/v2/runs?status=running&status=queued")).json["data"]
    assert [r["trigger"]["eventIds"] for r in running] == [[waiting]]

    one = (await dev_api.call("GET", f"/v2/runs/{runs[0].run_id}?includeOutput=true")).json["data"]
    assert one["status"] == "COMPLETED" and one["output"] == {"item": "i0", "paid": 10}
    assert one["app"] == {"id": "shop"} and one["function"]["app"] == {"id": "shop"}
    assert one["trigger"] == {"eventIds": [event_ids[0]], "isBatch": False, "eventName": "shop/order"}
    assert one["queuedAt"].endswith("Z") and one["durationMs"] >= 0
    assert "output" not in (await dev_api.call("GET", f"/v2/runs/{runs[0].run_id}")).json["data"]

    by_event = (await dev_api.call("GET", f"/v2/events/{event_ids[1]}/runs")).json["data"]
    assert [r["id"] for r in by_event] == [runs[1].run_id]
    per_function = (await dev_api.call("GET", "/v2/apps/shop/functions/order/runs?limit=10")).json["data"]
    assert len(per_function) == 5


async def test_bad_filters_are_400s_naming_the_problem(dev_api: Api, shop_app: str) -> None:
    for query, message in [
        ("status=DONE", "Status is invalid"),
        ("limit=0", "Limit must be at least 1"),
        ("limit=101", "Limit cannot exceed 100"),
        ("cursor=%%%", "Cursor is invalid"),
        ("from=yesterday", "from must be an RFC 3339 timestamp"),
        ("order=ASC", "order: only DESC is supported"),
    ]:
        reply = await dev_api.call("GET", f"/v2/runs?{query}")
        assert reply.status == 400, query
        [error] = reply.json["errors"]
        assert error["message"] == message and error["code"] == "invalid_field_format", reply.json
    missing = await dev_api.call("GET", "/v2/runs/01HZZZZZZZZZZZZZZZZZZZZZZZ")
    assert missing.status == 404 and missing.json["errors"][0]["code"] == "not_found"
