"""Sessions are stateless and signed with a key every process derives alike (from the signing key, or from
``--session-secret``), so a browser logged in through one process is logged in on all of them; a process with
other keys, or a changed password, does not accept it."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from pathlib import Path

import aiohttp

from inngest_lab.server.auth_password import hash_password
from inngest_lab.server.auth_session import CSRF_COOKIE
from tests.integration.auth.conftest import PASSWORD, PASSWORD_HASH, SIGNING_KEY, Serve, start_settings

SECRET = "s" * 40


async def test_a_session_from_process_a_works_on_process_b(serve: Serve) -> None:
    a, b = await serve(start_settings()), await serve(start_settings())
    await a.login()
    b.cookies.update(a.cookies)
    assert (await b.call("GET", "/lab/runs")).status == 200
    token = {"X-CSRF-Token": a.cookies[CSRF_COOKIE]}
    assert (await b.call("POST", "/v1/functions/app-fn/resume", headers=token)).status == 404  # past auth


async def test_a_shared_session_secret_works_across_different_signing_keys(serve: Serve) -> None:
    a = await serve(start_settings(session_secret=SECRET))
    b = await serve(start_settings(session_secret=SECRET, signing_keys=["signkey-prod-" + "ab" * 32]))
    await a.login()
    b.cookies.update(a.cookies)
    assert (await b.call("GET", "/lab/runs")).status == 200


async def test_another_secret_or_a_new_password_refuses_the_session(serve: Serve) -> None:
    a = await serve(start_settings())
    other_secret = await serve(start_settings(session_secret=SECRET))
    new_password = await serve(start_settings(ui_password_hash=hash_password("another one", log2_n=4)))
    await a.login()
    for server in (other_secret, new_password):
        server.cookies.update(a.cookies)
        assert (await server.call("GET", "/lab/runs")).status == 401


async def test_two_real_start_processes_with_the_same_keys_share_logins(tmp_path: Path) -> None:
    """Two ``inngest-lab start`` processes (their own SQLite files: the session needs no shared store)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("INNGEST_")}
    env.update(PYTHONUNBUFFERED="1", INNGEST_UI_PASSWORD_HASH=PASSWORD_HASH)
    procs: list[asyncio.subprocess.Process] = []
    try:
        urls = []
        for name in ("a", "b"):
            argv = ["-m", "inngest_lab.cli", "start", "--port", "0", "--event-key", "k-123"]
            argv += ["--signing-key", SIGNING_KEY, "--sqlite-dir", str(tmp_path / name)]
            proc = await asyncio.create_subprocess_exec(
                sys.executable, *argv, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT, env=env
            )
            procs.append(proc)
            assert proc.stdout is not None
            line = (await asyncio.wait_for(proc.stdout.readline(), 30)).decode()
            while "URL:" not in line:
                assert line, "the server exited before printing its URL"
                line = (await asyncio.wait_for(proc.stdout.readline(), 30)).decode()
            urls.append(line.split()[-1])
        async with aiohttp.ClientSession(cookie_jar=aiohttp.DummyCookieJar()) as http:
            form = {"password": PASSWORD, "next": "/runs"}
            async with http.post(urls[0] + "/login", data=form, allow_redirects=False) as login:
                assert login.status == 303
                cookies = {c.key: c.value for c in login.cookies.values()}
            cookie = "; ".join(f"{k}={v}" for k, v in cookies.items())
            async with http.get(urls[1] + "/lab/runs", headers={"Cookie": cookie}) as on_b:
                assert on_b.status == 200
            async with http.get(urls[1] + "/lab/runs") as anonymous:
                assert anonymous.status == 401
    finally:
        for proc in procs:
            proc.send_signal(signal.SIGTERM)
        for proc in procs:
            await asyncio.wait_for(proc.communicate(), 20)
