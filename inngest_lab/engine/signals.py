"""Signals: what happened to a run. ``transition`` turns a signal into commands."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from inngest_lab.engine.model import Json, Pause


@dataclass(frozen=True, slots=True)
class SdkResponded:
    """The SDK answered a call request (``status`` 0 with ``transport_error`` when unreachable)."""

    status: int
    headers: Mapping[str, str] = field(default_factory=dict)
    body: Json = None
    transport_error: str | None = None
    started_at_ms: int = 0
    ended_at_ms: int = 0


@dataclass(frozen=True, slots=True)
class TimerFired:
    """A ``step.sleep`` reached its wake-up time."""


@dataclass(frozen=True, slots=True)
class PauseResumed:
    """A pause matched an event; ``event`` is the wire event (for invoke: ``inngest/function.finished``)."""

    pause: Pause
    event: Mapping[str, Json]


@dataclass(frozen=True, slots=True)
class PauseTimedOut:
    pause: Pause


@dataclass(frozen=True, slots=True)
class CancelRequested:
    reason: str


@dataclass(frozen=True, slots=True)
class GatewayResponded:
    """The server's own HTTP call for an ``AIGateway``/``Gateway`` op ended (``engine/gateway.py``).

    ``status`` is 0 with ``transport_error`` when no response came; ``body`` is the response text; ``headers``
    map each header name to its values joined by ``,``.
    """

    status: int
    headers: Mapping[str, str] = field(default_factory=dict)
    body: str = ""
    transport_error: str | None = None
    started_at_ms: int = 0
    ended_at_ms: int = 0


@dataclass(frozen=True, slots=True)
class SignalConflicted:
    """A ``WaitForSignal`` with conflict ``fail`` found its signal held by another run (``engine/signal_wait.py``)."""

    pause: Pause


Signal = (
    SdkResponded | TimerFired | PauseResumed | PauseTimedOut | CancelRequested | GatewayResponded | SignalConflicted
)
