"""In JupyterLab, a run that publishes progress with our SDK's ``publish`` shows it live next to its timeline:
``follow_realtime`` draws the run's timeline widget, and as the fake clock moves one page at a time (a cell run
again and again), the log rows arrive under the timeline and the progress bar moves, with no re-render of
the cell."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from tests.browser.conftest import LabServer, open_lab, shot, write_notebook

PAGES = 4
CELLS = [
    f"""from datetime import timedelta

import inngest_lab as inngest
from inngest_lab.sdk.realtime import publish
from inngest_lab.workbench.realtime_view import follow_realtime

lab = inngest.Lab(":memory:", fake_clock=True)
client = inngest.Inngest(app_id="nb-realtime")


@client.create_function(fn_id="render", trigger=inngest.TriggerEvent(event="nb/render"))
async def render(ctx):
    for page in range(1, {PAGES} + 1):
        await ctx.step.sleep(f"wait-{{page}}", timedelta(seconds=1))

        async def report(page=page):
            data = {{"progress": page / {PAGES}, "line": f"page {{page}} rendered"}}
            await publish(client, "render", "progress", data, run_id=ctx.run_id)

        await ctx.step.run(f"page-{{page}}", report)
    return "rendered"


lab.serve(client, [render])
[event_id] = lab.send({{"name": "nb/render"}})
await lab.idle()
[run] = await lab.runs(event_id=event_id)
stream = await follow_realtime(lab, run.run_id)""",
    "await lab.advance(seconds=1)",
]


def _run_cell(page: Page, index: int, count: int) -> None:
    """Run cell ``index`` (its ``count``-th execution of the notebook) and wait until it has run."""
    prompt = page.locator(".jp-Notebook .jp-CodeCell").nth(index).locator(".jp-InputArea-prompt")
    for _ in range(5):  # the first request may be dropped while the kernel starts (as in run_all_cells)
        page.evaluate(
            "(i) => { const nb = window.jupyterapp.shell.currentWidget.content; nb.activeCellIndex = i;"
            " return window.jupyterapp.commands.execute('notebook:run-cell').then(() => null); }",
            index,
        )
        try:
            expect(prompt).to_have_text(f"[{count}]:", timeout=20_000)
            return
        except AssertionError:
            if re.search(r"\[\d+\]", prompt.inner_text()):
                raise
    raise AssertionError(f"cell {index} never ran")


def test_a_runs_progress_and_log_arrive_live_next_to_its_timeline(page: Page, lab_server: LabServer) -> None:
    open_lab(page, lab_server, write_notebook(lab_server, "realtime_demo.ipynb", CELLS))
    expect(page.locator(".jp-StatusBar-TextItem", has_text=re.compile(r"\| Idle"))).to_have_count(1, timeout=60_000)
    _run_cell(page, 0, 1)
    output = page.locator(".jp-Notebook .jp-CodeCell").nth(0).locator(".jp-OutputArea-output")
    timeline = output.locator(".inngest-lab-timeline")
    expect(timeline).to_be_visible(timeout=30_000)
    expect(timeline.locator(".inngest-lab-timeline-row", has_text="wait-1")).to_have_count(1)
    stream = output.locator("[data-testid=inngest-realtime]")
    expect(stream).to_have_count(0)  # nothing published yet: no pane

    for n in range(1, PAGES + 1):
        _run_cell(page, 1, n + 1)
        rows = stream.locator("[data-testid=inngest-rt-row]")
        expect(rows).to_have_count(n)
        expect(rows.last).to_contain_text(f"page {n} rendered")
        expect(rows.last.locator(".inngest-lab-pill")).to_have_text("render · progress")
        bar = stream.locator("[data-testid=inngest-rt-progress]")
        expect(bar).to_have_attribute("aria-valuenow", str(100 * n // PAGES))
        expect(bar.locator(".inngest-lab-rt-progress-fill")).to_have_attribute("style", f"width:{100 * n // PAGES}%")
        # the timeline above follows the same run: the step that published is there
        expect(timeline.locator(".inngest-lab-timeline-row", has_text=f"page-{n}")).to_have_count(1)
        if n == 2:
            stream.scroll_into_view_if_needed()
            shot(page, "notebook-realtime-progress")
    expect(stream).to_have_attribute("data-done", "")  # the run ended: the stream says so and stopped
    expect(stream).to_contain_text("run ended")
    expect(timeline).to_have_attribute("data-status", "Completed")
