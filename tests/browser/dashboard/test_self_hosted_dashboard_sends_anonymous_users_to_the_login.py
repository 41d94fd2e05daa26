"""``inngest-lab start``: a browser without a session that opens a dashboard page lands on the login page,
with the way back (the server's guard redirects page loads; the dashboard does the same on an API 401). With
``--no-ui`` there is no dashboard at all."""

from __future__ import annotations

import re
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.browser.dashboard.conftest import start_dev_server
from tests.services import free_port

KEYS = ("--event-key", "browser-test-event-key", "--signing-key", "signkey-test-" + "ab" * 32)


def test_self_hosted_dashboard_sends_anonymous_users_to_the_login(page: Page, tmp_path: Path) -> None:
    proc, url, _ = start_dev_server(tmp_path / "ui", free_port(), *KEYS, command="start")
    try:
        page.goto(f"{url}/runs/01ABC?tab=1")
        expect(page).to_have_url(re.compile(r"/login\?next=/runs/01ABC%3Ftab%3D1$"))
    finally:
        proc.terminate()
        proc.wait(10)


def test_no_ui_serves_no_dashboard(tmp_path: Path) -> None:
    proc, url, _ = start_dev_server(tmp_path / "no-ui", free_port(), *KEYS, "--no-ui", command="start")
    try:
        # signed in (the Bearer signing key), so the guard lets the request through to the routes
        signed = {"Authorization": f"Bearer {KEYS[3]}"}
        request = urllib.request.Request(f"{url}/runs", headers=signed)  # noqa: S310 - loopback test server
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(request, timeout=5)  # noqa: S310 - loopback test server
        assert refused.value.code == 404
    finally:
        proc.terminate()
        proc.wait(10)
