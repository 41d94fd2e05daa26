"""Behind a reverse proxy that rewrites ``Host`` (nginx's default ``proxy_set_header Host $proxy_host``), the
login form's ``Origin`` is the public name while ``Host`` is the upstream's. The proxy's ``X-Forwarded-Host``,
or ``--allowed-host`` with the public name, makes it the server's own origin; anything else stays cross-site."""

from __future__ import annotations

from tests.integration.auth.conftest import PASSWORD, Serve, start_settings

PUBLIC = "inngest.example.com"
FORM = {"password": PASSWORD, "next": "/runs"}


async def test_the_forwarded_host_is_the_servers_own_origin(serve: Serve) -> None:
    server = await serve(start_settings())
    proxied = {"Host": "inngest:8288", "Origin": f"https://{PUBLIC}", "X-Forwarded-Proto": "https"}
    refused = await server.call("POST", "/login", form=FORM, headers=proxied)
    assert refused.status == 403 and "cross-site" in refused.json["error"]
    ok = await server.call("POST", "/login", form=FORM, headers={**proxied, "X-Forwarded-Host": PUBLIC})
    assert (ok.status, ok.headers["location"]) == (303, "/runs")
    assert "Secure" in ok.headers["set-cookie"]


async def test_an_allowed_host_is_the_servers_own_origin(serve: Serve) -> None:
    server = await serve(start_settings(allowed_hosts=[PUBLIC]))
    ok = await server.call("POST", "/login", form=FORM, headers={"Host": "inngest:8288", "Origin": f"https://{PUBLIC}"})
    assert ok.status == 303
    evil = await server.call(
        "POST", "/login", form=FORM, headers={"Host": "inngest:8288", "Origin": "https://evil.example"}
    )
    assert evil.status == 403
