"""The standalone dashboard in Debian's Chromium: a real ``inngest-lab dev`` process (this checkout, SQLite in a
temporary directory, the bundle the install built) and a real app served by our SDK over HTTP, synced with
``-u``. One server and one app for the package (starting them is most of the cost); each test gets its own
page, with screenshots in ``test-artifacts/browser/``.

The shop app:
    ``shop-checkout`` (``shop/order.placed``): ``reserve-stock``; ``charge-card`` fails its first attempt and
    is retried after 1 s; ``cool-down`` sleeps 1 s; ``send-receipt`` returns the charge's id and the note the
    step was given (``step.run`` input, editable by Rerun from a step).
    ``shop-hold`` (``shop/hold``): sleeps an hour (a run to cancel).
    ``shop-restock``: cron ``TZ=Europe/Paris 0 6 * * *``, concurrency 1.
"""

from __future__ import annotations

import asyncio
import json
import os
import re
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.browser.conftest import ROOT, fresh_page
from tests.services import free_port


@dataclass(frozen=True)
class DevServer:
    url: str  # http://127.0.0.1:<port>
    log: Path
    app_url: str

    def api(self, method: str, path: str, body: Any = None) -> Any:
        """Call the server as a script would (dev mode: no keys)."""
        data = None if body is None else json.dumps(body).encode()
        req = urllib.request.Request(  # noqa: S310 - loopback test server
            f"{self.url}{path}", data=data, method=method, headers={"Content-Type": "application/json"}
        )
        with urllib.request.urlopen(req, timeout=10) as reply:  # noqa: S310 - loopback test server
            return json.loads(reply.read())

    def send(self, name: str, data: dict[str, Any]) -> str:
        ids = self.api("POST", "/e/test", {"name": name, "data": data})["ids"]
        return str(ids[0])

    def runs_of(self, event_id: str) -> list[dict[str, Any]]:
        return list(self.api("GET", f"/v1/events/{event_id}/runs")["data"])

    def wait_for_run(self, event_id: str, status: str | None = None, timeout_s: float = 20) -> dict[str, Any]:
        """The first run ``event_id`` started (in ``status``, when given), polled over the REST API."""
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            runs = self.runs_of(event_id)
            if runs and (status is None or runs[0]["status"] == status):
                return runs[0]
            time.sleep(0.05)
        raise AssertionError(f"no {status or ''} run for event {event_id}: {self.runs_of(event_id)}")


def _serve_shop(server_url: str) -> tuple[str, Callable[[], None]]:
    import inngest_lab

    client = inngest_lab.Inngest(
        app_id="shop", is_production=False, api_base_url=server_url, event_api_base_url=server_url
    )
    attempts: dict[str, int] = {}

    @client.create_function(fn_id="checkout", trigger=inngest_lab.TriggerEvent(event="shop/order.placed"))
    async def checkout(ctx: inngest_lab.Context) -> dict[str, Any]:
        order = ctx.event.data
        stock = await ctx.step.run("reserve-stock", lambda: {"sku": order.get("sku", "tea"), "reserved": 1})

        def charge() -> str:
            attempts[ctx.run_id] = attempts.get(ctx.run_id, 0) + 1
            if attempts[ctx.run_id] == 1:
                raise inngest_lab.RetryAfterError("card network timeout", retry_after=1000)
            return "ch_42"

        charge_id = await ctx.step.run("charge-card", charge)
        await ctx.step.sleep("cool-down", 1000)
        receipt = await ctx.step.run("send-receipt", lambda note: f"receipt for {charge_id}: {note}", "thanks")
        return {"stock": stock, "charge": charge_id, "receipt": receipt}

    @client.create_function(fn_id="hold", trigger=inngest_lab.TriggerEvent(event="shop/hold"))
    async def hold(ctx: inngest_lab.Context) -> str:
        await ctx.step.sleep("wait-an-hour", 3_600_000)
        return "released"

    @client.create_function(
        fn_id="restock",
        trigger=inngest_lab.TriggerCron(cron="TZ=Europe/Paris 0 6 * * *"),
        concurrency=[inngest_lab.Concurrency(limit=1)],
    )
    async def restock(ctx: inngest_lab.Context) -> str:
        return "ok"

    url, stop = serve_sdk_app(client, [checkout, hold, restock])
    return url, stop


