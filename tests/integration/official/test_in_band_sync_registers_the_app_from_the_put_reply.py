"""In-band sync: a server's ``PUT`` with ``X-Inngest-Sync-Kind: in_band`` is answered with the app's configuration,
which the server registers itself; nothing is posted to ``/fn/register``. Each official SDK is synced here by an
engine of the test's own, that the apps (configured for the stack's server) could never reach out-of-band, so
functions showing up in it prove the sync went in-band. TS answers in-band in dev and cloud mode, Python in cloud
mode only (signed); an SDK that declines falls back to out-of-band, which the same syncer accepts."""

from __future__ import annotations

import pytest

from inngest_lab.executor.app_sync import AppSyncer
from inngest_lab.executor.clock import SystemClock
from inngest_lab.executor.engine import Engine
from inngest_lab.executor.http_driver import HttpDriver
from inngest_lab.protocol.consts import ServerKind
from inngest_lab.store.memory import MemoryStore
from tests.integration.official.harness import SIGNING_KEY, Sdk, Target


async def _sync_in_band(target: Target, kind: ServerKind, signing_key: str | None) -> Engine:
    http = HttpDriver(signing_key)
    engine = Engine(MemoryStore(), SystemClock(), {"http": http}, server_kind=kind)
    await engine.start()
    try:
        state = await AppSyncer(engine, http, urls=[], in_band=True).sync(target.stack.app_url(target.sdk))
        assert state.ok, state.error
    finally:
        await engine.stop()
        await http.close()
    return engine


async def test_ts_answers_in_band_in_dev(dev_target: Target) -> None:
    engine = await _sync_in_band(dev_target.with_sdk(Sdk.TS), ServerKind.DEV, None)

    assert "ts-quick-steps" in {f.fn_id for f in engine.functions()}
    [app] = await engine.store.list_apps()
    assert app.app_id == "ts" and app.url == dev_target.stack.app_url(Sdk.TS)
    assert app.sdk.startswith("js:") and "4.24" in app.sdk


@pytest.mark.parametrize("sdk", list(Sdk), ids=[s.value for s in Sdk])
async def test_both_sdks_answer_in_band_in_cloud_mode(start_target: Target, sdk: Sdk) -> None:
    engine = await _sync_in_band(start_target.with_sdk(sdk), ServerKind.CLOUD, SIGNING_KEY)

    assert f"{sdk.value}-run" in {f.fn_id for f in engine.functions()}


async def test_python_in_dev_mode_declines_and_registers_out_of_band(dev_target: Target) -> None:
    engine = await _sync_in_band(dev_target.with_sdk(Sdk.PY), ServerKind.DEV, None)

    assert engine.functions() == [], "Python answered out-of-band: it registered with the stack's server instead"
