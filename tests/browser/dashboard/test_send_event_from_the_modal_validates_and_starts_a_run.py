"""Send event: the JSON editor refuses what is not an event before anything is sent, copies a cURL command,
and sends a valid event, whose page then lists the run it started."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from tests.browser.conftest import shot
from tests.browser.dashboard.conftest import DevServer, open_dashboard


def test_send_event_from_the_modal_validates_and_starts_a_run(page: Page, dev_server: DevServer) -> None:
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    open_dashboard(page, dev_server, "/runs")
    page.get_by_role("button", name="Send event").first.click()
    dialog = page.get_by_role("dialog", name="Send event")
    expect(dialog).to_be_visible()
    editor = dialog.locator(".cm-content")

    editor.click()
    page.keyboard.press("Control+A")
    page.keyboard.type('{"data": {}}', delay=0)
    dialog.get_by_role("button", name="Send").click()
    expect(dialog.locator("[data-testid=modal-message]")).to_have_text('"name" must be a non-empty string')

    editor.click()
    page.keyboard.press("Control+A")
    page.keyboard.type('{"name": "shop/order.placed", "data": {"sku": "matcha"', delay=0)
    expect(dialog.locator("[data-testid=modal-message]")).to_contain_text("Not valid JSON")
    page.keyboard.type("}}", delay=0)
    expect(dialog.locator("[data-testid=modal-message]")).to_have_text("")

    dialog.get_by_role("button", name="Copy as cURL").click()
    expect(dialog.locator("[data-testid=modal-message]")).to_have_text("Copied the cURL command.")
    copied = page.evaluate("() => navigator.clipboard.readText()")
    assert copied.startswith(f"curl -X POST '{dev_server.url}/e/dev'"), copied
    assert '"sku":"matcha"' in copied
    shot(page, "dashboard-send-event")

    dialog.get_by_role("button", name="Send").click()
    expect(dialog).to_have_count(0)
    expect(page).to_have_url(re.compile(r"/events/[0-9A-Z]{26}$"))
    expect(page.locator("[data-testid=event-payload]")).to_contain_text("matcha")
    expect(page.locator("[data-testid=event-runs] .inngest-lab-item")).to_contain_text("shop-checkout", timeout=5000)
