"""``/docs`` renders the spec in a real headless Chromium: every operation listed once, with its parameters and
answers, the schemas linked, no script error and no request to any other origin (the viewer is bundled).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import expect, sync_playwright

from inngest_lab.server.openapi import OPERATIONS
from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS, SHOTS
from tests.integration.api_contract.conftest import Target


@pytest.mark.parametrize("api_server", ["dev"], indirect=True)
def test_docs_page_lists_every_operation(api_server: Target) -> None:
    if not Path(CHROMIUM).exists():
        raise RuntimeError(f"no Chromium at {CHROMIUM}: `make sysdeps` installs it (or set CHROMIUM=/path/to/chrome)")
    requested: list[str] = []
    errors: list[str] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            page.on("request", lambda r: requested.append(r.url))
            page.on("pageerror", lambda e: errors.append(str(e)))
            page.goto(f"{api_server.url}/docs")
            expect(page.locator("body[data-rendered=true]")).to_be_attached()
            expect(page.locator("details.op")).to_have_count(len(OPERATIONS))
            expect(page.locator("#title")).to_have_text("inngest-lab HTTP API")

            events = page.locator("details#getV1Events")
            events.locator("summary").click()
            expect(events).to_contain_text("received_after")
            expect(events).to_contain_text("401 Missing or wrong key")
            events.get_by_role("link", name="EventInfo").first.click()
            expect(page.locator("#schema-EventInfo")).to_be_in_viewport()
            SHOTS.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(SHOTS / "api-docs.png"))
        finally:
            browser.close()
    assert errors == []
    assert requested and all(url.startswith(api_server.url) for url in requested), requested
