"""The sidebar and the timeline panel follow JupyterLab's theme variables: dark under JupyterLab Dark."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from tests.browser.conftest import LabServer, open_lab, shot


def _command(page: Page, command: str, args: dict[str, str]) -> None:
    """Run a JupyterLab command (its result, e.g. a widget, stays in the page)."""
    page.evaluate("([c, a]) => window.jupyterapp.commands.execute(c, a).then(() => null)", [command, args])


def _luminance(css_color: str) -> float:
    r, g, b = (int(v) for v in re.findall(r"\d+", css_color)[:3])
    return (0.2126 * r + 0.7152 * g + 0.0722 * b) / 255


def test_sidebar_and_timeline_turn_dark_with_jupyterlab_dark(page: Page, lab_server: LabServer, shop_app: None) -> None:
    [event_id] = lab_server.api("POST", "e/test", {"name": "shop/order.placed", "data": {"sku": "hojicha"}})["ids"]
    [run] = lab_server.api("GET", f"v1/events/{event_id}/runs")["data"]
    open_lab(page, lab_server)
    _command(page, "apputils:change-theme", {"theme": "JupyterLab Dark"})
    expect(page.locator("body")).to_have_attribute("data-jp-theme-light", "false", timeout=15_000)
    try:
        page.locator('.jp-SideBar .lm-TabBar-tab[data-id="inngest-lab-sidebar"]').click()
        sidebar = page.locator("#inngest-lab-sidebar")
        expect(sidebar.locator(f'[data-run-id="{run["run_id"]}"]')).to_be_visible(timeout=10_000)
        _command(page, "inngest-lab:open-timeline", {"runId": run["run_id"]})
        panel = page.locator(".inngest-lab-timeline-panel")
        expect(panel.locator(".inngest-lab-timeline")).to_be_visible(timeout=10_000)
        for element in (sidebar, panel):
            background = element.evaluate("el => getComputedStyle(el).backgroundColor")
            foreground = element.evaluate("el => getComputedStyle(el).color")
            assert _luminance(background) < 0.3 < _luminance(foreground), (background, foreground)
        shot(page, "dark-theme")
    finally:
        _command(page, "apputils:change-theme", {"theme": "JupyterLab Light"})
