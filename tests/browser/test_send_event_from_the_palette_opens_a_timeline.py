"""Send an event from the command palette, then follow its run into the Run timeline panel."""

from __future__ import annotations

import json

from playwright.sync_api import Page, expect

from tests.browser.conftest import LabServer, open_lab, run_palette_command, shot


def test_palette_send_event_starts_a_run_whose_timeline_shows_each_step(
    page: Page, lab_server: LabServer, shop_app: None
) -> None:
    before = {r["run_id"] for r in lab_server.api("GET", "lab/runs?function_id=shop-checkout")["data"]}
    open_lab(page, lab_server)
    page.locator(".jp-LauncherCard").first.wait_for(timeout=60_000)  # shortcuts work once the launcher is up
    run_palette_command(page, "Send event")
    dialog = page.locator(".jp-Dialog")
    editor = dialog.locator("textarea.inngest-lab-json")
    editor.fill('{"name": "shop/order.placed"')
    expect(dialog.locator(".inngest-lab-form-message")).to_contain_text("Not valid JSON")  # validated as you type
    editor.fill(json.dumps({"name": "shop/order.placed", "data": {"sku": "matcha", "qty": 2}}))
    expect(dialog.locator(".inngest-lab-form-message")).to_have_text("")
    dialog.locator("button.jp-mod-accept").click()
    expect(page.locator(".jp-toast-message, .Toastify__toast").first).to_contain_text("Sent shop/order.placed")

    page.locator('.jp-SideBar .lm-TabBar-tab[data-id="inngest-lab-sidebar"]').click()
    run_row = page.locator("#inngest-lab-sidebar .inngest-lab-runs .inngest-lab-item", has_text="shop-checkout")
    expect(run_row).to_have_count(len(before) + 1, timeout=10_000)  # the new run, pushed live
    [new_run] = [
        r for r in lab_server.api("GET", "lab/runs?function_id=shop-checkout")["data"] if r["run_id"] not in before
    ]
    run_row = page.locator(f'#inngest-lab-sidebar .inngest-lab-runs [data-run-id="{new_run["run_id"]}"]')
    expect(run_row).to_have_attribute("data-status", "Completed", timeout=20_000)
    run_row.click()

    timeline = page.locator(".inngest-lab-timeline-panel .inngest-lab-timeline")
    expect(timeline).to_have_attribute("data-status", "Completed", timeout=10_000)
    rows = timeline.locator(".inngest-lab-timeline-row[data-kind]")
    expect(rows).to_have_count(3)
    expect(rows.nth(0)).to_contain_text("reserve-stock")
    # charge-card raised RetryAfterError once: with our SDK's fast path the error is the step's first attempt,
    # retried 1 s later, and the step panel lists it
    expect(rows.nth(1)).to_contain_text("charge-card")
    expect(rows.nth(2)).to_contain_text("send-receipt")
    rows.nth(1).click()
    detail = timeline.locator(".inngest-lab-detail")
    expect(detail).to_contain_text("charge-card")
    expect(detail).to_contain_text('"ch_42"')
    expect(detail).to_contain_text("card network timeout")
    shot(page, "timeline-panel")
