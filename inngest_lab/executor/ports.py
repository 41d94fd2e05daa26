"""Ports of the executor: the clock and the driver that calls functions."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Protocol

from inngest_lab.engine.model import FunctionDef, Json


class Clock(Protocol):
    """Time source. ``FakeClock`` (executor/clock.py) makes tests and tutorials deterministic."""

    def now_ms(self) -> int: ...

    async def sleep_until(self, deadline_ms: int) -> None:
        """Return at ``deadline_ms`` (or earlier if the caller cancels the task)."""
        ...


@dataclass(frozen=True, slots=True)
class CallResult:
    """What the SDK answered to one call request.

    ``body`` is the decoded JSON body (None for an empty body); ``headers`` keys are lower-case.
    ``transport_error`` is set (and status 0) when the SDK could not be reached at all.
    """

    status: int
    headers: Mapping[str, str] = field(default_factory=dict)
    body: Json = None
    transport_error: str | None = None
    raw_size: int = 0


class Driver(Protocol):
    """Calls one function of an app with a call request body (protocol doc section 4.1).

    ``request_id`` identifies this dispatch (the lease id of the call item): sent as ``X-Request-ID``, an SDK
    echoes it in its checkpoints, which is how a stale dispatch is told apart (``executor/checkpoint.py``).
    """

    async def call(
        self, fn: FunctionDef, step_id: str, request: Mapping[str, Json], *, request_id: str | None = None
    ) -> CallResult: ...
