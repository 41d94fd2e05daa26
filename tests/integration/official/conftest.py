"""Fixtures for the official-SDK matrix: every scenario runs for {Python, TS SDK} × {dev, start with keys}, and
a representative subset (``SHARED_SCENARIOS``) once more for both SDKs on ``start-pg``: two ``start`` processes
on Postgres + Redis, with events sent to both.

The stacks a session needs are launched once, right after collection, and killed when the session ends;
``target`` hands a test one SDK on one stack, once that stack has synced. See ``harness.py``.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path
from typing import NamedTuple

import aiohttp
import pytest

from tests.integration.official.harness import HERE, Mode, Sdk, Stack, Target, ensure_ts_app


class StackKind(NamedTuple):
    mode: Mode
    shared: bool = False  # two ``start`` processes on Postgres + Redis

    @property
    def name(self) -> str:
        return f"{self.mode}-pg" if self.shared else self.mode.value


DEV, START, START_PG = StackKind(Mode.DEV), StackKind(Mode.START), StackKind(Mode.START, shared=True)
SHARED_SCENARIOS = frozenset(
    {
        "test_step_run_memoizes_each_step.py",
        "test_sleep_resumes_after_the_duration.py",
        "test_wait_for_event_resumes_with_the_matching_event.py",
        "test_invoke_returns_the_child_output.py",
        "test_parallel_steps_run_once_each.py",
        "test_step_error_is_retried_then_fails_the_run.py",
        "test_retry_after_error_delays_the_next_attempt.py",
        "test_concurrency_limit_holds_back_the_second_step.py",
        "test_send_event_from_a_step_triggers_functions.py",
        "test_signal_resumes_the_waiting_run.py",
        "test_realtime_subscriber_gets_a_runs_messages_in_order.py",
        "test_ts_subscribe_receives_a_functions_messages.py",
        "test_ai_infer_retries_a_500_then_succeeds.py",
        "test_step_fetch_saves_any_status_as_a_response.py",
    }
)
"""The scenarios that also run on ``start-pg`` by default: step.run memoization, sleep, wait_for_event, invoke,
parallel steps, retries, concurrency, send_event (18 tests, about 20 s). ``OFFICIAL_START_PG=all`` runs every
scenario there (52 tests, about 80 s on 2 cores: too long for every ``make test``)."""
ALL_ON_START_PG = os.environ.get("OFFICIAL_START_PG") == "all"


class Stacks:
    """The session's stacks: launched together, each waited for (once) on first use."""

    def __init__(self) -> None:
        self.tmp = Path(tempfile.mkdtemp(prefix="inngest-lab-official-"))
        self._stacks: dict[StackKind, Stack] = {}
        self._synced: set[StackKind] = set()

    def launch(self, kinds: set[StackKind]) -> None:
        if not kinds - set(self._stacks):
            return
        ensure_ts_app()
        for kind in sorted(kinds - set(self._stacks)):
            self._stacks[kind] = Stack(kind.mode, self.tmp / kind.name, shared=kind.shared)
            self._stacks[kind].launch()

    def get(self, kind: StackKind) -> Stack:
        self.launch({kind})
        stack = self._stacks[kind]
        if kind not in self._synced:
            stack.wait_synced()
            self._synced.add(kind)
        return stack

    def close(self, *, keep_logs: bool) -> None:
        for stack in self._stacks.values():
            stack.close()
        if not keep_logs:
            shutil.rmtree(self.tmp, ignore_errors=True)


_stacks = Stacks()


def _kind_of(item: pytest.Item) -> StackKind | None:
    callspec = getattr(item, "callspec", None)
    params = callspec.params if callspec is not None else {}
    param = params.get("target", params.get("ts_target"))
    return param[1] if isinstance(param, tuple) else None


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Deselect ``start-pg`` targets outside ``SHARED_SCENARIOS`` (unless ``OFFICIAL_START_PG=all``)."""
    keep: list[pytest.Item] = []
    drop: list[pytest.Item] = []
    for item in items:
        outside = not ALL_ON_START_PG and Path(item.path).name not in SHARED_SCENARIOS
        (drop if _kind_of(item) == START_PG and outside else keep).append(item)
    if drop:
        config.hook.pytest_deselected(items=drop)
        items[:] = keep


def pytest_collection_finish(session: pytest.Session) -> None:
    kinds: set[StackKind] = set()
    for item in session.items:
        if Path(item.path).is_relative_to(HERE):
            fixtures = set(getattr(item, "fixturenames", ()))
            kinds |= {kind for kind in [_kind_of(item)] if kind is not None}
            kinds |= {DEV} if fixtures & {"dev_target", "dev_sdk_target"} else set()
            kinds |= {START} if "start_target" in fixtures else set()
    _stacks.launch(kinds)


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    _stacks.close(keep_logs=exitstatus != 0)


TARGETS = [(sdk, kind) for kind in (DEV, START, START_PG) for sdk in Sdk]


@pytest.fixture(params=TARGETS, ids=[f"{sdk}-{kind.name}" for sdk, kind in TARGETS])
def target(request: pytest.FixtureRequest, http: aiohttp.ClientSession) -> Target:
    sdk, kind = request.param
    return Target(sdk, _stacks.get(kind), http)


TS_TARGETS = [(Sdk.TS, kind) for kind in (DEV, START, START_PG)]


@pytest.fixture(params=TS_TARGETS, ids=[f"ts-{kind.name}" for _, kind in TS_TARGETS])
def ts_target(request: pytest.FixtureRequest, http: aiohttp.ClientSession) -> Target:
    """The TS app on each stack: for features only the TS SDK has (signals, step.fetch, realtime subscribe)."""
    sdk, kind = request.param
    return Target(sdk, _stacks.get(kind), http)


@pytest.fixture
def dev_target(http: aiohttp.ClientSession) -> Target:
    """The dev stack (as seen through its Python app; ``with_sdk`` switches)."""
    return Target(Sdk.PY, _stacks.get(DEV), http)


@pytest.fixture
def start_target(http: aiohttp.ClientSession) -> Target:
    """The self-hosted stack (as seen through its Python app; ``with_sdk`` switches)."""
    return Target(Sdk.PY, _stacks.get(START), http)


@pytest.fixture(params=list(Sdk), ids=[sdk.value for sdk in Sdk])
def dev_sdk_target(request: pytest.FixtureRequest, http: aiohttp.ClientSession) -> Target:
    """Each SDK on the dev stack only: for scenarios where keys change nothing and every run is costly."""
    return Target(request.param, _stacks.get(DEV), http)
