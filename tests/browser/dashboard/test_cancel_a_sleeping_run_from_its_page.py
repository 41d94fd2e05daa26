"""Cancel: a run sleeping for an hour is cancelled from its page, which turns Cancelled live."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from tests.browser.dashboard.conftest import DevServer, open_dashboard


def test_cancel_a_sleeping_run_from_its_page(page: Page, dev_server: DevServer) -> None:
    event_id = dev_server.send("shop/hold", {})
    run_id = dev_server.wait_for_run(event_id)["run_id"]
    open_dashboard(page, dev_server, f"/runs/{run_id}")
    expect(page.locator(".inngest-lab-timeline-row[data-kind=sleep]")).to_have_attribute("data-status", "sleeping")
    page.get_by_role("button", name="Cancel run").first.click()
    expect(page.locator("[data-page=run] .inngest-lab-timeline")).to_have_attribute("data-status", "Cancelled")
    expect(page.get_by_role("button", name="Cancel run").first).to_be_disabled()
    assert dev_server.api("GET", f"/v1/runs/{run_id}")["data"]["status"] == "Cancelled"
