"""The step API user code sees: ``ctx.step`` and ``ctx.group``, as thin sync and async faces over ``StepCore``."""

from __future__ import annotations

import inspect
import logging
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from inngest_lab.sdk.ai import Adapter, infer_opts
from inngest_lab.sdk.config import Duration, Event, ParallelMode
from inngest_lab.sdk.step_core import StepCore

if TYPE_CHECKING:
    from inngest_lab.sdk.client import Inngest
    from inngest_lab.sdk.function import Function

T = TypeVar("T")


class _StepBase:
    def __init__(self, core: StepCore, client: Inngest) -> None:
        self._core = core
        self._client = client


class _AIBase:
    def __init__(self, core: StepCore) -> None:
        self._core = core


class AISync(_AIBase):
    """``ctx.step.ai`` of ``def fn(ctx)`` functions."""

    def infer(self, step_id: str, *, adapter: Adapter, body: dict[str, Any]) -> Any:
        """The model's JSON response; the server makes the call (``sdk/ai.py``)."""
        return self._core.ai_infer(step_id, infer_opts(adapter, body))


class AI(_AIBase):
    """``ctx.step.ai`` of ``async def fn(ctx)`` functions."""

    async def infer(self, step_id: str, *, adapter: Adapter, body: dict[str, Any]) -> Any:
        return self._core.ai_infer(step_id, infer_opts(adapter, body))


class StepSync(_StepBase):
    """Steps for ``def fn(ctx)`` functions."""

    @property
    def ai(self) -> AISync:
        return AISync(self._core)

    def run(self, step_id: str, handler: Callable[..., T], *handler_args: Any) -> T:
        """Run ``handler(*handler_args)`` once, retried on error and memoized on success."""
        ticket = self._core.begin_run(step_id)
        if ticket.done:
            return ticket.value  # type: ignore[no-any-return]
        try:
            output = handler(*ticket.handler_args(handler_args))
        except BaseException as exc:
            self._core.fail_run(ticket, exc)
        self._core.finish_run(ticket, output)

    def sleep(self, step_id: str, duration: Duration) -> None:
        self._core.sleep(step_id, duration)

    def sleep_until(self, step_id: str, until: datetime) -> None:
        self._core.sleep_until(step_id, until)

    def wait_for_event(self, step_id: str, *, event: str, if_exp: str | None = None, timeout: Duration) -> Event | None:
        return self._core.wait_for_event(step_id, event=event, if_exp=if_exp, timeout=timeout)

    def wait_for_signal(
        self, step_id: str, *, signal: str, timeout: Duration, on_conflict: str = "replace"
    ) -> dict[str, Any] | None:
        """Wait until ``signal`` is sent (``POST /v1/signals``): ``{"signal", "data"}``, or None at the timeout.

        ``on_conflict``: ``"replace"`` takes the signal from another run waiting for it; ``"fail"`` fails this run.
        """
        result: dict[str, Any] | None = self._core.wait_for_signal(
            step_id, signal=signal, timeout=timeout, on_conflict=on_conflict
        )
        return result

    def invoke(
        self,
        step_id: str,
        *,
        function: Function[Any],
        data: Mapping[str, Any] | None = None,
        user: Mapping[str, Any] | None = None,
        timeout: Duration | None = None,
        v: str | None = None,
    ) -> Any:
        return self._core.invoke_by_id(
            step_id, app_id=function.app_id, function_id=function.local_id, data=data, timeout=timeout, v=v, user=user
        )

    def invoke_by_id(
        self,
        step_id: str,
        *,
        app_id: str | None = None,
        function_id: str,
        data: Mapping[str, Any] | None = None,
        timeout: Duration | None = None,
        v: str | None = None,
    ) -> Any:
        return self._core.invoke_by_id(step_id, app_id=app_id, function_id=function_id, data=data, timeout=timeout, v=v)

    def send_event(self, step_id: str, events: Event | list[Event]) -> list[str]:
        """A ``step.run`` that sends the events and memoizes their ids."""
        return self.run(step_id, lambda: self._client.send_sync(events))


