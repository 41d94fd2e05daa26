"""``LiveWidget``: the anywidget base of every inngest-lab widget.

It holds the ``WorkbenchSource`` (the Lab) the widget reads through, routes front-end commands
(``{"type": "cancel", ...}`` comm messages) to ``on_<type>`` coroutines run on the engine's loop, and
shows their errors in the widget instead of losing them in the kernel log.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Coroutine, Mapping
from typing import Any

import anywidget
import traitlets

from inngest_lab.widgets import cells
from inngest_lab.widgets.bundle import css, esm
from inngest_lab.workbench.source import WorkbenchSource, current

log = logging.getLogger(__name__)

Handler = Callable[[Mapping[str, Any]], Coroutine[Any, Any, None]]


class FrontEnd(anywidget.AnyWidget):
    """The shared front end (one ES module; ``view`` names what it draws) and the fallback mime bundle."""

    _esm = traitlets.Unicode(esm()).tag(sync=True)
    _css = traitlets.Unicode(css()).tag(sync=True)
    view = traitlets.Unicode("").tag(sync=True)
    notice = traitlets.Unicode("").tag(sync=True)
    fake_clock = traitlets.Bool(False).tag(sync=True)
    static = traitlets.Bool(False).tag(sync=True)  # a snapshot: no buttons, no live clock

    def _fallback_html(self) -> str | None:
        """Readable HTML for outputs where widgets don't render (nbconvert, GitHub); None for none."""
        return None

    def _repr_mimebundle_(self, **kwargs: Any) -> tuple[dict[str, Any], dict[str, Any]]:
        bundle = super()._repr_mimebundle_(**kwargs)
        data, metadata = bundle if bundle is not None else ({}, {})
        data = {**data, "text/plain": repr(self)}
        html = self._fallback_html()
        if html is not None:
            data["text/html"] = html
        return data, metadata


class LiveWidget(FrontEnd):
    """Base class of the live widgets: source, command routing, error notices."""

    def __init__(self, source: WorkbenchSource | None = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.source: WorkbenchSource = source if source is not None else current()
        self.fake_clock = self.source.fake_clock
        self._tasks: set[asyncio.Future[Any]] = set()
        self.on_msg(self._on_msg)
        cells.track(self)

    def _handlers(self) -> Mapping[str, Handler]:
        """Command name → coroutine; subclasses extend it."""
        return {}

    def _on_msg(self, _widget: object, content: Any, _buffers: object) -> None:
        if not isinstance(content, Mapping):
            return
        handler = self._handlers().get(str(content.get("type")))
        if handler is None:
            self.notice = f"unknown command {content.get('type')!r}"
            return
        self.spawn(handler(content))

    def spawn(self, coro: Coroutine[Any, Any, None]) -> asyncio.Future[None]:
        """Run ``coro`` on the engine's loop; an exception becomes the widget's notice."""
        self.notice = ""
        fut = self.source.spawn(coro)
        self._tasks.add(fut)
        fut.add_done_callback(self._finished)
        return fut

    def _finished(self, fut: asyncio.Future[Any]) -> None:
        self._tasks.discard(fut)
        if fut.cancelled():
            return
        exc = fut.exception()
        if exc is not None:
            self.notice = f"{type(exc).__name__}: {exc}"

    async def settled(self) -> None:
        """Wait for the commands in flight (tests and notebooks use it to observe their effects)."""
        while self._tasks:
            await asyncio.wait(list(self._tasks))
