"""DNS rebinding: a page on ``evil.example`` whose name now resolves to 127.0.0.1 reaches a loopback dev server
with ``Host: evil.example:<port>``. The dev server answers only its own names (``localhost``, ``127.0.0.1`` and
``[::1]`` with its port, as the SDKs' default ``http://localhost:8288`` needs); bound off loopback it cannot
know its names, and the check is off."""

from __future__ import annotations

from inngest_lab.server.settings import ServerSettings
from tests.integration.auth.conftest import Serve


async def test_only_the_servers_own_names_are_answered(serve: Serve) -> None:
    server = await serve()
    port = server.port
    for host in (f"localhost:{port}", f"127.0.0.1:{port}", f"[::1]:{port}", f"LOCALHOST:{port}"):
        assert (await server.call("GET", "/lab/runs", headers={"Host": host})).status == 200, host
    for host in (f"evil.example:{port}", "evil.example", f"127.0.0.1:{port + 1}", "localhost", f"127.0.0.2:{port}"):
        reply = await server.call("GET", "/lab/runs", headers={"Host": host})
        assert reply.status == 403, host
        assert "DNS rebinding" in reply.json["error"] and f"http://localhost:{port}/" in reply.json["error"]


async def test_a_foreign_host_cannot_send_events_either(serve: Serve) -> None:
    server = await serve()
    reply = await server.call("POST", "/e/key", body=b'{"name": "a/b"}', headers={"Host": "evil.example"})
    assert reply.status == 403


async def test_bound_beyond_loopback_any_host_is_answered(serve: Serve) -> None:
    server = await serve(ServerSettings(listen_host="0.0.0.0"), bind="0.0.0.0")
    reply = await server.call("GET", "/lab/runs", headers={"Host": f"inngest:{server.port}"})
    assert reply.status == 200


async def test_start_mode_does_not_check_the_host(serve: Serve) -> None:
    from tests.integration.auth.conftest import BEARER, start_settings

    server = await serve(start_settings())
    reply = await server.call("GET", "/lab/runs", headers={"Host": "inngest.internal.example", **BEARER})
    assert reply.status == 200  # behind a proxy the public name is the operator's business


async def test_an_allowed_proxy_name_is_answered_and_its_pages_may_write(serve: Serve) -> None:
    server = await serve(ServerSettings(allowed_hosts=["Box-8288.App.Github.Dev"]))
    public = "box-8288.app.github.dev"
    assert (await server.call("GET", "/lab/runs", headers={"Host": public})).status == 200
    assert (await server.call("GET", "/lab/runs", headers={"Host": f"{public}:443"})).status == 200
    assert (await server.call("GET", "/lab/runs", headers={"Host": "other.app.github.dev"})).status == 403
    # the proxy forwards Host: localhost:<port> while the page's origin is the public name
    from_page = {"Host": f"localhost:{server.port}", "Origin": f"https://{public}", "Sec-Fetch-Site": "same-origin"}
    assert (await server.call("POST", "/v1/functions/app-fn/pause", headers=from_page)).status == 404
    other = {**from_page, "Origin": "https://other.app.github.dev", "Sec-Fetch-Site": "same-site"}
    assert (await server.call("POST", "/v1/functions/app-fn/pause", headers=other)).status == 403