class Step(_StepBase):
    """Steps for ``async def fn(ctx)`` functions. ``run`` accepts sync or async handlers."""

    @property
    def ai(self) -> AI:
        return AI(self._core)

    async def run(self, step_id: str, handler: Callable[..., Any], *handler_args: Any) -> Any:
        """Run ``handler(*handler_args)`` (awaiting it if it returns an awaitable) once, memoized on success."""
        ticket = self._core.begin_run(step_id)
        if ticket.done:
            return ticket.value
        try:
            output = handler(*ticket.handler_args(handler_args))
            if inspect.isawaitable(output):
                output = await output
        except BaseException as exc:
            self._core.fail_run(ticket, exc)
        self._core.finish_run(ticket, output)

    async def sleep(self, step_id: str, duration: Duration) -> None:
        self._core.sleep(step_id, duration)

    async def sleep_until(self, step_id: str, until: datetime) -> None:
        self._core.sleep_until(step_id, until)

    async def wait_for_event(
        self, step_id: str, *, event: str, if_exp: str | None = None, timeout: Duration
    ) -> Event | None:
        return self._core.wait_for_event(step_id, event=event, if_exp=if_exp, timeout=timeout)

    async def wait_for_signal(
        self, step_id: str, *, signal: str, timeout: Duration, on_conflict: str = "replace"
    ) -> dict[str, Any] | None:
        """See :meth:`StepSync.wait_for_signal`."""
        result: dict[str, Any] | None = self._core.wait_for_signal(
            step_id, signal=signal, timeout=timeout, on_conflict=on_conflict
        )
        return result

    async def invoke(
        self,
        step_id: str,
        *,
        function: Function[Any],
        data: Mapping[str, Any] | None = None,
        user: Mapping[str, Any] | None = None,
        timeout: Duration | None = None,
        v: str | None = None,
    ) -> Any:
        return self._core.invoke_by_id(
            step_id, app_id=function.app_id, function_id=function.local_id, data=data, timeout=timeout, v=v, user=user
        )

    async def invoke_by_id(
        self,
        step_id: str,
        *,
        app_id: str | None = None,
        function_id: str,
        data: Mapping[str, Any] | None = None,
        timeout: Duration | None = None,
        v: str | None = None,
    ) -> Any:
        return self._core.invoke_by_id(step_id, app_id=app_id, function_id=function_id, data=data, timeout=timeout, v=v)

    async def send_event(self, step_id: str, events: Event | list[Event]) -> list[str]:
        ids: list[str] = await self.run(step_id, lambda: self._client.send(events))
        return ids


class GroupSync:
    def __init__(self, core: StepCore) -> None:
        self._core = core

    def parallel(
        self, callables: tuple[Callable[[], T], ...], parallel_mode: ParallelMode = ParallelMode.WAIT
    ) -> tuple[T, ...]:
        """Run each zero-arg callable (each calling one step); new steps are reported together as planned."""
        with self._core.parallel(parallel_mode) as scope:
            for cb in callables:
                with scope.branch():
                    scope.add(cb())
        return scope.result()


class Group:
    def __init__(self, core: StepCore) -> None:
        self._core = core

    async def parallel(
        self, callables: tuple[Callable[[], Awaitable[T]], ...], parallel_mode: ParallelMode = ParallelMode.WAIT
    ) -> tuple[T, ...]:
        with self._core.parallel(parallel_mode) as scope:
            for cb in callables:
                with scope.branch():
                    scope.add(await cb())
        return scope.result()


S = TypeVar("S", Step, StepSync)
G = TypeVar("G", Group, GroupSync)


@dataclass(frozen=True, slots=True)
class _ContextBase(Generic[S, G]):
    event: Event
    events: list[Event]
    run_id: str
    attempt: int
    step: S
    group: G
    logger: logging.Logger | logging.LoggerAdapter[Any]
    job_id: str | None = None
    request_id: str | None = None


class Context(_ContextBase[Step, Group]):
    """What ``async def fn(ctx)`` receives."""

    __slots__ = ()


class ContextSync(_ContextBase[StepSync, GroupSync]):
    """What ``def fn(ctx)`` receives: the same fields, with the sync step API."""

    __slots__ = ()
