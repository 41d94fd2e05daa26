"""The notebook widgets, drawn by the shared components: the composer validates and sends an event and lists
the run it started, the function table invokes a function, and a row of the runs table opens that run's
timeline under it."""

from __future__ import annotations

import shutil

from playwright.sync_api import Page, expect

from tests.browser.conftest import LabServer, open_lab, run_all_cells, shot


def test_notebook_widgets_send_invoke_and_open_runs(page: Page, lab_server: LabServer) -> None:
    shutil.copy(lab_server.root / "01_quickstart.ipynb", lab_server.root / "widgets.ipynb")
    open_lab(page, lab_server, "lab/tree/widgets.ipynb")
    run_all_cells(page)
    cells = page.locator(".jp-Notebook .jp-CodeCell")
    expect(cells.last.locator(".jp-InputArea-prompt")).to_have_text(f"[{cells.count()}]:", timeout=60_000)

    composer = page.locator(".inngest-lab-widget", has=page.get_by_test_id("inngest-event-name"))
    composer.get_by_test_id("inngest-event-name").fill("")
    expect(composer.get_by_test_id("inngest-event-problem")).to_contain_text("name")
    expect(composer.get_by_test_id("inngest-send")).to_be_disabled()
    composer.get_by_test_id("inngest-event-name").fill("user/signed.up")
    composer.get_by_test_id("inngest-send").click()
    expect(composer.get_by_test_id("inngest-sent")).to_contain_text("started 1 run", timeout=15_000)

    functions = page.locator(".inngest-lab-widget", has=page.get_by_test_id("inngest-functions"))
    expect(functions).to_contain_text("quickstart-welcome")
    functions.locator('tr[data-fn-id="quickstart-welcome"]').get_by_test_id("inngest-invoke").click()
    functions.get_by_role("button", name="Invoke function").click()
    expect(functions.locator(".inngest-lab-timeline")).to_have_attribute("data-status", "Running", timeout=15_000)

    runs = page.locator(".inngest-lab-widget", has=page.get_by_test_id("inngest-runs"))
    rows = runs.locator("[data-testid=inngest-runs] tr[data-run-id]")
    # the tutorial's two runs (welcome, import-contacts), the sent event's and the invoked one
    expect(rows).to_have_count(4, timeout=15_000)
    run_id = rows.last.get_attribute("data-run-id")
    rows.last.click()
    expect(runs.locator(".inngest-lab-timeline")).to_have_attribute("data-run-id", str(run_id), timeout=15_000)
    expect(runs.locator(".inngest-lab-timeline-row", has_text="send-welcome-email")).to_have_count(1)
    runs.scroll_into_view_if_needed()
    shot(page, "notebook-runs-table-widget")
