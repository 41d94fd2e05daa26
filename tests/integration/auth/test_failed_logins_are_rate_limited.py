"""Failed logins are limited per client address (GCRA, 20 failures a minute with a burst of 2): the fourth
quick failure gets 429 with ``Retry-After``, and while limited even the right password is not checked. Time on
the fake clock restores the allowance; a success forgets earlier failures."""

from __future__ import annotations

from inngest_lab.executor.clock import FakeClock
from inngest_lab.server.auth_session import SESSION_COOKIE
from tests.integration.auth.conftest import PASSWORD, Serve, start_settings


async def test_the_fourth_quick_failure_is_refused_until_time_passes(serve: Serve, clock: FakeClock) -> None:
    server = await serve(start_settings())
    for _ in range(3):
        assert (await server.login("wrong")).status == 401
    limited = await server.login("wrong")
    assert (limited.status, limited.headers["retry-after"]) == (429, "3")
    assert "Too many failed logins" in limited.text
    right_but_limited = await server.login(PASSWORD)
    assert right_but_limited.status == 429 and SESSION_COOKIE not in right_but_limited.set_cookies
    clock.advance(2_999)
    assert (await server.login(PASSWORD)).status == 429
    clock.advance(1)
    assert (await server.login(PASSWORD)).status == 303


async def test_a_success_forgets_earlier_failures(serve: Serve) -> None:
    server = await serve(start_settings())
    for _ in range(2):
        assert (await server.login("wrong")).status == 401
    assert (await server.login(PASSWORD)).status == 303
    for _ in range(3):
        assert (await server.login("wrong")).status == 401
    assert (await server.login("wrong")).status == 429
