"""``POST /fn/register``: batching combined with cancel_on, debounce, singleton or priority is refused with a 400
whose message names the function and explains why; so are flow-control values outside Inngest's limits."""

from __future__ import annotations

from typing import Any

import pytest

from tests.integration.server.conftest import Api, register_body

APP_URL = "http://127.0.0.1:9/api/inngest"


def _with(**options: Any) -> dict[str, Any]:
    body = register_body(APP_URL)
    body["functions"][0].update(options)
    return body


@pytest.mark.parametrize(
    "clash",
    [
        {"cancel": [{"event": "app/stop"}]},
        {"debounce": {"period": "5s"}},
        {"singleton": {"mode": "skip"}},
        {"priority": {"run": "event.data.vip ? 60 : 0"}},
    ],
)
async def test_batching_with_an_option_that_needs_one_event_is_refused(dev_api: Api, clash: dict[str, Any]) -> None:
    reply = await dev_api.call(
        "POST", "/fn/register", json_body=_with(batchEvents={"maxSize": 5, "timeout": "5s"}, **clash)
    )

    assert reply.status == 400
    message = reply.json["error"]
    assert "Function 'my-app-child': batchEvents cannot be combined with " in message
    assert next(iter(clash)) in message
    assert "a batched run starts from many events" in message


async def test_a_rate_limit_period_over_a_day_is_refused(dev_api: Api) -> None:
    reply = await dev_api.call("POST", "/fn/register", json_body=_with(rateLimit={"limit": 1, "period": "2d"}))

    assert reply.status == 400
    assert "rateLimit.period must be between 1s and 24h" in reply.json["error"]
