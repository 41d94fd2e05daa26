"""Fixtures for the official-SDK matrix: every scenario runs for {Python, TS SDK} × {dev, start with keys}.

Stacks start lazily, once per session, and are killed at its end; ``target`` hands a test one SDK on one
stack. See ``harness.py``.
"""

from __future__ import annotations

from collections.abc import Iterator

import aiohttp
import pytest

from tests.integration.official.harness import Mode, Sdk, Stack, Target, ensure_ts_app


class Stacks:
    """The session's stacks, started on first use."""

    def __init__(self, factory: pytest.TempPathFactory) -> None:
        self._factory = factory
        self._stacks: dict[Mode, Stack] = {}

    def get(self, mode: Mode) -> Stack:
        if mode not in self._stacks:
            ensure_ts_app()
            stack = Stack(mode, self._factory.mktemp(f"official-{mode}"))
            self._stacks[mode] = stack
            stack.start()
        return self._stacks[mode]

    def close(self) -> None:
        for stack in self._stacks.values():
            stack.close()


@pytest.fixture(scope="session")
def stacks(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stacks]:
    s = Stacks(tmp_path_factory)
    try:
        yield s
    finally:
        s.close()


TARGETS = [(sdk, mode) for mode in Mode for sdk in Sdk]


@pytest.fixture(params=TARGETS, ids=[f"{sdk}-{mode}" for sdk, mode in TARGETS])
def target(request: pytest.FixtureRequest, stacks: Stacks, http: aiohttp.ClientSession) -> Target:
    sdk, mode = request.param
    return Target(sdk, stacks.get(mode), http)