def serve_sdk_app(client: Any, functions: list[Any]) -> tuple[str, Callable[[], None]]:
    """Serve ``functions`` with our SDK over HTTP on a free loopback port, from a thread with its own loop.
    Returns the serve URL and a function that stops it."""
    import tornado.web
    from tornado.httpserver import HTTPServer
    from tornado.netutil import bind_sockets

    from inngest_lab.sdk.tornado import serve

    app = tornado.web.Application()
    serve(app, client, functions)
    sockets = bind_sockets(0, "127.0.0.1")
    loop = asyncio.new_event_loop()
    started = threading.Event()
    server = HTTPServer(app)

    def main() -> None:
        asyncio.set_event_loop(loop)

        async def start() -> None:
            server.add_sockets(sockets)
            started.set()

        loop.run_until_complete(start())
        loop.run_forever()

    thread = threading.Thread(target=main, name=f"sdk-app-{client.app_id}", daemon=True)
    thread.start()
    started.wait(10)

    async def shutdown() -> None:
        server.stop()  # no new connections, and the kept-alive ones are closed: the app stops answering
        await server.close_all_connections()

    def stop() -> None:
        asyncio.run_coroutine_threadsafe(shutdown(), loop).result(10)
        loop.call_soon_threadsafe(loop.stop)
        thread.join(10)

    return f"http://127.0.0.1:{sockets[0].getsockname()[1]}/api/inngest", stop


def log_in(page: Page, url: str, path: str, password: str) -> None:
    """Open ``path`` as an anonymous user, get sent to the login page, log in, and land back on ``path``."""
    page.goto(f"{url}{path}")
    expect(page).to_have_url(re.compile(rf"/login\?next={re.escape(path)}$"))
    page.fill("#password", password)
    page.keyboard.press("Enter")
    expect(page).to_have_url(f"{url}{path}")


def start_dev_server(
    work: Path, port: int, *args: str, command: str = "dev"
) -> tuple[subprocess.Popen[bytes], str, Path]:
    """``inngest-lab dev`` (or ``command``) from this checkout on ``port``; returns once ``/health`` answers."""
    work.mkdir(parents=True, exist_ok=True)
    log = work / "server.log"
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    code = "import sys; from inngest_lab.cli import main; sys.exit(main(sys.argv[1:]))"
    argv = [sys.executable, "-c", code, command, "--port", str(port), "--sqlite-dir", str(work)]
    if command == "dev":
        argv.append("--no-discovery")
    proc = subprocess.Popen([*argv, *args], stdout=log.open("wb"), stderr=subprocess.STDOUT, env=env, cwd=ROOT)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"inngest-lab {command} exited:\n{log.read_text()[-3000:]}")
        try:
            with urllib.request.urlopen(f"{url}/health", timeout=2):  # noqa: S310 - loopback test server
                return proc, url, log
        except (urllib.error.URLError, ConnectionError):
            time.sleep(0.05)
    proc.kill()
    raise RuntimeError(f"inngest-lab {command} did not answer /health:\n{log.read_text()[-3000:]}")


@contextmanager
def synced_dev_server(work: Path, port: int, app_url: str, functions: int, *args: str) -> Iterator[DevServer]:
    """``inngest-lab dev`` on ``port`` syncing the app at ``app_url``; yields once its ``functions`` are synced."""
    proc, url, log = start_dev_server(work, port, "-u", app_url, "--poll-interval", "0", *args)
    try:
        server = DevServer(url, log, app_url)
        deadline = time.monotonic() + 20
        while len(server.api("GET", "/lab/functions")["data"]) < functions:
            if time.monotonic() > deadline:
                raise RuntimeError(f"the app at {app_url} never synced:\n{log.read_text()[-3000:]}")
            time.sleep(0.05)
        yield server
    finally:
        proc.terminate()
        proc.wait(10)


@pytest.fixture(scope="package")
def dev_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DevServer]:
    from tests.browser.conftest import ensure_front_end_built

    ensure_front_end_built()
    port = free_port()
    app_url, stop_app = _serve_shop(f"http://127.0.0.1:{port}")
    with synced_dev_server(tmp_path_factory.mktemp("dash"), port, app_url, 3) as server:
        yield server
    stop_app()


@pytest.fixture
def page(browser: Browser, request: pytest.FixtureRequest) -> Iterator[Page]:
    """A fresh browser context per test; every page error fails the test."""
    yield from fresh_page(browser, request)


def open_dashboard(page: Page, server: DevServer, path: str = "/") -> None:
    """Open a dashboard URL and wait until the shell has drawn (and the live feed is connected)."""
    page.goto(f"{server.url}{path}")
    expect(page.locator("[data-testid=mode-banner]")).to_be_visible()
    expect(page.locator("[data-testid=live][data-live=true]")).to_have_count(1)
