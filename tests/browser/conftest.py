"""A real JupyterLab (with this checkout's server extension and prebuilt front end) and Debian's Chromium
driven by Python playwright. Screenshots go to ``test-artifacts/browser/``.

One JupyterLab and one browser serve this package's tests (starting them is most of the cost); each
test gets its own page. Package scope matters: playwright's sync API keeps an event loop running in
this thread while it is open, which would break every asyncio test collected after these ones. The
lab's engine keeps its SQLite file in a temporary directory.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Generator, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, Playwright, expect, sync_playwright

from tests.services import free_port

ROOT = Path(__file__).resolve().parents[2]
LABEXTENSION = ROOT / "inngest_lab" / "labextension"
UI_BUILD = ROOT / "inngest_lab" / "ui_build"
EXTENSION = ROOT / "extension"
SHOTS = ROOT / "test-artifacts" / "browser"
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
TOKEN = "browser-test-token"


@dataclass(frozen=True)
class LabServer:
    url: str  # http://127.0.0.1:<port>/ (base URL "/")
    root: Path  # the server's root dir (notebooks are copied here)
    log: Path

    def api(self, method: str, path: str, body: Any = None) -> Any:
        """Call the inngest-lab API as a script would (token auth)."""
        data = None if body is None else json.dumps(body).encode()
        req = urllib.request.Request(  # noqa: S310 - loopback test server
            f"{self.url}inngest-lab/{path}",
            data=data,
            method=method,
            headers={"Authorization": f"token {TOKEN}", "Content-Type": "application/json"},
        )
        with urllib.request.urlopen(req, timeout=10) as reply:  # noqa: S310 - loopback test server
            return json.loads(reply.read())


def _write_json(path: Path, data: Mapping[str, Any]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data))


def _front_end_is_stale() -> bool:
    """True when the labextension or the esbuild bundles (dashboard, widgets) are missing or older than a source."""
    built = [LABEXTENSION / "package.json", UI_BUILD / "dashboard.js"]
    if not all(b.exists() for b in built):
        return True
    dirs = ("src", "style", "schema", "scripts")
    sources = [EXTENSION / "package.json", *(p for d in dirs for p in (EXTENSION / d).rglob("*"))]
    newest = max(p.stat().st_mtime for p in sources if p.is_file())
    return newest > min(b.stat().st_mtime for b in built)


def ensure_front_end_built() -> None:
    """Build this checkout's labextension when it is missing or older than its sources (as `make` would:
    jlpm from the venv's jupyter-builder, on node), so the tests never run a stale front end."""
    if not _front_end_is_stale():
        return
    jlpm = Path(sys.executable).parent / "jlpm"
    if not jlpm.exists():
        raise RuntimeError(f"the front end in {EXTENSION} is not built and there is no jlpm: run `make`")
    env = dict(os.environ, PATH=f"{jlpm.parent}{os.pathsep}{os.environ.get('PATH', '')}")
    for step in (["install"], ["build"]):
        done = subprocess.run([str(jlpm), *step], cwd=EXTENSION, env=env, capture_output=True, text=True, check=False)
        if done.returncode != 0:
            raise RuntimeError(
                f"jlpm {' '.join(step)} failed in {EXTENSION}:\n{done.stdout[-3000:]}{done.stderr[-3000:]}"
            )


