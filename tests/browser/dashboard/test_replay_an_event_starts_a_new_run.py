"""Replay: an event's page replays it; the replayed event's page lists the new run."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from tests.browser.dashboard.conftest import DevServer, open_dashboard


def test_replay_an_event_starts_a_new_run(page: Page, dev_server: DevServer) -> None:
    event_id = dev_server.send("shop/order.placed", {"sku": "hojicha"})
    first = dev_server.wait_for_run(event_id)["run_id"]
    open_dashboard(page, dev_server, "/events")
    page.locator(f"[data-event-id='{event_id}'] a").click()
    expect(page.locator("[data-testid=event-payload]")).to_contain_text("hojicha")
    page.get_by_role("button", name="Replay").click()
    expect(page).not_to_have_url(re.compile(f"/events/{event_id}$"))
    runs = page.locator("[data-testid=event-runs] .inngest-lab-item")
    expect(runs).to_have_count(1, timeout=5000)
    expect(runs).to_contain_text("shop-checkout")
    assert runs.get_attribute("data-run-id") != first
