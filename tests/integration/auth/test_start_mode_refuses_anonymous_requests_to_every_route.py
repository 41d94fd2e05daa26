"""In start mode, an anonymous request to any route gets a JSON 401, or a redirect to the login page when a
browser loads a page. Routes come from ``api_routes()`` (so a route added later is covered without editing this
test) plus the dashboard's page paths. Only the public and key-checked routes answer otherwise, each as its own
check says.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from tornado.web import RequestHandler

from inngest_lab.server.app import api_routes
from inngest_lab.server.auth_guard import API_PREFIXES
from tests.integration.auth.conftest import PAGE, Serve, start_settings

DASHBOARD_PAGES = [
    "/",
    "/runs",
    "/runs/01ABC",
    "/events",
    "/functions",
    "/apps",
    "/crons",
    "/cancel",
    "/charts",
    "/static/x.js",
]
ANSWERED_BY_THEIR_OWN_CHECK = {
    ("GET", "/health"): 200,
    ("GET", "/ready"): 200,  # readiness probes carry no credentials
    ("GET", "/dev"): 404,  # dev-server info does not exist in start mode
    ("POST", "/e/x"): 401,  # wrong event key
    ("POST", "/fn/register"): 401,  # no signing key
    ("GET", "/v0/runs/x/batch"): 401,
    ("GET", "/v0/runs/x/actions"): 401,
}


def concrete(pattern: str) -> str:
    """A path the route's regex matches: every capture group becomes ``x``."""
    path = re.sub(r"\(\?:/\(\[\^/\]\*\)\)\?", "/x", pattern)  # an optional segment: take it
    path = re.sub(r"\(\[\^/\]\*\)|\(\[\^/\]\+\)|\(\.\*\)", "x", path)
    path = path.replace("/?", "/" if pattern.endswith("/?([^/]*)") else "")
    assert re.fullmatch(pattern, path), (pattern, path)
    return path


def route_calls() -> list[tuple[str, str]]:
    calls = []
    for pattern, handler, *_ in api_routes():
        for verb in ("get", "post", "put", "delete"):
            if getattr(handler, verb) is not getattr(RequestHandler, verb):
                calls.append((verb.upper(), concrete(pattern)))
    return calls


CALLS = route_calls()


def test_the_route_table_was_enumerated() -> None:
    assert len(CALLS) >= 25
    assert ("POST", "/v1/cancellations") in CALLS
    assert ("GET", "/lab/live") in CALLS


@pytest.mark.parametrize("password", [True, False], ids=["with-login", "login-off"])
async def test_every_api_route_is_closed_to_anonymous_callers(serve: Serve, password: bool) -> None:
    overrides: dict[str, Any] = {} if password else {"ui_password_hash": ""}
    server = await serve(start_settings(**overrides))
    for method, path in CALLS:
        body = b"{}" if method in ("POST", "PUT") else None
        for headers in ({}, PAGE):
            reply = await server.call(method, path, headers=headers, body=body)
            expected = ANSWERED_BY_THEIR_OWN_CHECK.get((method, path), 401)
            assert reply.status == expected, (method, path, headers, reply.status, reply.text)
            if (method, path) not in ANSWERED_BY_THEIR_OWN_CHECK:  # the Event API has its own error shape
                assert reply.json["code"] == "unauthorized"


async def test_every_dashboard_page_redirects_a_browser_to_the_login_page(serve: Serve) -> None:
    server = await serve(start_settings())
    for path in DASHBOARD_PAGES:
        page = await server.call("GET", path, headers=PAGE)
        assert (page.status, page.headers["location"]) == (303, f"/login?next={path}"), path
        script = await server.call("GET", path)
        assert script.status == 401, path
        write = await server.call("POST", path, headers=PAGE, body=b"{}")
        assert write.status == 401, path


async def test_a_query_string_survives_the_trip_through_the_login_page(serve: Serve) -> None:
    server = await serve(start_settings())
    reply = await server.call("GET", "/runs?status=Failed&fn=a%20b", headers=PAGE)
    assert reply.headers["location"] == "/login?next=/runs%3Fstatus%3DFailed%26fn%3Da%2520b"


async def test_api_paths_never_redirect(serve: Serve) -> None:
    server = await serve(start_settings())
    for prefix in API_PREFIXES:
        reply = await server.call("GET", prefix + "anything", headers=PAGE)
        assert reply.status in (401, 405), prefix


async def test_the_signing_key_still_opens_every_rest_route(serve: Serve) -> None:
    from tests.integration.auth.conftest import BEARER

    server = await serve(start_settings())
    for method, path in CALLS:
        if method != "GET" or path in ("/lab/live",) or path.endswith("/realtime"):
            continue  # streams that stay open
        if path.startswith("/v1/realtime/"):
            continue  # realtime streams take a subscription token, never the signing key (as in Inngest)
        reply = await server.call(method, path, headers=BEARER)
        assert reply.status not in (401, 403), (method, path, reply.status)
