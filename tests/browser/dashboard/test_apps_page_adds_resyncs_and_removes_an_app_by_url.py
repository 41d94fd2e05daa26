"""Apps: an app is added by the URL it serves on, resynced, shown with its sync error once it stops
answering, and removed with its functions."""

from __future__ import annotations

from typing import Any

from playwright.sync_api import Page, expect

from tests.browser.conftest import shot
from tests.browser.dashboard.conftest import DevServer, open_dashboard, serve_sdk_app


def test_apps_page_adds_resyncs_and_removes_an_app_by_url(page: Page, dev_server: DevServer) -> None:
    import inngest_lab

    client = inngest_lab.Inngest(
        app_id="tea", is_production=False, api_base_url=dev_server.url, event_api_base_url=dev_server.url
    )

    @client.create_function(fn_id="steep", trigger=inngest_lab.TriggerEvent(event="tea/steep"))
    async def steep(ctx: inngest_lab.Context) -> Any:
        return "ready"

    url, stop = serve_sdk_app(client, [steep])
    try:
        open_dashboard(page, dev_server, "/apps")
        page.get_by_label("App URL").fill(url)
        page.get_by_role("button", name="Add app").click()
        row = page.locator("tr[data-app-id=tea]")
        expect(row).to_contain_text(url)
        expect(row).to_contain_text("synced")
        shot(page, "dashboard-apps")
        open_dashboard(page, dev_server, "/functions")
        expect(page.locator("[data-function-id=tea-steep]")).to_be_visible()
        open_dashboard(page, dev_server, "/apps")
        row.get_by_role("button", name="Resync").click()
        expect(page.locator(".inngest-lab-toast").last).to_contain_text("tea: synced")
    finally:
        stop()
    row.get_by_role("button", name="Resync").click()
    expect(page.locator(".inngest-lab-toast-error").last).to_contain_text("could not reach the app")
    page.on("dialog", lambda d: d.accept())
    row.get_by_role("button", name="Remove").click()
    expect(row).to_have_count(0)
    assert "tea-steep" not in [f["id"] for f in dev_server.api("GET", "/lab/functions")["data"]]
