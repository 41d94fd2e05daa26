"""The ``Inngest`` client: configuration resolved from arguments and environment, the function
decorator, and event sending through a pluggable ``EventTransport``."""

from __future__ import annotations

import asyncio
import logging
import os
import time
from collections.abc import Callable, Mapping
from typing import Any, TypeVar

from inngest_lab.protocol.consts import ServerKind
from inngest_lab.sdk import env as envlib
from inngest_lab.sdk.checkpointing import CheckpointConfig
from inngest_lab.sdk.config import (
    Batch,
    Cancel,
    Concurrency,
    Debounce,
    Event,
    Priority,
    RateLimit,
    Singleton,
    Throttle,
    Timeouts,
    Trigger,
)
from inngest_lab.sdk.function import Function, FunctionConfig, Handler, as_tuple
from inngest_lab.sdk.transport import EventTransport, HttpEventTransport, run_sync

T = TypeVar("T")


class Inngest:
    """An app's client. Mode and URLs follow inngest-py 0.5.19 (protocol doc section 2.1)."""

    def __init__(
        self,
        app_id: str,
        *,
        event_key: str | None = None,
        signing_key: str | None = None,
        signing_key_fallback: str | None = None,
        is_production: bool | None = None,
        api_base_url: str | None = None,
        event_api_base_url: str | None = None,
        env: str | None = None,
        logger: logging.Logger | logging.LoggerAdapter[Any] | None = None,
        app_version: str | None = None,
        environ: Mapping[str, str] | None = None,
        checkpointing: bool | CheckpointConfig = True,
    ) -> None:
        """``checkpointing``: the fast path of ``sdk/checkpointing.py`` for functions served over HTTP (on unless
        ``False``; a ``CheckpointConfig`` sets its maximum runtime per call)."""
        environ = os.environ if environ is None else environ
        self.checkpointing: CheckpointConfig | None = (
            checkpointing
            if isinstance(checkpointing, CheckpointConfig)
            else CheckpointConfig()
            if checkpointing
            else None
        )
        self.app_id = app_id
        self.app_version = app_version
        self.logger = logger or logging.getLogger("inngest_lab.sdk")
        self.mode: ServerKind = envlib.resolve_mode(is_production, environ)
        self.is_production = self.mode is ServerKind.CLOUD
        self.event_key = event_key or environ.get(envlib.INNGEST_EVENT_KEY) or None
        self.signing_key = signing_key or environ.get(envlib.INNGEST_SIGNING_KEY) or None
        self.signing_key_fallback = signing_key_fallback or environ.get(envlib.INNGEST_SIGNING_KEY_FALLBACK) or None
        self.env = envlib.resolve_env_name(env, environ)
        self.api_origin = envlib.resolve_api_origin(api_base_url, self.mode, environ)
        self.event_api_origin = envlib.resolve_event_api_origin(event_api_base_url, self.mode, environ)
        self.enable_unauthed_sync = not envlib.is_false(environ.get(envlib.INNGEST_ENABLE_UNAUTHED_SYNC))
        self._environ = environ
        self._transport: EventTransport = HttpEventTransport(self.event_api_origin, self.event_key, self.mode, self.env)
        self._transport_loop: asyncio.AbstractEventLoop | None = None

    @property
    def environ(self) -> Mapping[str, str]:
        return self._environ

    def set_transport(self, transport: EventTransport, *, loop: asyncio.AbstractEventLoop | None = None) -> None:
        """Replace the event transport. ``loop``: the loop the transport must run on, for ``send_sync``
        called from threads that are not a served function's worker thread."""
        self._transport = transport
        self._transport_loop = loop

    def create_function(
        self,
        *,
        fn_id: str,
        trigger: Trigger | list[Trigger],
        name: str | None = None,
        retries: int | None = None,
        cancel: list[Cancel] | None = None,
        on_failure: Handler | None = None,
        concurrency: list[Concurrency] | Concurrency | None = None,
        throttle: Throttle | None = None,
        rate_limit: RateLimit | None = None,
        debounce: Debounce | None = None,
        batch_events: Batch | None = None,
        priority: Priority | None = None,
        idempotency: str | None = None,
        singleton: Singleton | None = None,
        timeouts: Timeouts | None = None,
    ) -> Callable[[Callable[..., Any]], Function[Any]]:
        """Decorate ``def fn(ctx)`` or ``async def fn(ctx)`` into a ``Function``."""
        config = FunctionConfig(
            fn_id=fn_id,
            name=name,
            triggers=as_tuple(trigger) or (),
            retries=retries,
            cancel=as_tuple(cancel),
            concurrency=as_tuple(concurrency),
            throttle=throttle,
            rate_limit=rate_limit,
            debounce=debounce,
            batch_events=batch_events,
            priority=priority,
            idempotency=idempotency,
            singleton=singleton,
            timeouts=timeouts,
            on_failure=on_failure,
        )

        def decorator(handler: Callable[..., Any]) -> Function[Any]:
            return Function(self.app_id, config, handler)

        return decorator

    async def send(self, events: Event | list[Event]) -> list[str]:
        """Send one or more events; returns their ids. Raises ``SendEventsError`` on an Event API error."""
        return await self._transport.send(self._payloads(events))

    def send_sync(self, events: Event | list[Event]) -> list[str]:
        """Blocking ``send``: drives the same coroutine (see ``transport.run_sync``)."""
        return run_sync(lambda: self.send(events), self._transport_loop)

    @staticmethod
    def _payloads(events: Event | list[Event]) -> list[dict[str, Any]]:
        # inngest-py drops an empty id and fills a zero ts with now, and never sends user/v.
        out = []
        for ev in events if isinstance(events, list) else [events]:
            d = ev.to_dict()
            if d["id"] == "":
                del d["id"]
            if d["ts"] == 0:
                d["ts"] = int(time.time() * 1000)
            out.append(d)
        return out
