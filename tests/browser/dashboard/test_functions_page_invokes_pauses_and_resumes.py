"""Functions: triggers, flow control and run counts are shown; Invoke starts a run with the given data;
Pause stops events from starting runs until Resume."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from tests.browser.dashboard.conftest import DevServer, open_dashboard


def test_functions_page_invokes_pauses_and_resumes(page: Page, dev_server: DevServer) -> None:
    open_dashboard(page, dev_server, "/functions")
    restock = page.locator("[data-function-id=shop-restock]")
    expect(restock).to_contain_text("cron TZ=Europe/Paris 0 6 * * *")
    expect(restock).to_contain_text("concurrency")

    card = page.locator("[data-function-id=shop-checkout]")
    card.get_by_role("button", name="Invoke").click()
    dialog = page.get_by_role("dialog")
    dialog.locator(".cm-content").click()
    page.keyboard.press("Control+A")
    page.keyboard.type('{"sku": "invoked-bancha"}', delay=0)
    dialog.get_by_role("button", name="Invoke").click()
    expect(page).to_have_url(re.compile(r"/runs\?function_id=shop-checkout$"))
    runs = dev_server.api("GET", "/lab/runs/page?q=event.data.sku%20%3D%3D%20%22invoked-bancha%22")["data"]
    assert [r["function_id"] for r in runs] == ["shop-checkout"]

    open_dashboard(page, dev_server, "/functions")
    card.get_by_role("button", name="Pause").click()
    expect(card).to_have_attribute("data-paused", "true")
    skipped_event = dev_server.send("shop/order.placed", {"sku": "while-paused"})
    assert dev_server.wait_for_run(skipped_event)["status"] == "Skipped"
    card.get_by_role("button", name="Resume").click()
    expect(card).to_have_attribute("data-paused", "false")
    expect(card.get_by_test_id("run-counts")).to_contain_text("Skipped")
