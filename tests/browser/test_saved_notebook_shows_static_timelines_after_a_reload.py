"""A saved notebook reopened after its kernel is gone shows its run timelines as the static rendering the
widget saved next to itself, not "Error displaying widget: model not found"."""

from __future__ import annotations

import re
import shutil

from playwright.sync_api import Page, expect

from tests.browser.conftest import LabServer, open_lab, run_all_cells, shot


def test_saved_notebook_shows_static_timelines_after_a_reload(page: Page, lab_server: LabServer) -> None:
    shutil.copy(lab_server.root / "01_quickstart.ipynb", lab_server.root / "reopened.ipynb")
    open_lab(page, lab_server, "lab/tree/reopened.ipynb")
    run_all_cells(page)
    cells = page.locator(".jp-Notebook .jp-CodeCell")
    expect(cells.last.locator(".jp-InputArea-prompt")).to_have_text(f"[{cells.count()}]:", timeout=60_000)
    expect(page.locator(".jp-Notebook .inngest-lab-timeline").first).to_be_visible(timeout=30_000)
    page.evaluate("() => window.jupyterapp.commands.execute('docmanager:save')")
    expect(page.locator(".jp-mod-dirty")).to_have_count(0, timeout=10_000)
    page.evaluate("() => window.jupyterapp.commands.execute('kernelmenu:shutdown')")
    expect(page.locator(".jp-StatusBar-TextItem", has_text=re.compile(r"No Kernel|Idle|Starting"))).to_have_count(
        1, timeout=30_000
    )

    open_lab(page, lab_server, "lab/tree/reopened.ipynb")
    notebook = page.locator(".jp-Notebook")
    expect(notebook.locator(".inngest-timeline-static").first).to_be_visible(timeout=30_000)
    expect(notebook.locator(".inngest-timeline-static").first).to_contain_text("quickstart-welcome")
    expect(notebook.get_by_text("Error displaying widget: model not found")).to_have_count(0)
    notebook.locator(".inngest-timeline-static").first.scroll_into_view_if_needed()
    shot(page, "notebook-reopened-static-timeline")
