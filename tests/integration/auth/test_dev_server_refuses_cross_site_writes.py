"""The dev server has no login, so no web page the developer visits may change anything on it: a state-changing
request that a browser marks cross-site (``Sec-Fetch-Site``) or sends from another ``Origin`` gets 403 on every
route. Reads, same-origin writes, and requests with no ``Origin`` at all (curl, the SDKs) keep working."""

from __future__ import annotations

from tests.integration.auth.conftest import Serve
from tests.integration.auth.test_start_mode_refuses_anonymous_requests_to_every_route import CALLS

EVIL = {"Origin": "http://evil.example"}
WRITES = [(m, p) for m, p in CALLS if m in ("POST", "PUT", "DELETE")]


async def test_every_state_changing_route_refuses_a_foreign_origin(serve: Serve) -> None:
    server = await serve()
    assert len(WRITES) >= 10
    same_site_other_port = {"Origin": f"http://localhost:{server.port + 1}", "Sec-Fetch-Site": "same-site"}
    for method, path in WRITES:
        for headers in (EVIL, {"Sec-Fetch-Site": "cross-site"}, {"Origin": "null"}, same_site_other_port):
            reply = await server.call(method, path, headers=headers, body=b"{}")
            assert reply.status == 403, (method, path, headers, reply.status)
            assert "cross-site" in reply.json["error"]


async def test_requests_without_an_origin_and_same_origin_requests_still_work(serve: Serve) -> None:
    server = await serve()
    event = b'{"name": "app/hello", "data": {}}'
    assert (await server.call("POST", "/e/any-key", body=event)).status == 200
    own = {"Origin": server.origin, "Sec-Fetch-Site": "same-origin"}
    assert (await server.call("POST", "/e/any-key", body=event, headers=own)).status == 200
    assert (await server.call("POST", "/v1/functions/app-fn/pause", headers=own)).status == 404  # past the guard


async def test_cross_site_reads_are_not_refused(serve: Serve) -> None:
    server = await serve()
    reply = await server.call("GET", "/lab/runs", headers={**EVIL, "Sec-Fetch-Site": "cross-site"})
    assert reply.status == 200  # without CORS headers the page cannot read the answer anyway
