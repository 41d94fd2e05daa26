"""The quickstart tutorial, run top to bottom in JupyterLab, draws its run's timeline widget."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from tests.browser.conftest import LabServer, open_lab, run_all_cells, shot


def test_quickstart_runs_and_its_timeline_widget_shows_the_steps(page: Page, lab_server: LabServer) -> None:
    open_lab(page, lab_server, "lab/tree/01_quickstart.ipynb")
    run_all_cells(page)
    cells = page.locator(".jp-Notebook .jp-CodeCell")
    expect(cells.last.locator(".jp-InputArea-prompt")).to_have_text(f"[{cells.count()}]:", timeout=60_000)
    # The cell that ends with the run draws its timeline widget.
    timeline = page.locator(".jp-Notebook .inngest-lab-timeline").first
    expect(timeline).to_be_visible(timeout=30_000)
    for step in ("load-user", "give-them-a-minute", "send-welcome-email"):
        expect(timeline.locator(".inngest-lab-timeline-row", has_text=step)).to_have_count(1)
    timeline.scroll_into_view_if_needed()
    shot(page, "quickstart-timeline")
