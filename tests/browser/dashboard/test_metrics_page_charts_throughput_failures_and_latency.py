"""The Metrics page (``/charts``) draws throughput, failures and step latency p50/p99 with uPlot from the
server's per-minute series, says the totals and the retention window as text, follows the live feed (a run that
finishes while the page is open is counted without a reload), and redraws in the dark palette.

Its own dev server and app (not the package's shop), so the counts are exactly this test's runs: three that
complete and one that fails.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import shot
from tests.browser.dashboard.conftest import DevServer, open_dashboard, serve_sdk_app, synced_dev_server
from tests.services import free_port


@pytest.fixture(scope="module")
def metrics_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DevServer]:
    import inngest_lab
    from tests.browser.conftest import ensure_front_end_built

    ensure_front_end_built()
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    client = inngest_lab.Inngest(app_id="meter", is_production=False, api_base_url=url, event_api_base_url=url)

    @client.create_function(fn_id="ok", trigger=inngest_lab.TriggerEvent(event="meter/ok"))
    async def ok(ctx: inngest_lab.Context) -> int:
        return int(await ctx.step.run("add", lambda: 1 + 1))

    @client.create_function(fn_id="boom", trigger=inngest_lab.TriggerEvent(event="meter/boom"), retries=0)
    async def boom(ctx: inngest_lab.Context) -> None:
        raise ValueError("the meter broke")

    app_url, stop_app = serve_sdk_app(client, [ok, boom])
    work: Path = tmp_path_factory.mktemp("metrics")
    with synced_dev_server(work, port, app_url, 2, "--retention", "7d") as server:
        yield server
    stop_app()


def _pixels(page: Page, chart: str, rgb: tuple[int, int, int]) -> int:
    """How many pixels of the chart's canvas are (nearly) the colour ``rgb``."""
    return int(
        page.eval_on_selector(
            f"[data-testid=chart-{chart}] canvas",
            """(c, [r, g, b]) => {
                const px = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
                let n = 0;
                for (let i = 0; i < px.length; i += 4) {
                    const d = Math.max(Math.abs(px[i] - r), Math.abs(px[i + 1] - g), Math.abs(px[i + 2] - b));
                    if (px[i + 3] > 200 && d < 12) n++;
                }
                return n;
            }""",
            list(rgb),
        )
    )


def _total(metric: str) -> str:
    return f"[data-testid=metric-totals] [data-metric={metric}] .inngest-lab-metric-value"


def test_metrics_page_charts_throughput_failures_and_latency(page: Page, metrics_server: DevServer) -> None:
    server = metrics_server
    done = [server.send("meter/ok", {"n": n}) for n in range(3)]
    failed = server.send("meter/boom", {})
    for event_id in done:
        server.wait_for_run(event_id, "Completed")
    server.wait_for_run(failed, "Failed")

    open_dashboard(page, server, "/charts")
    metrics = page.locator("[data-page=metrics]")
    expect(page.locator("nav a.inngest-lab-nav-active")).to_have_text("Metrics")
    expect(page).to_have_title("Metrics · inngest-lab")
    # Three charts, each a uPlot canvas with its legend.
    expect(metrics.locator(".inngest-lab-chart canvas")).to_have_count(3)
    for kind, labels in {
        "throughput": ["started", "completed"],
        "failures": ["failed", "cancelled"],
        "latency": ["step p50", "step p99"],
    }.items():
        legend = page.get_by_test_id(f"chart-{kind}").locator(".u-legend")
        for label in labels:
            expect(legend).to_contain_text(label)
    # The totals are page text: 3 completed, 1 failed, 4 started; the retention window is said.
    expect(page.locator(_total("completed"))).to_have_text("3")
    expect(page.locator(_total("failed"))).to_have_text("1")
    expect(page.locator(_total("started"))).to_have_text("4")
    expect(page.get_by_test_id("retention")).to_have_text("Retention: runs older than 7d are deleted")
    # The series are drawn: the canvases hold pixels in the palette's colours.
    assert _pixels(page, "throughput", (46, 154, 91)) > 20  # completed, --il-s-completed
    assert _pixels(page, "failures", (209, 65, 58)) > 20  # failed, --il-s-failed
    assert _pixels(page, "latency", (224, 138, 44)) > 5  # step p99, --il-s-errored
    expect(page.locator("body")).to_have_attribute("data-inngest-lab-theme", "light")
    legend_colour = page.eval_on_selector("[data-testid=chart-latency] .u-legend", "el => getComputedStyle(el).color")
    assert legend_colour == "rgb(31, 31, 31)", legend_colour
    shot(page, "dashboard-metrics-light")

    # Live: a run that completes while the page is open is counted, with no reload and no timer poll.
    page.evaluate("window.__sameDocument = true")
    server.wait_for_run(server.send("meter/ok", {"n": 3}), "Completed")
    expect(page.locator(_total("completed"))).to_have_text("4", timeout=10_000)
    expect(page.locator(_total("started"))).to_have_text("5")
    assert page.evaluate("window.__sameDocument") is True

    # Dark: the page switches palette and the charts are drawn again, with the dark theme's colours.
    toggle = page.get_by_test_id("theme-toggle")
    while toggle.text_content() != "Theme: dark":
        toggle.click()
    expect(page.locator("body")).to_have_attribute("data-inngest-lab-theme", "dark")
    expect(metrics.locator(".inngest-lab-chart canvas")).to_have_count(3)
    legend_colour = page.eval_on_selector("[data-testid=chart-latency] .u-legend", "el => getComputedStyle(el).color")
    assert legend_colour == "rgb(224, 224, 224)", legend_colour
    expect(page.get_by_test_id("chart-failures").locator(".u-legend")).to_contain_text("failed")
    assert _pixels(page, "failures", (209, 65, 58)) > 20
    expect(page.locator(_total("failed"))).to_have_text("1")
    shot(page, "dashboard-metrics-dark")

    # The page has its own URL that survives a reload, with the range in it.
    page.get_by_test_id("metrics-range").select_option("15")
    expect(page).to_have_url(f"{server.url}/charts?minutes=15")
    page.reload()
    expect(page.get_by_test_id("metrics-range")).to_have_value("15")
    expect(page.locator(_total("completed"))).to_have_text("4")
