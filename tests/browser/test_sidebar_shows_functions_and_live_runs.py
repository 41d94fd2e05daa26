"""The left sidebar lists the hosted engine's functions, and a run appears and completes there live."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from tests.browser.conftest import LabServer, open_lab, shot


def test_sidebar_lists_functions_and_shows_a_new_run_complete(
    page: Page, lab_server: LabServer, shop_app: None
) -> None:
    open_lab(page, lab_server)
    page.locator('.jp-SideBar .lm-TabBar-tab[data-id="inngest-lab-sidebar"]').click()
    sidebar = page.locator("#inngest-lab-sidebar")
    expect(sidebar).to_be_visible()
    functions = sidebar.locator(".inngest-lab-functions")
    expect(functions.locator('[data-function-id="shop-checkout"]')).to_contain_text("shop/order.placed")
    expect(functions.locator('[data-function-id="shop-restock"]')).to_contain_text("concurrency")
    expect(sidebar.locator(".inngest-lab-live-live")).to_be_visible()  # following the live stream

    [event_id] = lab_server.api("POST", "e/test", {"name": "shop/order.placed", "data": {"sku": "sencha"}})["ids"]
    [run] = lab_server.api("GET", f"v1/events/{event_id}/runs")["data"]
    row = sidebar.locator(f'.inngest-lab-runs [data-run-id="{run["run_id"]}"]')
    expect(row).to_be_visible(timeout=10_000)  # pushed by the server, well before the poll interval
    expect(row).to_have_attribute("data-status", "Completed", timeout=15_000)
    expect(sidebar.locator(".inngest-lab-events")).to_contain_text("shop/order.placed")
    shot(page, "sidebar")


def test_settings_schema_offers_polling_live_and_theme(page: Page, lab_server: LabServer) -> None:
    open_lab(page, lab_server)
    schema = page.evaluate(
        "() => window.jupyterapp.serviceManager.settings.fetch('inngest-lab:plugin').then(s => s.schema.properties)"
    )
    assert sorted(schema) == ["live", "pollInterval", "theme"]
    assert schema["theme"]["enum"] == ["auto", "light", "dark"]
