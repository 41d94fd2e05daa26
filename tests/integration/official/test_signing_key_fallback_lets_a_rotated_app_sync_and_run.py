"""Key rotation: an app whose primary signing key the server no longer knows syncs and runs with its fallback.

The server answers the app's ``/fn/register`` (and ``/v0``) with 401 for the old key; that 401 is what makes the
SDK retry with ``INNGEST_SIGNING_KEY_FALLBACK``. The server's call requests verify against the fallback too, and
the SDK signs its answers with it. An app with no valid key at all cannot sync.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable

import pytest

from tests.integration.conftest import Process, poll
from tests.integration.official.harness import SIGNING_KEY, Sdk, Stack, Target
from tests.services import free_port

OLD_KEY = "signkey-test-" + "0d" * 32

StartApp = Callable[[Sdk, str, str, str | None], tuple[str, str]]


@pytest.fixture
async def start_app(start_target: Target) -> AsyncIterator[StartApp]:
    """Start an extra app (its own app id) against the self-hosted stack; return (app id, serve URL)."""
    stack: Stack = start_target.stack
    started: list[Process] = []

    def start(sdk: Sdk, name: str, primary: str, fallback: str | None) -> tuple[str, str]:
        app_id, port = f"{sdk}-{name}", free_port()
        env = stack.app_env(signing_key=primary, fallback=fallback)
        started.append(stack.start_app(sdk, app_id, port, env, app_id=app_id))
        return app_id, f"http://127.0.0.1:{port}/api/inngest"

    yield start
    for proc in started:
        proc.kill()


async def _sync(target: Target, url: str) -> tuple[int, str]:
    """``PUT <serve url>``: what ``inngest-lab``'s syncer (or a user's curl) sends; retried while the app starts."""

    async def put() -> tuple[int, str] | None:
        try:
            async with target.session.put(url, json={"url": url}, headers={"X-Inngest-Server-Kind": "cloud"}) as r:
                return r.status, await r.text()
        except OSError:
            return None  # not listening yet

    return await poll(put, f"the app at {url} to answer")


@pytest.mark.parametrize("sdk", list(Sdk))
async def test_an_app_with_a_rotated_key_syncs_with_its_fallback_and_runs(
    sdk: Sdk, start_target: Target, start_app: StartApp
) -> None:
    app_id, url = start_app(sdk, "rotated", OLD_KEY, SIGNING_KEY)

    status, body = await _sync(start_target, url)

    assert status == 200, body
    assert f"{app_id}-run" in start_target.stack.functions()
    rotated = start_target.with_sdk(sdk, app_id)
    done = await rotated.run("run")
    assert (done["status"], done["output"]) == ("Completed", {"first": "A", "again": "A2"}), rotated.logs()


@pytest.mark.parametrize("sdk", list(Sdk))
async def test_an_app_with_only_a_wrong_key_cannot_sync(sdk: Sdk, start_target: Target, start_app: StartApp) -> None:
    app_id, url = start_app(sdk, "keyless", OLD_KEY, None)

    status, body = await _sync(start_target, url)

    # TS answers with the server's 401; Python 0.5.19 passes the server's error body back with a 200.
    assert "Authentication failed" in body, (status, body)
    assert not [f for f in start_target.stack.functions() if f.startswith(f"{app_id}-")]
