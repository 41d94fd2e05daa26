"""Runs: status filter and CEL search narrow the list and live in the URL; "Load more" pages by cursor; a new
run appears at the top live."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from tests.browser.conftest import shot
from tests.browser.dashboard.conftest import DevServer, open_dashboard


def test_runs_page_filters_searches_and_pages(page: Page, dev_server: DevServer) -> None:
    for n in range(3):
        dev_server.wait_for_run(dev_server.send("shop/order.placed", {"sku": f"paging-{n}"}), "Completed")
    open_dashboard(page, dev_server, "/runs")
    page.get_by_label("Search").fill('event.data.sku.startsWith("paging-")')
    page.get_by_role("button", name="Apply").click()
    expect(page).to_have_url(re.compile(r"/runs\?q="))
    rows = page.locator("[data-testid=runs-table] tbody tr")
    expect(rows).to_have_count(3)

    page.get_by_label("Completed").check()
    expect(page).to_have_url(re.compile(r"status=Completed"))
    expect(rows).to_have_count(3)
    page.reload()
    expect(rows).to_have_count(3)
    expect(page.get_by_label("Completed")).to_be_checked()

    # Paging by cursor: two per page, "Load more" brings the third.
    page.goto(page.url.replace("/runs?", "/runs?limit=2&"))
    expect(rows).to_have_count(2)
    page.get_by_test_id("load-more").click()
    expect(rows).to_have_count(3)
    expect(page.get_by_test_id("load-more")).to_be_hidden()

    # Live: a new matching run appears on top without a reload, the older pages stay.
    dev_server.send("shop/order.placed", {"sku": "paging-live"})
    expect(rows).to_have_count(4, timeout=10_000)
    expect(rows.first).to_contain_text("Completed", timeout=10_000)
    expect(rows.first).to_contain_text("shop-checkout")
    shot(page, "dashboard-runs-search")

    bad = page.get_by_label("Search")
    bad.fill("event.data.(")
    page.get_by_role("button", name="Apply").click()
    expect(page.locator(".inngest-lab-page-status")).to_contain_text("search is not a valid CEL expression")
