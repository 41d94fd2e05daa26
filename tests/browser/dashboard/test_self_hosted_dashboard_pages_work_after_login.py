"""``inngest-lab start`` with a UI password: a browser logs in through the login page, then every dashboard
page opens at its URL, survives a reload and says "Self-hosted"; a write from the page (Send event, which needs
the session's CSRF token) works; after logging out the pages are closed again."""

from __future__ import annotations

import re
from pathlib import Path

from playwright.sync_api import Page, expect

from inngest_lab.server.auth_password import hash_password
from tests.browser.conftest import shot
from tests.browser.dashboard.conftest import log_in, start_dev_server
from tests.services import free_port

PASSWORD = "correct horse battery staple"
SIGNING_KEY = "signkey-test-" + "cd" * 32
KEYS = ("--event-key", "browser-test-event-key", "--signing-key", SIGNING_KEY)


def test_self_hosted_dashboard_pages_work_after_login(page: Page, tmp_path: Path) -> None:
    password_hash = hash_password(PASSWORD, log2_n=4, salt=b"a-fixed-test-salt")
    proc, url, _ = start_dev_server(
        tmp_path / "start", free_port(), *KEYS, "--ui-password-hash", password_hash, command="start"
    )
    try:
        log_in(page, url, "/events", PASSWORD)
        expect(page.locator("[data-testid=mode-banner]")).to_have_text("Self-hosted")

        # a write from the page: Send event posts with the session cookie and the CSRF token
        page.get_by_role("button", name="Send event").first.click()
        dialog = page.get_by_role("dialog", name="Send event")
        dialog.locator(".cm-content").click()
        page.keyboard.press("Control+A")
        page.keyboard.type('{"name": "shop/order.placed", "data": {"sku": "genmaicha"}}', delay=0)
        dialog.get_by_role("button", name="Send").click()
        expect(dialog).to_have_count(0)
        expect(page).to_have_url(re.compile(r"/events/[0-9A-Z]{26}$"))
        expect(page.locator("[data-testid=event-payload]")).to_contain_text("genmaicha")
        event_path = page.url.removeprefix(url)

        pages = {
            "/": "runs",
            "/runs": "runs",
            "/events": "events",
            event_path: "event",
            "/functions": "functions",
            "/apps": "apps",
            "/crons": "crons",
            "/cancel": "cancel",
            "/charts": "metrics",
        }
        for path, name in pages.items():
            page.goto(f"{url}{path}")
            expect(page.locator("[data-testid=mode-banner]")).to_have_text("Self-hosted")
            page.reload()
            expect(page).to_have_url(f"{url}{path}")
            expect(page.locator("[data-testid=mode-banner]")).to_have_text("Self-hosted")
            expect(page.locator(f"[data-page={name}]")).to_be_visible()
        page.goto(f"{url}/events")
        expect(page.locator("[data-page=events]")).to_contain_text("shop/order.placed")
        shot(page, "dashboard-self-hosted-events")

        # log out: POST /logout with the CSRF token, as the dashboard does; the pages are closed again
        token = next(c["value"] for c in page.context.cookies() if c["name"] == "inngest_lab_csrf")
        status = page.evaluate(
            "async (t) => (await fetch('/logout', {method: 'POST', headers: {'X-CSRF-Token': t}})).status", token
        )
        assert status == 200
        page.goto(f"{url}/runs")
        expect(page).to_have_url(re.compile(r"/login\?next=/runs$"))
    finally:
        proc.terminate()
        proc.wait(10)
