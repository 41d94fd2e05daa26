"""Fixtures for the official-SDK matrix: every scenario runs for {Python, TS SDK} × {dev, start with keys}.

Both stacks are launched once per session, right after collection when it picked any test of this folder, and
killed when the session ends; ``target`` hands a test one SDK on one stack, once that stack has synced. See
``harness.py``.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import aiohttp
import pytest

from tests.integration.official.harness import HERE, Mode, Sdk, Stack, Target, ensure_ts_app


class Stacks:
    """The session's stacks: launched together, each waited for (once) on first use."""

    def __init__(self) -> None:
        self.tmp = Path(tempfile.mkdtemp(prefix="inngest-lab-official-"))
        self._stacks: dict[Mode, Stack] = {}
        self._synced: set[Mode] = set()

    def launch(self) -> None:
        if self._stacks:
            return
        ensure_ts_app()
        for mode in Mode:
            self._stacks[mode] = Stack(mode, self.tmp / mode.value)
            self._stacks[mode].launch()

    def get(self, mode: Mode) -> Stack:
        self.launch()
        stack = self._stacks[mode]
        if mode not in self._synced:
            stack.wait_synced()
            self._synced.add(mode)
        return stack

    def close(self, *, keep_logs: bool) -> None:
        for stack in self._stacks.values():
            stack.close()
        if not keep_logs:
            shutil.rmtree(self.tmp, ignore_errors=True)


_stacks = Stacks()


def pytest_collection_finish(session: pytest.Session) -> None:
    if any(Path(item.path).is_relative_to(HERE) for item in session.items):
        _stacks.launch()


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    _stacks.close(keep_logs=exitstatus != 0)


TARGETS = [(sdk, mode) for mode in Mode for sdk in Sdk]


@pytest.fixture(params=TARGETS, ids=[f"{sdk}-{mode}" for sdk, mode in TARGETS])
def target(request: pytest.FixtureRequest, http: aiohttp.ClientSession) -> Target:
    sdk, mode = request.param
    return Target(sdk, _stacks.get(mode), http)


@pytest.fixture
def dev_target(http: aiohttp.ClientSession) -> Target:
    """The dev stack (as seen through its Python app; ``with_sdk`` switches)."""
    return Target(Sdk.PY, _stacks.get(Mode.DEV), http)


@pytest.fixture
def start_target(http: aiohttp.ClientSession) -> Target:
    """The self-hosted stack (as seen through its Python app; ``with_sdk`` switches)."""
    return Target(Sdk.PY, _stacks.get(Mode.START), http)


@pytest.fixture(params=list(Sdk), ids=[sdk.value for sdk in Sdk])
def dev_sdk_target(request: pytest.FixtureRequest, http: aiohttp.ClientSession) -> Target:
    """Each SDK on the dev stack only: for scenarios where keys change nothing and every run is costly."""
    return Target(request.param, _stacks.get(Mode.DEV), http)
