"""``inngest-lab dev`` without ``-u`` finds an official SDK app by probing ports (here ``$PORT``) with a plain
``GET <url>/api/inngest``, which both SDKs answer with an ``X-Inngest-SDK`` header, then syncs it."""

from __future__ import annotations

import os
import sys
from typing import Any

import pytest

from tests.integration.conftest import Process, poll
from tests.integration.official.harness import Sdk, Target
from tests.services import free_port


@pytest.mark.parametrize("sdk", list(Sdk))
async def test_the_dev_server_discovers_and_syncs_an_app_listening_on_port(sdk: Sdk, dev_target: Target) -> None:
    stack, server_port, app_port = dev_target.stack, free_port(), free_port()
    app_id = f"{sdk}-discovered"
    env = {**stack.app_env(), "INNGEST_DEV": f"http://127.0.0.1:{server_port}"}
    app = stack.start_app(sdk, app_id, app_port, env, app_id=app_id)
    argv = [sys.executable, "-m", "inngest_lab.cli", "dev", "--port", str(server_port), "--poll-interval", "1"]
    server_env = {k: v for k, v in os.environ.items() if not k.startswith("INNGEST_")}
    server = Process(f"discovering-dev-{sdk}", argv, {**server_env, "PORT": str(app_port)}, stack.tmp / f"{app_id}.log")
    server.start()
    url = f"http://127.0.0.1:{app_port}/api/inngest"
    try:

        async def synced() -> dict[str, Any] | None:
            server.check_alive()
            app.check_alive()
            try:
                async with dev_target.session.get(f"http://127.0.0.1:{server_port}/dev") as resp:
                    info: dict[str, Any] = await resp.json()
            except OSError:
                return None
            # The syncer records its PUT's outcome once the app's registration (made during that PUT) is in.
            return info if url in info["syncs"] and any(f["app_id"] == app_id for f in info["functions"]) else None

        info = await poll(synced, f"the dev server to discover {app_id}")
    finally:
        server.kill()
        app.kill()
    assert info["syncs"][url]["discovered"] is True
    assert info["startOpts"]["autodiscover"] is True
