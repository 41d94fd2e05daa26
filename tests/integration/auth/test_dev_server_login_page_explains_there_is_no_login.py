"""A dev server without a password has nothing to log in to: ``/login`` says so with a link onward (never a
redirect, which could loop with a dashboard whose API calls get 401), and when a signing key closes the REST
API it says how to get a login. With a password, the dev server has the same login as ``start``."""

from __future__ import annotations

from inngest_lab.server.settings import ServerSettings
from tests.integration.auth.conftest import PAGE, PASSWORD_HASH, SIGNING_KEY, Serve


async def test_no_password_no_key_links_to_the_dashboard(serve: Serve) -> None:
    server = await serve()
    page = await server.call("GET", "/login?next=/runs", headers=PAGE)
    assert page.status == 200 and "has no login" in page.text and 'href="/runs"' in page.text
    assert (await server.call("GET", "/runs", headers=PAGE)).status == 404  # open: no dashboard on this branch


async def test_a_signing_key_without_a_password_says_how_to_log_in(serve: Serve) -> None:
    server = await serve(ServerSettings(signing_keys=[SIGNING_KEY]))
    page = await server.call("GET", "/login?next=/runs", headers=PAGE)
    assert page.status == 200 and "--ui-password-hash" in page.text
    assert (await server.call("GET", "/lab/runs")).status == 401


async def test_a_password_gives_the_dev_server_a_login(serve: Serve) -> None:
    server = await serve(ServerSettings(ui_password_hash=PASSWORD_HASH))
    page = await server.call("GET", "/runs", headers=PAGE)
    assert (page.status, page.headers["location"]) == (303, "/login?next=/runs")
    assert (await server.call("GET", "/lab/runs")).status == 401
    assert (await server.call("POST", "/e/any", body=b'{"name": "a/b"}')).status == 200  # the SDK routes stay open
    await server.login()
    assert (await server.call("GET", "/lab/runs")).status == 200
