"""A real Jupyter server (pytest-jupyter) with the inngest-lab server extension, its engine on a SQLite file.

The tests are plain functions that drive the server's loop with ``run(coro)``: the project runs
pytest-asyncio in auto mode, which would run ``async def`` tests on a loop of its own where the
server (bound to pytest-jupyter's loop) never answers. pytest-jupyter's fixtures are imported here, so
they apply to this directory only and never reach the browser tests.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Iterator
from pathlib import Path
from typing import Any, TypeVar

import pytest
import tornado.web
from pytest_jupyter.jupyter_server import *  # noqa: F403  (fixtures and the async-test hooks)
from tornado.httpserver import HTTPServer
from tornado.netutil import bind_sockets

import inngest_lab
from inngest_lab.engine.model import Json
from inngest_lab.jupyter.handlers import HOST_KEY
from inngest_lab.jupyter.host import EngineHost
from inngest_lab.sdk.tornado import serve

T = TypeVar("T")
Run = Callable[[Awaitable[T]], T]


@pytest.fixture
def run(jp_asyncio_loop: asyncio.AbstractEventLoop) -> Callable[[Awaitable[Any]], Any]:
    """``run(coro)``: run ``coro`` to completion on the Jupyter server's loop."""
    return jp_asyncio_loop.run_until_complete


# Overrides pytest-jupyter's fixture of the same name (without taking it as an argument: pitfall 8).
@pytest.fixture  # type: ignore[no-redef]
def jp_server_config(tmp_path: Path) -> dict[str, Any]:
    return {
        "ServerApp": {
            "jpserver_extensions": {"inngest_lab.jupyter": True},
            "allow_unauthenticated_access": False,  # the hardened setting: anonymous requests are refused
        },
        "InngestLabApp": {"db_path": str(tmp_path / "engine" / "engine.db"), "workers": 4},
    }


@pytest.fixture
def host(jp_serverapp: Any) -> EngineHost:
    """The engine host the extension put in the server's settings."""
    found = jp_serverapp.web_app.settings[HOST_KEY]
    assert isinstance(found, EngineHost)
    return found


@pytest.fixture
def api_url(http_server_client: Any, jp_http_port: int, jp_base_url: str) -> str:
    """Absolute URL of the API mount, for clients other than jp_fetch (streams); the server listens."""
    return f"http://localhost:{jp_http_port}{jp_base_url}inngest-lab/"


@pytest.fixture
def greeter(run: Run[Any]) -> Iterator[dict[str, Json]]:
    """An app served by our SDK over HTTP on loopback; yields its ``/fn/register`` body.

    Its one function ``greeter-hello`` (event ``demo/hello``) runs two steps, ``lookup`` and ``greet``.
    """
    client = inngest_lab.Inngest(app_id="greeter", is_production=False)

    @client.create_function(fn_id="hello", trigger=inngest_lab.TriggerEvent(event="demo/hello"))
    async def hello(ctx: inngest_lab.Context) -> str:
        name = await ctx.step.run("lookup", lambda: str(ctx.event.data.get("name", "world")))
        greeting: str = await ctx.step.run("greet", lambda: f"hello {name}")
        return greeting

    app = tornado.web.Application()
    comm = serve(app, client, [hello])
    sockets = bind_sockets(0, "127.0.0.1")

    async def start() -> HTTPServer:
        server = HTTPServer(app)
        server.add_sockets(sockets)
        return server

    server = run(start())
    yield comm.registration(f"http://127.0.0.1:{sockets[0].getsockname()[1]}/api/inngest")
    server.stop()
    run(server.close_all_connections())
