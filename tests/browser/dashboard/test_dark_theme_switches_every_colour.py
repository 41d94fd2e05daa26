"""Dark theme: the toggle switches the page, tables and timeline to the dark palette, and it is remembered."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from tests.browser.conftest import shot
from tests.browser.dashboard.conftest import DevServer, open_dashboard


def _background(page: Page, selector: str) -> str:
    return str(page.eval_on_selector(selector, "el => getComputedStyle(el).backgroundColor"))


def test_dark_theme_switches_every_colour(page: Page, dev_server: DevServer) -> None:
    event_id = dev_server.send("shop/order.placed", {"sku": "kukicha"})
    run_id = dev_server.wait_for_run(event_id, "Completed")["run_id"]
    open_dashboard(page, dev_server, f"/runs/{run_id}")
    assert _background(page, ".inngest-lab-root") == "rgb(255, 255, 255)"
    toggle = page.get_by_test_id("theme-toggle")
    while toggle.text_content() != "Theme: dark":
        toggle.click()
    expect(page.locator("body")).to_have_attribute("data-inngest-lab-theme", "dark")
    assert _background(page, ".inngest-lab-root") == "rgb(30, 30, 30)"
    colour = page.eval_on_selector(".inngest-lab-timeline", "el => getComputedStyle(el).color")
    assert colour == "rgb(224, 224, 224)", colour
    shot(page, "dashboard-run-dark")
    page.reload()
    expect(page.locator("body")).to_have_attribute("data-inngest-lab-theme", "dark")
    open_dashboard(page, dev_server, "/runs")
    shot(page, "dashboard-runs-dark")
