"""Logging in over real HTTP: the form, the cookies it sets, the REST routes a session opens (reads freely, writes
only with the CSRF token), and logging out."""

from __future__ import annotations

from inngest_lab.server.auth_session import CSRF_COOKIE, SESSION_COOKIE
from tests.integration.auth.conftest import PAGE, PASSWORD, Serve, start_settings


async def test_the_login_form_is_a_self_contained_page(serve: Serve) -> None:
    server = await serve(start_settings())
    page = await server.call("GET", "/login?next=/runs", headers=PAGE)
    assert page.status == 200
    assert page.headers["content-type"].startswith("text/html")
    assert 'name="password"' in page.text and 'value="/runs"' in page.text
    assert "http://" not in page.text and "https://" not in page.text  # no CDN, nothing remote
    assert "frame-ancestors 'none'" in page.headers["content-security-policy"]
    assert page.headers["cache-control"] == "no-store"


async def test_a_wrong_password_shows_the_form_again_with_a_401(serve: Serve) -> None:
    server = await serve(start_settings())
    reply = await server.login("not the password", "/runs")
    assert reply.status == 401
    assert "Wrong password" in reply.text and 'value="/runs"' in reply.text
    assert not reply.set_cookies


async def test_login_sets_strict_cookies_and_goes_to_next(serve: Serve) -> None:
    server = await serve(start_settings())
    reply = await server.login(PASSWORD, "/runs/01ABC?tab=steps")
    assert (reply.status, reply.headers["location"]) == (303, "/runs/01ABC?tab=steps")
    session, csrf = reply.set_cookies[SESSION_COOKIE], reply.set_cookies[CSRF_COOKIE]
    assert session["httponly"] and not csrf["httponly"]  # the dashboard's script reads the CSRF token
    for cookie in (session, csrf):
        assert (cookie["samesite"], cookie["path"], cookie["max-age"]) == ("Strict", "/", str(12 * 3600))
        assert not cookie["secure"]  # plain HTTP; behind an HTTPS proxy it is Secure
    assert session.value != csrf.value


async def test_cookies_are_secure_behind_an_https_proxy(serve: Serve) -> None:
    server = await serve(start_settings())
    reply = await server.call(
        "POST", "/login", form={"password": PASSWORD, "next": "/"}, headers={"X-Forwarded-Proto": "https"}
    )
    assert reply.set_cookies[SESSION_COOKIE]["secure"] and reply.set_cookies[CSRF_COOKIE]["secure"]


async def test_a_non_ascii_next_is_percent_encoded(serve: Serve) -> None:
    server = await serve(start_settings())
    reply = await server.login(PASSWORD, "/runs/日本?q=é")
    assert (reply.status, reply.headers["location"]) == (303, "/runs/%E6%97%A5%E6%9C%AC?q=%C3%A9")


async def test_next_never_leaves_the_server(serve: Serve) -> None:
    server = await serve(start_settings())
    for evil in ("https://evil.example/", "//evil.example/x", "/\\evil.example", "javascript:alert(1)", "/login"):
        server.cookies.clear()
        reply = await server.login(PASSWORD, evil)
        assert reply.headers["location"] == "/", evil


async def test_a_session_reads_freely_and_writes_only_with_the_csrf_token(serve: Serve) -> None:
    server = await serve(start_settings())
    await server.login()
    assert (await server.call("GET", "/lab/runs")).status == 200
    assert (await server.call("GET", "/v1/events")).status == 200
    write = await server.call("POST", "/v1/functions/app-fn/pause", body=b"")
    assert write.status == 403 and "X-CSRF-Token" in write.json["error"]
    wrong = await server.call("POST", "/v1/functions/app-fn/pause", headers={"X-CSRF-Token": "0" * 64})
    assert wrong.status == 403
    token = {"X-CSRF-Token": server.cookies[CSRF_COOKIE]}
    ok = await server.call("POST", "/v1/functions/app-fn/pause", headers=token)
    assert ok.status == 404  # past auth: the function does not exist
    assert (await server.call("DELETE", "/v1/runs/01NONE", headers=token)).status == 404


async def test_a_logged_in_browser_is_sent_on_from_the_login_page(serve: Serve) -> None:
    server = await serve(start_settings())
    await server.login()
    onward = await server.call("GET", "/login?next=/events", headers=PAGE)
    assert (onward.status, onward.headers["location"]) == (303, "/events")
    page = await server.call("GET", "/login", headers=PAGE)
    assert page.status == 200 and 'action="/logout"' in page.text
    assert server.cookies[CSRF_COOKIE] in page.text  # the Log out form carries the token


async def test_logout_needs_the_csrf_token_then_clears_the_cookies(serve: Serve) -> None:
    server = await serve(start_settings())
    await server.login()
    refused = await server.call("POST", "/logout", body=b"")
    assert refused.status == 403
    assert (await server.call("GET", "/lab/runs")).status == 200
    out = await server.call("POST", "/logout", headers={"X-CSRF-Token": server.cookies[CSRF_COOKIE]})
    assert (out.status, out.json) == (200, {"ok": True})
    for name in (SESSION_COOKIE, CSRF_COOKIE):
        assert out.set_cookies[name].value == "" and out.set_cookies[name]["expires"]
    server.cookies.clear()
    assert (await server.call("GET", "/lab/runs")).status == 401


async def test_logout_from_the_form_returns_to_the_login_page(serve: Serve) -> None:
    server = await serve(start_settings())
    await server.login()
    out = await server.call("POST", "/logout", form={"csrf_token": server.cookies[CSRF_COOKIE]})
    assert (out.status, out.headers["location"]) == (303, "/login")


async def test_a_forged_or_tampered_session_cookie_is_anonymous(serve: Serve) -> None:
    server = await serve(start_settings())
    await server.login()
    token = server.cookies[SESSION_COOKIE]
    version, expires, nonce, mac = token.split(".")
    for forged in (f"{version}.{int(expires) + 86400}.{nonce}.{mac}", f"{version}.{expires}.{nonce}.{'0' * 64}", "x"):
        server.cookies[SESSION_COOKIE] = forged
        assert (await server.call("GET", "/lab/runs")).status == 401, forged


async def test_a_bearer_call_needs_no_csrf_token(serve: Serve) -> None:
    from tests.integration.auth.conftest import BEARER

    server = await serve(start_settings())
    reply = await server.call("POST", "/v1/functions/app-fn/pause", headers=BEARER)
    assert reply.status == 404
