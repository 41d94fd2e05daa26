"""``inngest-lab start`` with a UI password: after logging in, a run's page shows the realtime messages the run
publishes (our SDK's ``publish``) as they arrive, under its timeline: one log row per message with its channel
and topic, and a progress bar that moves with each ``progress``. The stream is authenticated by the session
cookie alone. The run waits for a signal before each report, so the test decides when each message is sent."""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

from playwright.sync_api import Page, expect

import inngest_lab
from inngest_lab.sdk.realtime import publish
from inngest_lab.server.auth_password import hash_password
from tests.browser.conftest import shot
from tests.browser.dashboard.conftest import log_in, serve_sdk_app, start_dev_server
from tests.services import free_port

PASSWORD = "correct horse battery staple"
SIGNING_KEY = "signkey-test-" + "ef" * 32
EVENT_KEY = "browser-realtime-event-key"
REPORTS = 4


def _api(url: str, method: str, path: str, body: Any = None) -> Any:
    """A script's call, with the signing key as Bearer."""
    req = urllib.request.Request(  # noqa: S310 - loopback test server
        f"{url}{path}",
        data=None if body is None else json.dumps(body).encode(),
        method=method,
        headers={"Content-Type": "application/json", "Authorization": f"Bearer {SIGNING_KEY}"},
    )
    with urllib.request.urlopen(req, timeout=10) as reply:  # noqa: S310 - loopback test server
        return json.loads(reply.read())


def _signal(url: str, name: str) -> None:
    """Deliver ``name`` once the run waits for it (404 ``No signal found`` until its step is reached)."""
    deadline = time.monotonic() + 15
    while True:
        try:
            _api(url, "POST", "/v1/signals", {"signal": name})
            return
        except urllib.error.HTTPError as exc:
            if exc.code != 404 or time.monotonic() > deadline:
                raise
            time.sleep(0.05)


def _reports_app(url: str) -> tuple[str, Any]:
    client = inngest_lab.Inngest(
        app_id="reports", is_production=True, signing_key=SIGNING_KEY, api_base_url=url, event_key=EVENT_KEY
    )

    @client.create_function(fn_id="build", trigger=inngest_lab.TriggerEvent(event="reports/build"))
    async def build(ctx: inngest_lab.Context) -> str:
        for i in range(REPORTS):
            await ctx.step.wait_for_signal(f"go-{i}", signal=f"reports-go-{i}", timeout=3_600_000)

            async def report(i: int = i) -> None:
                data = {"progress": (i + 1) / REPORTS, "line": f"page {i + 1} of {REPORTS} rendered"}
                await publish(client, "reports", "progress", data, run_id=ctx.run_id)

            await ctx.step.run(f"report-{i}", report)
        return "built"

    return serve_sdk_app(client, [build])


def test_run_page_shows_the_runs_realtime_messages_live_after_login(page: Page, tmp_path: Path) -> None:
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    app_url, stop_app = _reports_app(url)
    password_hash = hash_password(PASSWORD, log2_n=4, salt=b"a-fixed-test-salt")
    keys = ("--event-key", EVENT_KEY, "--signing-key", SIGNING_KEY, "--ui-password-hash", password_hash)
    proc, _, log = start_dev_server(tmp_path / "start", port, *keys, "-u", app_url, command="start")
    try:
        log_in(page, url, "/runs", PASSWORD)

        [event_id] = _api(url, "POST", f"/e/{EVENT_KEY}", {"name": "reports/build"})["ids"]
        run_id = ""
        for _ in range(300):
            runs = _api(url, "GET", f"/v1/events/{event_id}/runs").get("data") or []
            if runs:
                run_id = runs[0]["run_id"]
                break
            page.wait_for_timeout(50)
        assert run_id, log.read_text()[-3000:]

        page.goto(f"{url}/runs/{run_id}")
        run_page = page.locator("[data-page=run]")
        expect(run_page).to_have_attribute("data-realtime", "connected", timeout=10_000)
        card = page.locator("[data-testid=run-realtime]")
        expect(card).to_be_hidden()  # nothing published yet

        for i in range(REPORTS):
            _signal(url, f"reports-go-{i}")
            rows = card.locator("[data-testid=inngest-rt-row]")
            expect(rows).to_have_count(i + 1)
            expect(rows.last).to_contain_text(f"page {i + 1} of {REPORTS} rendered")
            expect(rows.last.locator(".inngest-lab-pill")).to_have_text("reports · progress")
            bar = card.locator("[data-testid=inngest-rt-progress]")
            expect(bar).to_have_attribute("aria-valuenow", str(round(100 * (i + 1) / REPORTS, 1)).removesuffix(".0"))
            if i == 1:
                shot(page, "dashboard-run-realtime")
        expect(run_page).to_have_attribute("data-status", "Completed", timeout=10_000)
        expect(card.locator("[data-testid=inngest-realtime]")).to_contain_text("run ended")
    finally:
        proc.terminate()
        proc.wait(10)
        stop_app()
