"""The session cookie carries its expiry, signed: at the end of ``session_ttl_s`` (fake clock) the browser is
anonymous again, whatever the browser does with the cookie's ``Max-Age``."""

from __future__ import annotations

from inngest_lab.executor.clock import FakeClock
from tests.integration.auth.conftest import PAGE, Serve, start_settings


async def test_the_session_works_until_its_lifetime_ends(serve: Serve, clock: FakeClock) -> None:
    server = await serve(start_settings(session_ttl_s=600))
    await server.login()
    clock.advance(599_000)
    assert (await server.call("GET", "/lab/runs")).status == 200
    clock.advance(1_000)
    assert (await server.call("GET", "/lab/runs")).status == 401
    page = await server.call("GET", "/runs", headers=PAGE)
    assert (page.status, page.headers["location"]) == (303, "/login?next=/runs")
