"""The login page in Debian's Chromium (playwright), against a real start-mode server: a page load is sent to
the login form, a wrong password is shown as such, the right one lands on the page named by ``next`` with the
session cookies set (HttpOnly, SameSite=Strict), the REST routes answer that session, and Log out closes them
again. Screenshots of the form in the light and dark themes go to ``test-artifacts/browser/``."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from playwright.async_api import Browser, async_playwright

from inngest_lab.server.auth_session import CSRF_COOKIE, SESSION_COOKIE
from tests.integration.auth.conftest import PASSWORD, Serve, start_settings

CHROMIUM = "/usr/bin/chromium"
SHOTS = Path(__file__).resolve().parents[3] / "test-artifacts" / "browser"


@pytest.fixture
async def browser() -> AsyncIterator[Browser]:
    if not os.path.exists(CHROMIUM):  # noqa: ASYNC240 - one stat before the browser starts
        raise RuntimeError(f"no Chromium at {CHROMIUM}: `apt-get install chromium`")
    async with async_playwright() as p:
        b = await p.chromium.launch(executable_path=CHROMIUM, headless=True, args=["--no-sandbox", "--disable-gpu"])
        yield b
        await b.close()


async def test_log_in_land_on_next_and_log_out(serve: Serve, browser: Browser) -> None:
    server = await serve(start_settings())
    base = server.origin
    ctx = await browser.new_context(viewport={"width": 900, "height": 700})
    page = await ctx.new_page()

    await page.goto(f"{base}/runs")
    assert page.url == f"{base}/login?next=/runs"
    await page.screenshot(path=str(SHOTS / "login-light.png"))  # playwright creates the directory

    await page.fill("#password", "not it")
    await page.click("button[type=submit]")
    assert await page.locator("[role=alert]").inner_text() == "Wrong password."

    await page.fill("#password", PASSWORD)
    await page.click("button[type=submit]")
    await page.wait_for_url(f"{base}/runs")
    cookies = {c["name"]: c for c in await ctx.cookies()}
    assert cookies[SESSION_COOKIE]["httpOnly"] and cookies[SESSION_COOKIE]["sameSite"] == "Strict"
    assert not cookies[CSRF_COOKIE]["httpOnly"] and cookies[CSRF_COOKIE]["sameSite"] == "Strict"

    api = await page.goto(f"{base}/lab/functions")
    assert api is not None and api.status == 200 and '"data"' in await page.content()

    await page.goto(f"{base}/login")
    await page.click("text=Log out")
    await page.wait_for_url(f"{base}/login")
    assert await page.locator("#password").count() == 1
    assert {c["name"] for c in await ctx.cookies()}.isdisjoint({SESSION_COOKIE, CSRF_COOKIE})
    closed = await page.goto(f"{base}/lab/functions")
    assert closed is not None and closed.status == 401
    await ctx.close()


async def test_the_login_page_follows_the_dark_theme(serve: Serve, browser: Browser) -> None:
    server = await serve(start_settings())
    backgrounds = {}
    for scheme in ("light", "dark"):
        ctx = await browser.new_context(color_scheme=scheme, viewport={"width": 900, "height": 700})
        page = await ctx.new_page()
        await page.goto(f"{server.origin}/login?next=/runs")
        backgrounds[scheme] = await page.evaluate("getComputedStyle(document.body).backgroundColor")
        if scheme == "dark":
            await page.screenshot(path=str(SHOTS / "login-dark.png"))
        await ctx.close()
    assert backgrounds == {"light": "rgb(246, 247, 249)", "dark": "rgb(17, 20, 26)"}
