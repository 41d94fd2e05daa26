"""Bulk cancel: the form previews how many runs match (the CEL condition included) before cancelling them."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from tests.browser.conftest import shot
from tests.browser.dashboard.conftest import DevServer, open_dashboard


def test_bulk_cancel_previews_the_count_then_cancels(page: Page, dev_server: DevServer) -> None:
    events = [dev_server.send("shop/hold", {"batch": "bulk", "n": n}) for n in range(3)]
    runs = [dev_server.wait_for_run(e)["run_id"] for e in events]
    open_dashboard(page, dev_server, "/cancel")
    page.get_by_label("Function").select_option("shop-hold")
    page.get_by_label("If").fill('event.data.batch == "bulk" && event.data.n < 2')
    page.get_by_role("button", name="Preview").click()
    expect(page.get_by_test_id("cancel-preview")).to_have_text("2 queued or running runs would be cancelled.")
    shot(page, "dashboard-bulk-cancel")
    page.on("dialog", lambda d: d.accept())
    page.get_by_role("button", name="Cancel runs").click()
    expect(page.locator("table").last).to_contain_text("shop-hold")
    statuses = {}
    for _ in range(100):
        statuses = {r: dev_server.api("GET", f"/v1/runs/{r}")["data"]["status"] for r in runs}
        if list(statuses.values()).count("Cancelled") == 2:
            break
        page.wait_for_timeout(50)
    assert [statuses[r] for r in runs] == ["Cancelled", "Cancelled", "Running"], statuses
    dev_server.api("POST", f"/lab/runs/{runs[2]}/cancel")
