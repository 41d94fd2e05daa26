"""A served function: its ids, configuration, handlers and registration JSON (protocol doc sections 3.2 and 8)."""

from __future__ import annotations

import inspect
import urllib.parse
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from inngest_lab.protocol.consts import DISCOVERY_STEP_ID, InternalEvent
from inngest_lab.sdk.config import (
    Batch,
    Cancel,
    Concurrency,
    Debounce,
    Priority,
    RateLimit,
    Singleton,
    Throttle,
    Timeouts,
    Trigger,
    TriggerEvent,
)
from inngest_lab.sdk.errors import FunctionConfigInvalidError

T = TypeVar("T")
Handler = Callable[[Any], Any]


@dataclass(frozen=True, slots=True)
class FunctionConfig:
    """Everything ``create_function`` accepts besides the handler."""

    fn_id: str
    name: str | None = None
    triggers: tuple[Trigger, ...] = ()
    retries: int | None = None
    cancel: tuple[Cancel, ...] | None = None
    concurrency: tuple[Concurrency, ...] | None = None
    throttle: Throttle | None = None
    rate_limit: RateLimit | None = None
    debounce: Debounce | None = None
    batch_events: Batch | None = None
    priority: Priority | None = None
    idempotency: str | None = None
    singleton: Singleton | None = None
    timeouts: Timeouts | None = None
    on_failure: Handler | None = field(default=None, compare=False)


def _step_url(url: str, fn_id: str) -> str:
    return url + "?" + urllib.parse.urlencode({"fnId": fn_id, "stepId": DISCOVERY_STEP_ID})


def _steps(url: str, fn_id: str, retries: int | None) -> dict[str, Any]:
    step: dict[str, Any] = {"id": DISCOVERY_STEP_ID, "name": DISCOVERY_STEP_ID}
    if retries is not None:
        step["retries"] = {"attempts": retries}
    step["runtime"] = {"type": "ws" if url.startswith("wss://") else "http", "url": _step_url(url, fn_id)}
    return {DISCOVERY_STEP_ID: step}


class Function(Generic[T]):
    """A function created by ``client.create_function``. ``id`` is the composite ``<app_id>-<fn_id>``."""

    def __init__(self, app_id: str, config: FunctionConfig, handler: Handler) -> None:
        if not config.triggers:
            raise FunctionConfigInvalidError(f"function {config.fn_id} has no trigger")
        if config.retries is not None and not 0 <= config.retries <= 20:
            raise FunctionConfigInvalidError("retries must be between 0 and 20")
        self.app_id = app_id
        self.config = config
        self.handler = handler
        self.is_async = inspect.iscoroutinefunction(handler)
        on_failure = config.on_failure
        if on_failure is not None and inspect.iscoroutinefunction(on_failure) != self.is_async:
            kind = "an async" if self.is_async else "a non-async"
            raise FunctionConfigInvalidError(f"{kind} function needs {kind.split()[1]} on_failure handler")

    @property
    def local_id(self) -> str:
        return self.config.fn_id

    @property
    def id(self) -> str:
        return f"{self.app_id}-{self.config.fn_id}"

    @property
    def name(self) -> str:
        return self.config.name or self.config.fn_id

    @property
    def on_failure_fn_id(self) -> str | None:
        return f"{self.id}-failure" if self.config.on_failure is not None else None

    def get_id(self) -> str:
        """inngest-py spelling of ``id``."""
        return self.id

    def handler_for(self, fn_id: str) -> Handler | None:
        """The handler a call request for ``fn_id`` (composite, or the failure twin's) runs; None if neither."""
        if fn_id == self.id:
            return self.handler
        if fn_id == self.on_failure_fn_id:
            return self.config.on_failure
        return None

    def registration(self, url: str) -> list[dict[str, Any]]:
        """The ``functions[]`` entries for this function and its failure twin, as inngest-py 0.5.19 writes them."""
        c = self.config
        main: dict[str, Any] = {
            "batchEvents": c.batch_events.to_wire() if c.batch_events else None,
            "cancel": [x.to_wire() for x in c.cancel] if c.cancel is not None else None,
            "concurrency": [x.to_wire() for x in c.concurrency] if c.concurrency is not None else None,
            "debounce": c.debounce.to_wire() if c.debounce else None,
            "id": self.id,
            "idempotency": c.idempotency,
            "name": self.name,
            "priority": c.priority.to_wire() if c.priority else None,
            "rateLimit": c.rate_limit.to_wire() if c.rate_limit else None,
            "steps": _steps(url, self.id, c.retries),
            "throttle": c.throttle.to_wire() if c.throttle else None,
            "timeouts": c.timeouts.to_wire() if c.timeouts else None,
            "singleton": c.singleton.to_wire() if c.singleton else None,
            "triggers": [t.to_wire() for t in c.triggers],
        }
        entries = [{k: v for k, v in main.items() if v is not None}]
        failure_id = self.on_failure_fn_id
        if failure_id is not None:
            trigger = TriggerEvent(InternalEvent.FUNCTION_FAILED.value, f"event.data.function_id == '{self.id}'")
            entries.append(
                {
                    "cancel": [],
                    "concurrency": [],
                    "id": failure_id,
                    "name": f"{self.name} (failure)",
                    "steps": _steps(url, failure_id, 0),
                    "triggers": [trigger.to_wire()],
                }
            )
        return entries


def as_tuple(value: Any | Sequence[Any] | None) -> tuple[Any, ...] | None:
    if value is None:
        return None
    if isinstance(value, list | tuple):
        return tuple(value)
    return (value,)
