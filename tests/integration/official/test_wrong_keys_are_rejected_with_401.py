"""A self-hosted server rejects a wrong Bearer signing key and a wrong event key with 401, in Inngest's shapes."""

from __future__ import annotations

import pytest

from inngest_lab.protocol.signing import hashed_signing_key
from tests.integration.official.harness import Target

WRONG_KEY = "signkey-test-" + "77" * 32


@pytest.mark.parametrize(
    ("method", "path"),
    [("POST", "/fn/register"), ("GET", "/v0/runs/r1/actions"), ("GET", "/v0/runs/r1/batch"), ("GET", "/v1/events")],
)
@pytest.mark.parametrize(
    "token", [WRONG_KEY, hashed_signing_key(WRONG_KEY), "undefined"], ids=["ts", "py", "undefined"]
)
async def test_a_wrong_bearer_key_is_a_401(start_target: Target, method: str, path: str, token: str) -> None:
    headers = {"Authorization": f"Bearer {token}"}
    async with start_target.session.request(method, start_target.stack.url + path, json={}, headers=headers) as resp:
        body = await resp.json()
        assert resp.status == 401
    assert body == {"code": "unauthorized", "error": "Authentication failed", "status": 401}


async def test_a_wrong_event_key_is_a_401_with_inngests_body(start_target: Target) -> None:
    name = start_target.event("sent-with-a-wrong-key")
    async with start_target.session.post(f"{start_target.stack.url}/e/not-the-key", json=[{"name": name}]) as resp:
        assert resp.status == 401
        assert await resp.json() == {"status": 401, "message": "", "error": "Event key not found"}
    assert await start_target.data(f"/v1/events?name={name}") == [], "nothing was stored"


async def test_the_dev_server_ignores_bearer_undefined(dev_target: Target) -> None:
    """The TS SDK without a key sends the literal ``Bearer undefined``; a dev server has no key to check."""
    headers = {"Authorization": "Bearer undefined"}
    async with dev_target.session.get(dev_target.stack.url + "/v1/events?limit=1", headers=headers) as resp:
        assert resp.status == 200
