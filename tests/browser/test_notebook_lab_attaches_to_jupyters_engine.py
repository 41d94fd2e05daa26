"""In JupyterLab, a notebook's plain ``Lab()`` attaches to the engine the server hosts: it says so, its
functions and runs appear in the sidebar, and its run's timeline widget draws."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from tests.browser.conftest import LabServer, open_lab, run_all_cells, shot, write_notebook

CELLS = [
    "import inngest_lab as inngest\n\nlab = inngest.Lab()",
    """client = inngest.Inngest(app_id="notebook")


@client.create_function(fn_id="hello", trigger=inngest.TriggerEvent(event="notebook/hello"))
async def hello(ctx):
    name = await ctx.step.run("lookup", lambda: ctx.event.data["name"])
    return await ctx.step.run("greet", lambda: f"hello {name}")


lab.serve(client, [hello])
lab.functions()""",
    """[event_id] = lab.send({"name": "notebook/hello", "data": {"name": "Ada"}})
[run] = await lab.wait(event_id)
run""",
]


def test_plain_lab_attaches_and_the_sidebar_sees_its_function_and_run(page: Page, lab_server: LabServer) -> None:
    open_lab(page, lab_server, write_notebook(lab_server, "attach_demo.ipynb", CELLS))
    run_all_cells(page)
    cells = page.locator(".jp-Notebook .jp-CodeCell")
    expect(cells.nth(0).locator(".jp-OutputArea-output")).to_contain_text(
        "attached to the engine hosted by this Jupyter server", timeout=30_000
    )
    expect(cells.nth(1).locator(".jp-OutputArea-output")).to_contain_text("notebook-hello", timeout=30_000)
    timeline = cells.nth(2).locator(".inngest-lab-timeline")
    expect(timeline).to_be_visible(timeout=30_000)
    expect(timeline.locator(".inngest-lab-timeline-row", has_text="greet")).to_have_count(1)

    page.locator('.jp-SideBar .lm-TabBar-tab[data-id="inngest-lab-sidebar"]').click()
    sidebar = page.locator("#inngest-lab-sidebar")
    expect(sidebar.locator('[data-function-id="notebook-hello"]')).to_contain_text("notebook/hello")
    run_row = sidebar.locator(".inngest-lab-runs .inngest-lab-item", has_text="notebook-hello").first
    expect(run_row).to_have_attribute("data-status", "Completed", timeout=15_000)
    shot(page, "notebook-attached")
