"""``LoopThread``: an asyncio event loop on a daemon thread, for a ``Lab`` created in plain synchronous code.

A script or a WSGI app (Flask, Django) has no running event loop, and the engine is asyncio code. Rather than a
synchronous copy of the engine, the ``Lab`` then runs its one asynchronous implementation on a loop of its own,
on this thread, and synchronous callers submit coroutines to it and block on the result (``call``).

Contract:

* the loop runs from the constructor until ``stop``; ``stop`` is idempotent and joins the thread;
* ``call`` from the loop's own thread raises ``RuntimeError`` (blocking there would deadlock);
* at interpreter exit (before its executors are shut down) the loop is stopped after the ``on_exit``
  coroutine (the Lab's close) has run, so scheduled work is stored and the SQLite file is closed cleanly.
  The thread is a daemon, so a close that hangs cannot hang the exit: ``stop`` stops waiting after
  ``EXIT_TIMEOUT_S``.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import logging
import threading
from collections.abc import Callable, Coroutine
from typing import Any, TypeVar

T = TypeVar("T")

EXIT_TIMEOUT_S = 10.0
log = logging.getLogger("inngest_lab")


class LoopThread:
    """An event loop running on its own daemon thread (module docstring)."""

    def __init__(self, name: str, on_exit: Callable[[], Coroutine[Any, Any, None]] | None = None) -> None:
        self.loop = asyncio.new_event_loop()
        self._on_exit = on_exit
        self._stopped = False
        ready = threading.Event()
        self._thread = threading.Thread(target=self._run, args=(ready,), name=name, daemon=True)
        self._thread.start()
        ready.wait()
        # Stop before the interpreter joins its executors' threads (the SQLite writer's among them): a close run
        # from ``atexit`` would come too late to use them. ``threading._register_atexit`` is the hook
        # ``concurrent.futures`` itself uses; hooks run newest first, so this one runs before theirs.
        getattr(threading, "_register_atexit")(self.stop)  # noqa: B009 - private name, no typeshed stub

    def _run(self, ready: threading.Event) -> None:
        asyncio.set_event_loop(self.loop)
        self.loop.call_soon(ready.set)
        try:
            self.loop.run_forever()
        finally:
            self.loop.run_until_complete(self.loop.shutdown_asyncgens())
            self.loop.close()

    @property
    def on_thread(self) -> bool:
        """True when the caller runs on the loop's thread."""
        return threading.get_ident() == self._thread.ident

    def submit(self, coro: Coroutine[Any, Any, T]) -> concurrent.futures.Future[T]:
        """Schedule ``coro`` on the loop from any thread; its result arrives in the returned future."""
        return asyncio.run_coroutine_threadsafe(coro, self.loop)

    def call(self, coro: Coroutine[Any, Any, T], timeout: float | None = None) -> T:
        """Run ``coro`` on the loop and block until it returns (or raise what it raised)."""
        if self.on_thread:
            coro.close()
            raise RuntimeError("a blocking Lab call on the Lab's own loop thread would deadlock: await it instead")
        return self.submit(coro).result(timeout)

    def stop(self) -> None:
        """Run ``on_exit``, stop the loop and join the thread; later calls do nothing."""
        if self._stopped:
            return
        self._stopped = True
        if self.on_thread:  # stopping from a coroutine on the loop: let it unwind, the thread ends after it
            self.loop.call_soon(self.loop.stop)
            return
        if self._on_exit is not None and self.loop.is_running():
            try:
                self.submit(self._on_exit()).result(EXIT_TIMEOUT_S)
            except Exception as exc:  # exiting anyway: say why the close did not finish
                log.warning("inngest-lab: closing the Lab at exit failed: %r", exc)
        self.loop.call_soon_threadsafe(self.loop.stop)
        self._thread.join(EXIT_TIMEOUT_S)
