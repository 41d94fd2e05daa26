"""``inngest-lab start`` with no UI password says so in its banner, with how to set one, and keeps the dashboard
closed: pages lead to a login page that explains, logging in is refused, and only the signing key opens the
REST API. With a password the banner says a login is required."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from pathlib import Path

import aiohttp

from inngest_lab.cli import build_parser, config_from_args, serve
from tests.integration.auth.conftest import PAGE, PASSWORD_HASH, SIGNING_KEY

BASE_ARGS = ["start", "--port", "0", "--event-key", "k-123", "--signing-key", SIGNING_KEY]


@contextlib.asynccontextmanager
async def running(argv: list[str], env: dict[str, str]) -> AsyncIterator[tuple[str, str]]:
    """The real ``serve`` of the command line; yields (base URL, everything it printed at start)."""
    config = config_from_args(build_parser().parse_args(argv), env)
    lines: list[str] = []
    stop = asyncio.Event()
    task = asyncio.create_task(serve(config, stop=stop, out=lines.append))
    try:
        for _ in range(500):
            if lines or task.done():
                break
            await asyncio.sleep(0.01)
        url = next(line.split()[-1] for line in lines[0].splitlines() if "URL:" in line)
        yield url, "\n".join(lines)
    finally:
        stop.set()
        await asyncio.wait_for(task, 20)


async def test_no_password_means_the_dashboard_is_off_and_says_how_to_turn_it_on(tmp_path: Path) -> None:
    async with running([*BASE_ARGS, "--sqlite-dir", str(tmp_path)], {}) as (url, printed):
        assert "Dashboard:    OFF: no UI password" in printed
        assert "inngest-lab hash-password" in printed and "INNGEST_UI_PASSWORD_HASH" in printed
        async with aiohttp.ClientSession() as http:
            async with http.get(url + "/runs", headers=PAGE, allow_redirects=False) as page:
                assert (page.status, page.headers["Location"]) == (303, "/login?next=/runs")
            async with http.get(url + "/login?next=/runs") as login:
                text = await login.text()
                assert login.status == 200 and "The dashboard is off" in text and "hash-password" in text
                assert 'name="password"' not in text
            async with http.post(url + "/login", data={"password": "anything"}) as attempt:
                assert attempt.status == 403
            async with http.get(url + "/lab/runs") as api:
                assert api.status == 401


async def test_a_password_from_the_environment_turns_the_login_on(tmp_path: Path) -> None:
    env = {"INNGEST_UI_PASSWORD_HASH": PASSWORD_HASH}
    async with running([*BASE_ARGS, "--sqlite-dir", str(tmp_path)], env) as (url, printed):
        assert "Dashboard:    login required (password set)" in printed
        assert PASSWORD_HASH not in printed
        async with aiohttp.ClientSession() as http, http.get(url + "/login") as login:
            assert 'name="password"' in await login.text()
