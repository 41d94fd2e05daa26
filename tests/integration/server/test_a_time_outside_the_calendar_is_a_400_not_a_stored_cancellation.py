"""A bulk cancellation whose time bound no calendar can write (epoch ms far before year 1) is refused with a 400
naming the field; nothing is stored, so listing cancellations keeps working (it used to store it, then every
listing failed to format the bound)."""

from __future__ import annotations

from tests.integration.server.conftest import Api


async def test_a_time_outside_the_calendar_is_a_400_not_a_stored_cancellation(dev_api: Api) -> None:
    body = {"app_id": "shop", "function_id": "shop-checkout", "started_after": -9007199254740991}
    body["started_before"] = "2026-01-01T00:00:00Z"
    refused = await dev_api.call("POST", "/v1/cancellations", json_body=body)
    assert refused.status == 400
    assert "started_after" in refused.json["error"]
    listed = await dev_api.call("GET", "/v1/cancellations")
    assert listed.status == 200
    assert listed.json["data"] == []