@pytest.fixture(scope="package")
def lab_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LabServer]:
    ensure_front_end_built()
    work = tmp_path_factory.mktemp("lab")
    root = work / "root"
    shutil.copytree(ROOT / "notebooks", root, ignore=shutil.ignore_patterns(".inngest_lab", ".ipynb_checkpoints"))
    # This checkout's prebuilt front end, found through an extra labextensions path.
    (work / "labextensions").mkdir()
    (work / "labextensions" / "inngest-lab").symlink_to(LABEXTENSION)
    _write_json(
        work / "config" / "jupyter_server_config.json",
        {
            "ServerApp": {"jpserver_extensions": {"inngest_lab.jupyter": True}},
            "InngestLabApp": {"db_path": str(work / "engine.db")},
            "LabApp": {"extra_labextensions_path": [str(work / "labextensions")]},
        },
    )
    settings = work / "settings"
    # No news toast, no "Select Kernel" dialog (toolchain pitfall 10).
    _write_json(settings / "@jupyterlab/apputils-extension/notification.jupyterlab-settings", {"fetchNews": "false"})
    _write_json(
        settings / "@jupyterlab/notebook-extension/tracker.jupyterlab-settings", {"autoStartDefaultKernel": True}
    )
    port = free_port()
    env = dict(
        os.environ,
        JUPYTER_CONFIG_DIR=str(work / "config"),
        JUPYTER_RUNTIME_DIR=str(work / "runtime"),
        JUPYTER_DATA_DIR=str(work / "data"),
        PYTHONPATH=str(ROOT),
    )
    cmd = [
        sys.executable,
        "-m",
        "jupyter",
        "lab",
        "--no-browser",
        "--allow-root",
        "--ip=127.0.0.1",
        f"--port={port}",
        "--ServerApp.port_retries=0",
        f"--IdentityProvider.token={TOKEN}",
        f"--ServerApp.root_dir={root}",
        "--LabApp.news_url=None",
        "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
        f"--LabApp.workspaces_dir={work / 'workspaces'}",
        f"--LabApp.user_settings_dir={settings}",
        "--LabApp.expose_app_in_browser=True",  # window.jupyterapp, to run commands without menus
    ]
    log = work / "lab.log"
    with log.open("w") as out:
        proc = subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT, env=env, cwd=root)
    server = LabServer(f"http://127.0.0.1:{port}/", root, log)
    deadline = time.monotonic() + 60
    while True:
        try:
            server.api("GET", "health")
            break
        except OSError:
            if proc.poll() is not None or time.monotonic() > deadline:
                proc.kill()
                raise RuntimeError(f"jupyter lab did not start:\n{log.read_text()}") from None
            time.sleep(0.2)
    try:
        yield server
    finally:
        proc.terminate()
        try:
            proc.wait(15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(5)


@pytest.fixture(scope="package")
def playwright() -> Iterator[Playwright]:
    with sync_playwright() as p:
        yield p


@pytest.fixture(scope="package")
def browser(playwright: Playwright) -> Iterator[Browser]:
    if not Path(CHROMIUM).exists():
        raise RuntimeError(f"no Chromium at {CHROMIUM}: `apt-get install chromium` (or set CHROMIUM=/path/to/chrome)")
    b = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
    yield b
    b.close()


def fresh_page(
    browser: Browser, request: pytest.FixtureRequest, counts: Callable[[str], bool] = lambda error: True
) -> Iterator[Page]:
    """A page in a fresh browser context; a screenshot when the test failed, and the page errors ``counts``
    keeps fail it."""
    ctx = browser.new_context(viewport={"width": 1440, "height": 900})
    pg = ctx.new_page()
    errors: list[str] = []
    pg.on("pageerror", lambda e: errors.append(str(e)))
    yield pg
    if request.node.rep_call.failed if hasattr(request.node, "rep_call") else False:
        shot(pg, f"FAILED-{request.node.name}")
    ctx.close()
    assert not [e for e in errors if counts(e)], errors


@pytest.fixture
def page(browser: Browser, lab_server: LabServer, request: pytest.FixtureRequest) -> Iterator[Page]:
    """Only our own errors count: JupyterLab's own pages raise some of theirs."""
    yield from fresh_page(browser, request, lambda error: "inngest" in error.lower())


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    rep = yield
    if rep.when == "call":
        item.rep_call = rep  # type: ignore[attr-defined]
    return rep


def shot(page: Page, name: str) -> Path:
    """Save a screenshot as a test artifact."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    path = SHOTS / f"{name}.png"
    page.screenshot(path=str(path))
    return path


def open_lab(page: Page, lab: LabServer, path: str = "lab") -> None:
    """Open JupyterLab and wait until the shell is restored (keyboard shortcuts work from then on)."""
    page.goto(f"{lab.url}{path}?token={TOKEN}&reset")  # reset: no layout restored from an earlier test
    page.wait_for_selector("#jupyterlab-splash", state="detached", timeout=60_000)
    page.wait_for_selector("#jp-main-dock-panel", timeout=60_000)
    page.wait_for_function("() => window.jupyterapp !== undefined", timeout=60_000)
    page.evaluate("() => window.jupyterapp.restored.then(() => true)")


def write_notebook(lab: LabServer, name: str, cells: list[str]) -> str:
    """Save a notebook of code ``cells`` (not yet run) in the Lab's root; returns its ``lab/tree/...`` path."""
    sources: list[dict[str, Any]] = [
        {"cell_type": "code", "id": f"c{i}", "execution_count": None, "metadata": {}, "outputs": [], "source": src}
        for i, src in enumerate(cells)
    ]
    kernelspec = {"name": "python3", "display_name": "Python 3 (ipykernel)", "language": "python"}
    notebook = {"cells": sources, "metadata": {"kernelspec": kernelspec}, "nbformat": 4, "nbformat_minor": 5}
    (lab.root / name).write_text(json.dumps(notebook))
    return f"lab/tree/{name}"


def run_palette_command(page: Page, label: str) -> None:
    page.keyboard.press("Control+Shift+C")
    box = page.locator(".lm-CommandPalette-input")
    expect(box).to_be_visible()
    box.fill(label)
    page.locator(".lm-CommandPalette-item", has_text=label).first.click()


def run_all_cells(page: Page) -> None:
    """Run every cell of the open notebook once its kernel is idle; retry while the first run is dropped."""
    expect(page.locator(".jp-NotebookPanel")).to_be_visible(timeout=30_000)
    expect(page.locator(".jp-StatusBar-TextItem", has_text=re.compile(r"\| Idle"))).to_have_count(1, timeout=60_000)
    first = page.locator(".jp-Notebook .jp-CodeCell").first.locator(".jp-InputArea-prompt")
    for _ in range(5):
        page.evaluate("() => window.jupyterapp.commands.execute('notebook:run-all-cells').then(() => null)")
        try:
            expect(first).to_have_text(re.compile(r"\[[\d*]+\]"), timeout=10_000)
            return
        except AssertionError:
            continue
    raise AssertionError("the notebook never started running")


@pytest.fixture(scope="package")
def shop_app(lab_server: LabServer) -> Iterator[None]:
    """An app served by our SDK over HTTP from this test process (its own thread and loop), registered
    with the engine the Jupyter server hosts, as any SDK app would be.

    ``shop-checkout`` (event ``shop/order.placed``): ``reserve-stock``, ``charge-card`` (fails once, retried
    after 1 s), ``send-receipt``. ``shop-restock`` (cron, concurrency 1) is only there to be listed.
    """
    import asyncio
    import threading

    import tornado.web
    from tornado.httpserver import HTTPServer
    from tornado.netutil import bind_sockets

    import inngest_lab
    from inngest_lab.sdk.tornado import serve

    client = inngest_lab.Inngest(app_id="shop", is_production=False)
    charges: list[int] = []

    @client.create_function(fn_id="checkout", trigger=inngest_lab.TriggerEvent(event="shop/order.placed"))
    async def checkout(ctx: inngest_lab.Context) -> dict[str, Any]:
        order = ctx.event.data
        stock = await ctx.step.run("reserve-stock", lambda: {"sku": order.get("sku", "tea"), "reserved": 1})

        def charge() -> str:
            charges.append(1)
            if len(charges) % 2 == 1:
                raise inngest_lab.RetryAfterError("card network timeout", retry_after=1000)
            return "ch_42"

        charge_id = await ctx.step.run("charge-card", charge)
        receipt = await ctx.step.run("send-receipt", lambda: f"receipt for {charge_id}")
        return {"stock": stock, "charge": charge_id, "receipt": receipt}

    @client.create_function(
        fn_id="restock",
        trigger=inngest_lab.TriggerCron(cron="0 6 * * *"),
        concurrency=[inngest_lab.Concurrency(limit=1)],
    )
    async def restock(ctx: inngest_lab.Context) -> str:
        return "ok"

    app = tornado.web.Application()
    comm = serve(app, client, [checkout, restock])
    sockets = bind_sockets(0, "127.0.0.1")
    loop = asyncio.new_event_loop()
    started = threading.Event()

    def main() -> None:
        asyncio.set_event_loop(loop)

        async def start() -> None:
            HTTPServer(app).add_sockets(sockets)
            started.set()

        loop.run_until_complete(start())
        loop.run_forever()

    thread = threading.Thread(target=main, name="shop-app", daemon=True)
    thread.start()
    started.wait(10)
    url = f"http://127.0.0.1:{sockets[0].getsockname()[1]}/api/inngest"
    assert lab_server.api("POST", "fn/register", comm.registration(url))["ok"] is True
    yield
    loop.call_soon_threadsafe(loop.stop)
    thread.join(10)


@pytest.fixture(scope="package", autouse=True)
def tracked_notebooks_unchanged() -> Iterator[None]:
    """The browser tests run copies of the tutorials: the tracked notebooks stay byte for byte as they were."""
    before = {p.name: p.read_bytes() for p in (ROOT / "notebooks").glob("*.ipynb")}
    yield
    after = {p.name: p.read_bytes() for p in (ROOT / "notebooks").glob("*.ipynb")}
    changed = sorted(name for name in before.keys() | after.keys() if before.get(name) != after.get(name))
    assert not changed, f"the browser tests changed tracked notebooks: {changed}"
