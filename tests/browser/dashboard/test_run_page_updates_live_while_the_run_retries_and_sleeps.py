"""Opened while the run is still going, the run page follows it over the live feed: the failed first attempt
of ``charge-card`` appears, then the retry, the ``cool-down`` sleep and the end, without a reload."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from tests.browser.conftest import shot
from tests.browser.dashboard.conftest import DevServer, open_dashboard


def test_run_page_updates_live_while_the_run_retries_and_sleeps(page: Page, dev_server: DevServer) -> None:
    event_id = dev_server.send("shop/order.placed", {"sku": "sencha"})
    run_id = dev_server.wait_for_run(event_id)["run_id"]
    open_dashboard(page, dev_server, f"/runs/{run_id}")
    page.evaluate("() => { window.__sameDocument = true; }")  # gone if the page reloads

    timeline = page.locator("[data-page=run] .inngest-lab-timeline")
    expect(timeline).to_have_attribute("data-status", "Running", timeout=3000)
    # The failed attempt is drawn while the run waits for its retry (1 s) …
    expect(page.locator(".inngest-lab-timeline-row[data-status=errored]").first).to_be_visible(timeout=5000)
    shot(page, "dashboard-run-live-retrying")
    # … then the sleep, and the end.
    expect(page.locator(".inngest-lab-timeline-row[data-kind=sleep]")).to_contain_text("cool-down", timeout=10_000)
    expect(timeline).to_have_attribute("data-status", "Completed", timeout=10_000)
    expect(page.locator(".inngest-lab-timeline-row", has_text="send-receipt")).to_have_attribute(
        "data-status", "completed"
    )
    assert page.evaluate("() => window.__sameDocument === true"), "the page reloaded instead of updating live"
    shot(page, "dashboard-run-timeline")

    # The step panel shows a step's output; zoom narrows the axis and resets.
    page.locator(".inngest-lab-timeline-row", has_text="send-receipt").click()
    expect(page.locator(".inngest-lab-detail")).to_contain_text("receipt for ch_42: thanks")
    page.get_by_role("button", name="Zoom in").click()
    expect(page.locator(".inngest-lab-zoom")).to_contain_text("showing")
    page.get_by_role("button", name="Reset zoom").click()
    expect(page.locator(".inngest-lab-zoom")).not_to_contain_text("showing")
