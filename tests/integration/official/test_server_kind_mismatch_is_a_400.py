"""A dev server and a cloud-mode app (or the reverse) refuse each other's sync with 400 ``server_kind_mismatch``."""

from __future__ import annotations

import sys
from typing import Any

import pytest

from tests.integration.conftest import Process, poll
from tests.integration.official.harness import Sdk, Target
from tests.services import free_port


@pytest.mark.parametrize(("expected", "server"), [("cloud", "dev"), ("dev", "start")])
async def test_register_expecting_the_other_kind_is_a_400(
    dev_target: Target, start_target: Target, expected: str, server: str
) -> None:
    target = dev_target if server == "dev" else start_target
    headers = {"X-Inngest-Expected-Server-Kind": expected, **target.auth}
    async with target.session.post(f"{target.stack.url}/fn/register", json={}, headers=headers) as resp:
        assert resp.status == 400
        body = await resp.json()
    assert body["code"] == "server_kind_mismatch"
    assert expected in body["error"]


async def test_a_dev_server_cannot_sync_apps_running_in_cloud_mode(start_target: Target) -> None:
    """Python refuses the dev server's PUT itself; TS forwards the kind to ``/fn/register``, which refuses it."""
    stack = start_target.stack
    port = free_port()
    argv = [sys.executable, "-m", "inngest_lab.cli", "dev", "--port", str(port), "--no-discovery"]
    argv += ["--poll-interval", "0", *[a for sdk in Sdk for a in ("-u", stack.app_url(sdk))]]
    dev = Process("mismatched-dev", argv, stack.app_env(), stack.tmp / "mismatched-dev.log")
    dev.start()
    try:

        async def syncs() -> dict[str, Any] | None:
            dev.check_alive()
            try:
                async with start_target.session.get(f"http://127.0.0.1:{port}/dev") as resp:
                    found: dict[str, Any] = (await resp.json())["syncs"]
            except OSError:
                return None
            return found if len(found) == len(Sdk) else None

        found = await poll(syncs, "the dev server's two sync attempts")
    finally:
        dev.kill()
    for sdk in Sdk:
        state = found[stack.app_url(sdk)]
        assert not state["ok"]
        assert "failed with status 400" in state["error"], state
        assert "Dev Server" in state["error"] or "Expected server kind cloud, got dev" in state["error"], state
