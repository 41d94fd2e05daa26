"""Rerun from a step: the step's input is edited in the modal, the new run reuses the earlier steps and runs
the chosen step with the new input."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from tests.browser.dashboard.conftest import DevServer, open_dashboard


def test_rerun_from_a_step_with_edited_input(page: Page, dev_server: DevServer) -> None:
    event_id = dev_server.send("shop/order.placed", {"sku": "genmaicha"})
    run_id = dev_server.wait_for_run(event_id, "Completed")["run_id"]
    open_dashboard(page, dev_server, f"/runs/{run_id}")

    page.locator(".inngest-lab-timeline-row", has_text="send-receipt").click()
    page.get_by_role("button", name="Rerun from this step").click()
    dialog = page.get_by_role("dialog")
    dialog.locator(".cm-content").click()
    page.keyboard.press("Control+A")
    page.keyboard.type('"not an array"', delay=0)
    dialog.get_by_role("button", name="Rerun").click()
    expect(dialog.locator("[data-testid=modal-message]")).to_contain_text("JSON array")
    dialog.locator(".cm-content").click()
    page.keyboard.press("Control+A")
    page.keyboard.type('["see you soon"]', delay=0)
    dialog.get_by_role("button", name="Rerun").click()

    expect(page).not_to_have_url(re.compile(f"/runs/{run_id}$"))
    expect(page.locator("[data-page=run] .inngest-lab-timeline")).to_have_attribute(
        "data-status", "Completed", timeout=10_000
    )
    page.locator(".inngest-lab-timeline-row", has_text="send-receipt").click()
    expect(page.locator(".inngest-lab-detail")).to_contain_text("receipt for ch_42: see you soon")


def test_rerun_from_a_step_with_its_own_input(page: Page, dev_server: DevServer) -> None:
    event_id = dev_server.send("shop/order.placed", {"sku": "shincha"})
    run_id = dev_server.wait_for_run(event_id, "Completed")["run_id"]
    open_dashboard(page, dev_server, f"/runs/{run_id}")
    page.locator(".inngest-lab-timeline-row", has_text="send-receipt").click()
    page.get_by_role("button", name="Rerun from this step").click()
    page.get_by_role("dialog").get_by_role("button", name="Rerun").click()  # the input left empty
    expect(page).not_to_have_url(re.compile(f"/runs/{run_id}$"))
    expect(page.locator("[data-page=run] .inngest-lab-timeline")).to_have_attribute(
        "data-status", "Completed", timeout=10_000
    )
    page.locator(".inngest-lab-timeline-row", has_text="send-receipt").click()
    expect(page.locator(".inngest-lab-detail")).to_contain_text("receipt for ch_42: thanks")
