"""Every dashboard page in dev mode opens at its own URL, survives a reload, says it is the dev server, and
shows the shop's data as page text (ids and names can be selected and searched)."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from tests.browser.conftest import shot
from tests.browser.dashboard.conftest import DevServer, open_dashboard


def test_every_page_has_a_url_that_survives_a_reload(page: Page, dev_server: DevServer) -> None:
    event_id = dev_server.send("shop/order.placed", {"sku": "oolong"})
    run = dev_server.wait_for_run(event_id, "Completed")
    run_id = run["run_id"]

    pages = {
        "/": ("runs", run_id),
        "/runs": ("runs", "shop-checkout"),
        f"/runs/{run_id}": ("run", "send-receipt"),
        "/events": ("events", "shop/order.placed"),
        f"/events/{event_id}": ("event", "oolong"),
        "/functions": ("functions", "shop-restock"),
        "/functions/shop-checkout": ("functions", "shop/order.placed"),
        "/apps": ("apps", dev_server.app_url),
        "/crons": ("crons", "Europe/Paris"),
        "/cancel": ("cancel", "Bulk cancel"),
    }
    for path, (name, text) in pages.items():
        open_dashboard(page, dev_server, path)
        expect(page.locator(f"[data-page={name}]")).to_contain_text(text)
        page.reload()
        expect(page.locator(f"[data-page={name}]")).to_contain_text(text)
        expect(page.locator("[data-testid=mode-banner]")).to_have_text("Dev server")
        shot(page, f"dashboard-{name}" if path != "/" else "dashboard-home")

    # Ids are page text, and a run's id opens it.
    open_dashboard(page, dev_server, "/runs")
    link = page.locator(f"a.inngest-lab-id:text-is('{run_id}')")
    expect(link).to_be_visible()
    link.click()
    expect(page).to_have_url(re.compile(f"/runs/{run_id}$"))
    expect(page.locator("[data-page=run] .inngest-lab-timeline")).to_have_attribute("data-status", "Completed")

    # The next ticks of the Paris cron are shown in Paris time (+01:00 or +02:00).
    open_dashboard(page, dev_server, "/crons")
    expect(page.locator(".inngest-lab-ticks li").first).to_have_text(re.compile(r"06:00\+0[12]:00$"))

    # A function's page lists its latest runs.
    open_dashboard(page, dev_server, "/functions/shop-checkout")
    expect(page.get_by_test_id("function-runs")).to_contain_text(run_id)
