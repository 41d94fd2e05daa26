"""The JupyterLab Run timeline panel shows a run's realtime messages live under its timeline, from the Jupyter
server's ``/inngest-lab/lab/runs/{id}/realtime`` stream: each message published for the run (here over the
HTTP publish route, with the run's id, as the TS SDK publishes) arrives as a log row and moves the bar."""

from __future__ import annotations

import json
import urllib.parse
import urllib.request

from playwright.sync_api import Page, expect

from tests.browser.conftest import TOKEN, LabServer, open_lab, shot


def _publish(lab: LabServer, run_id: str, data: object) -> None:
    query = urllib.parse.urlencode({"channel": "panel", "topic": "progress", "run_id": run_id})
    req = urllib.request.Request(  # noqa: S310 - loopback test server
        f"{lab.url}inngest-lab/v1/realtime/publish?{query}",
        data=json.dumps(data).encode(),
        method="POST",
        headers={"Authorization": f"token {TOKEN}", "Content-Type": "application/json"},
    )
    with urllib.request.urlopen(req, timeout=10) as reply:  # noqa: S310 - loopback test server
        assert reply.status == 200


def test_the_timeline_panel_shows_a_runs_messages_as_they_are_published(
    page: Page, lab_server: LabServer, shop_app: None
) -> None:
    [event_id] = lab_server.api("POST", "e/test", {"name": "shop/order.placed", "data": {"sku": "sencha"}})["ids"]
    runs: list[dict[str, object]] = []
    for _ in range(200):
        runs = lab_server.api("GET", f"v1/events/{event_id}/runs")["data"]
        if runs:
            break
        page.wait_for_timeout(50)
    run_id = str(runs[0]["run_id"])

    open_lab(page, lab_server)
    page.evaluate("(id) => window.jupyterapp.commands.execute('inngest-lab:open-timeline', {runId: id})", run_id)
    panel = page.locator(".inngest-lab-timeline-panel")
    expect(panel.locator(".inngest-lab-timeline")).to_have_attribute("data-run-id", run_id, timeout=15_000)
    expect(panel).to_have_attribute("data-realtime", "connected", timeout=15_000)
    stream = panel.locator("[data-testid=inngest-realtime]")
    expect(stream).to_have_count(0)  # nothing published yet

    for n in range(1, 4):
        _publish(lab_server, run_id, {"progress": n / 4, "line": f"batch {n}"})
        rows = stream.locator("[data-testid=inngest-rt-row]")
        expect(rows).to_have_count(n)
        expect(rows.last).to_contain_text(f"batch {n}")
        expect(stream.locator("[data-testid=inngest-rt-progress]")).to_have_attribute("aria-valuenow", str(25 * n))
    _publish(lab_server, run_id, "a plain log line")
    expect(stream.locator("[data-testid=inngest-rt-row]").last).to_contain_text("a plain log line")
    expect(stream.locator("[data-testid=inngest-rt-progress]")).to_have_attribute("aria-valuenow", "75")
    shot(page, "timeline-panel-realtime")
