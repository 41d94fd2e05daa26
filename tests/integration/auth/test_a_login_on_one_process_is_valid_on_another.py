"""Sessions are stateless and signed with a key every process derives alike (from the signing key, or from
``--session-secret``), so a browser logged in through one process is logged in on all of them; a process with
other keys, or a changed password, does not accept it."""

from __future__ import annotations

from inngest_lab.server.auth_password import hash_password
from inngest_lab.server.auth_session import CSRF_COOKIE
from tests.integration.auth.conftest import Serve, start_settings

SECRET = "s" * 40


async def test_a_session_from_process_a_works_on_process_b(serve: Serve) -> None:
    a, b = await serve(start_settings()), await serve(start_settings())
    await a.login()
    b.cookies.update(a.cookies)
    assert (await b.call("GET", "/lab/runs")).status == 200
    token = {"X-CSRF-Token": a.cookies[CSRF_COOKIE]}
    assert (await b.call("POST", "/v1/functions/app-fn/resume", headers=token)).status == 404  # past auth


async def test_a_shared_session_secret_works_across_different_signing_keys(serve: Serve) -> None:
    a = await serve(start_settings(session_secret=SECRET))
    b = await serve(start_settings(session_secret=SECRET, signing_keys=["signkey-prod-" + "ab" * 32]))
    await a.login()
    b.cookies.update(a.cookies)
    assert (await b.call("GET", "/lab/runs")).status == 200


async def test_another_secret_or_a_new_password_refuses_the_session(serve: Serve) -> None:
    a = await serve(start_settings())
    other_secret = await serve(start_settings(session_secret=SECRET))
    new_password = await serve(start_settings(ui_password_hash=hash_password("another one", log2_n=4)))
    await a.login()
    for server in (other_secret, new_password):
        server.cookies.update(a.cookies)
        assert (await server.call("GET", "/lab/runs")).status == 401
