"""AppSyncer: PUT-triggered syncs (the SDK registers itself back), error recording, and localhost discovery."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
import tornado.web
from tornado.httpclient import AsyncHTTPClient
from tornado.httpserver import HTTPServer
from tornado.netutil import bind_sockets

from inngest_lab.executor.app_sync import AppSyncer, discovery_ports, sync_error
from inngest_lab.executor.engine import Engine
from inngest_lab.executor.http_driver import HttpDriver
from inngest_lab.executor.ports import CallResult
from inngest_lab.protocol.signing import verify
from tests.integration.server.conftest import SIGNING_KEY, Api, register_body


@dataclass
class SelfRegisteringSdk:
    """Answers PUT like the Python SDK: registers itself with the server and returns the server's reply."""

    api_url: str
    port: int = 0
    url: str = ""
    puts: list[dict[str, Any]] = field(default_factory=list)
    put_status: int = 200


@pytest.fixture
async def make_sdk() -> AsyncIterator[Callable[[str, str], Any]]:
    servers: list[HTTPServer] = []

    async def start(api_url: str, path: str = "/api/inngest") -> SelfRegisteringSdk:
        sdk = SelfRegisteringSdk(api_url)

        class Handler(tornado.web.RequestHandler):
            def get(self) -> None:
                self.set_header("X-Inngest-SDK", "inngest-py:v0.5.19")
                self.write({"mode": "dev"})

            async def put(self) -> None:
                sdk.puts.append(
                    {"headers": {k.lower(): v for k, v in self.request.headers.items()}, "body": self.request.body}
                )
                if sdk.put_status != 200:
                    self.set_status(sdk.put_status)
                    self.write({"message": "nope"})
                    return
                resp = await AsyncHTTPClient().fetch(
                    sdk.api_url + "/fn/register",
                    method="POST",
                    body=json.dumps(register_body(sdk.url)),
                    headers={"X-Inngest-Expected-Server-Kind": self.request.headers["X-Inngest-Server-Kind"]},
                    raise_error=False,
                )
                self.set_header("X-Inngest-Sync-Kind", "out_of_band")
                self.write(resp.body)  # Python 0.5.19 passes the reply back with 200 whatever it says

        sockets = bind_sockets(0, "127.0.0.1")
        server = HTTPServer(tornado.web.Application([(path, Handler)]))
        server.add_sockets(sockets)
        servers.append(server)
        sdk.port = sockets[0].getsockname()[1]
        sdk.url = f"http://127.0.0.1:{sdk.port}{path}"
        return sdk

    yield start
    for s in servers:
        s.stop()
        await s.close_all_connections()


@pytest.fixture
async def http() -> AsyncIterator[HttpDriver]:
    d = HttpDriver()
    yield d
    await d.close()


async def test_syncing_a_url_makes_the_sdk_register_its_functions(
    dev_api: Api, engine: Engine, make_sdk: Any, http: HttpDriver
) -> None:
    sdk = await make_sdk(dev_api.base_url)
    syncer = AppSyncer(engine, http, urls=[sdk.url], poll_interval_s=0)
    await syncer.start()
    state = syncer.state(sdk.url)
    assert state is not None
    assert state.ok, state.error
    assert [f.fn_id for f in await engine.store.list_functions()] == ["my-app-child"]
    (put,) = sdk.puts
    assert put["headers"]["x-inngest-server-kind"] == "dev"
    assert put["headers"]["content-type"] == "application/json"
    assert json.loads(put["body"]) == {"url": sdk.url}
    await syncer.stop()


async def test_a_keyed_sync_is_signed_over_its_body(dev_api: Api, engine: Engine, make_sdk: Any) -> None:
    sdk = await make_sdk(dev_api.base_url)
    driver = HttpDriver(SIGNING_KEY)
    try:
        await AppSyncer(engine, driver, urls=[sdk.url]).sync(sdk.url)
    finally:
        await driver.close()
    put = sdk.puts[0]
    assert verify(put["body"], put["headers"]["x-inngest-signature"], [SIGNING_KEY], now_s=0, max_age_s=None)


async def test_an_unreachable_app_records_an_error_per_url(engine: Engine, http: HttpDriver) -> None:
    sockets = bind_sockets(0, "127.0.0.1")
    url = f"http://127.0.0.1:{sockets[0].getsockname()[1]}/api/inngest"
    sockets[0].close()
    syncer = AppSyncer(engine, http, urls=[url])
    await syncer.tick()
    status = syncer.status()[url]
    assert status["ok"] is False
    assert "could not reach" in str(status["error"])


async def test_a_rejected_sync_records_the_reason(
    dev_api: Api, engine: Engine, make_sdk: Any, http: HttpDriver
) -> None:
    sdk = await make_sdk(dev_api.base_url)
    sdk.put_status = 400
    syncer = AppSyncer(engine, http, urls=[sdk.url])
    (state,) = await syncer.tick()
    assert not state.ok
    assert state.error == "sync failed with status 400: nope"


async def test_without_polling_only_failed_urls_are_retried(
    dev_api: Api, engine: Engine, make_sdk: Any, http: HttpDriver
) -> None:
    sdk = await make_sdk(dev_api.base_url)
    syncer = AppSyncer(engine, http, urls=[sdk.url], poll=False)
    await syncer.tick()
    await syncer.tick()
    assert len(sdk.puts) == 1
    polling = AppSyncer(engine, http, urls=[sdk.url], poll=True)
    await polling.tick()
    assert len(sdk.puts) == 2


async def test_discovery_finds_an_sdk_on_a_probed_port_and_syncs_it(
    dev_api: Api, engine: Engine, make_sdk: Any, http: HttpDriver
) -> None:
    sdk = await make_sdk(dev_api.base_url, "/x/inngest")
    closed = bind_sockets(0, "127.0.0.1")
    closed_port = closed[0].getsockname()[1]
    closed[0].close()
    syncer = AppSyncer(engine, http, discovery=True, ports=[closed_port, sdk.port])
    await syncer.tick()
    assert syncer.urls == [sdk.url]
    assert syncer.status()[sdk.url]["discovered"] is True
    assert [a.app_id for a in await engine.store.list_apps()] == ["my-app"]


async def test_discovery_stops_once_an_app_exists(
    dev_api: Api, engine: Engine, make_sdk: Any, http: HttpDriver
) -> None:
    await dev_api.call("POST", "/fn/register", json_body=register_body("http://127.0.0.1:9/api/inngest"))
    sdk = await make_sdk(dev_api.base_url)
    syncer = AppSyncer(engine, http, discovery=True, ports=[sdk.port])
    await syncer.tick()
    assert syncer.urls == []


def test_discovery_ports_include_dollar_port_and_skip_our_own() -> None:
    ports = discovery_ports("9999", exclude=[8288, 3000])
    assert 9999 in ports
    assert 3000 not in ports
    assert {80, 443, 3010, 4321, 5173, 8915, 8787} <= set(ports)
    assert discovery_ports("not-a-port") == discovery_ports(None)


def test_a_200_carrying_a_register_error_is_a_failed_sync() -> None:
    assert sync_error(CallResult(status=200, body={"ok": True, "modified": False})) is None
    assert sync_error(CallResult(status=200, body={"error": "Invalid request: x", "status": 400}))
    assert sync_error(CallResult(status=0, transport_error="refused"))
