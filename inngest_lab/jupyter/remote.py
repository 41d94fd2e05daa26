"""``AttachedLab``: ``Lab()`` in a kernel whose Jupyter server hosts the engine (see ``attach``).

It serves the notebook's functions over HTTP on loopback (the SDK's Tornado adapter) and registers
them with the hosted engine, so the Inngest Lab sidebar sees them; events, runs and history go
through the server's REST API (authenticated with the server's token). It implements the same
notebook API as the embedded ``Lab`` and the ``WorkbenchSource`` port, so every widget works
unchanged: the server's live stream feeds a ``LiveHub`` exactly as the store's change feed does.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import time
import urllib.parse
from collections.abc import Mapping, Sequence
from datetime import timedelta
from typing import Any, Self

import aiohttp
import tornado.web
from tornado.httpserver import HTTPServer
from tornado.netutil import bind_sockets
from yarl import URL

from inngest_lab.engine.model import AppendHistory, EventRecord, FunctionDef, HistoryEntry, Json, Run, SaveRun
from inngest_lab.jupyter.attach import JupyterServer
from inngest_lab.jupyter.remote_realtime import follow_run, remote_send_signal
from inngest_lab.lab_base import LabBase, RunQuery
from inngest_lab.protocol.consts import INTERNAL_DATA_KEY, Header, InternalEvent
from inngest_lab.protocol.events import normalize_events
from inngest_lab.sdk.client import Inngest
from inngest_lab.sdk.function import Function
from inngest_lab.sdk.tornado import serve as tornado_serve
from inngest_lab.sdk.transport import event_id_seed
from inngest_lab.server.events_api import seeded_ids
from inngest_lab.server.realtime_broker import Subscription
from inngest_lab.server.shapes import parse_time_ms
from inngest_lab.server.state_api import function_from_state_json, history_from_json, run_from_state_json
from inngest_lab.workbench import source as _source
from inngest_lab.workbench.live import RunListener, Unsubscribe

RECONNECT_S = 1.0


class RemoteError(RuntimeError):
    """The hosting server answered with an error (its JSON ``error`` message is the text)."""


class AttachedLab(LabBase):
    """The notebook API of ``Lab``, on the engine a Jupyter server hosts (module docstring)."""

    def __init__(self, server: JupyterServer) -> None:
        self.server = server
        self._init_base(asyncio.get_running_loop())
        self._generation = 0
        self._app = tornado.web.Application()
        sockets = bind_sockets(0, "127.0.0.1")
        self._http = HTTPServer(self._app)
        self._http.add_sockets(sockets)
        self.serve_origin = f"http://127.0.0.1:{sockets[0].getsockname()[1]}"
        self._session: aiohttp.ClientSession | None = None
        self._stream: asyncio.Task[None] | None = None
        self._history_seen: dict[str, int] = {}
        _source.set_current(self)

    # ------------------------------------------------------------ identity

    @property
    def mode(self) -> str:
        return (
            f"attached to the engine hosted by this Jupyter server ({self.server.api_url}), system clock; "
            f"functions are served from this kernel at {self.serve_origin} and show in the Inngest Lab sidebar"
        )

    @property
    def fake_clock(self) -> bool:
        return False

    def now_ms(self) -> int:
        return int(time.time() * 1000)

    def __repr__(self) -> str:
        return f"<Lab {self.mode}, {len(self.functions())} functions>"

    # ------------------------------------------------------------ lifecycle and scheduling

    async def start(self) -> Self:
        return self

    async def close(self) -> None:
        await self._settle()
        if self._stream is not None:
            self._stream.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._stream
        self._http.stop()
        if self._session is not None:
            await self._session.close()

    # ------------------------------------------------------------ HTTP to the hosting server

    async def _call(self, method: str, path: str, body: Json = None, headers: Mapping[str, str] | None = None) -> Any:
        if self._session is None:
            self._session = aiohttp.ClientSession(headers=self.server.headers)
        data = None if body is None else json.dumps(body)
        hdrs = {"Content-Type": "application/json", **(headers or {})}
        url = URL(self.server.api_url + path, encoded=True)  # the server's URL is already encoded
        async with self._session.request(method, url, data=data, headers=hdrs) as reply:
            text = await reply.text()
            try:
                parsed = json.loads(text) if text else None
            except ValueError:
                parsed = None
            if reply.status >= 400 or (text and parsed is None):
                message = parsed.get("error", text) if isinstance(parsed, dict) else text[:200]
                raise RemoteError(f"{method} {path}: {reply.status} {message}")
            return parsed

    async def _data(self, path: str) -> Any:
        return (await self._call("GET", path))["data"]

    async def send_signal(self, signal: str, data: Json = None) -> str | None:
        """``Lab.send_signal`` through the hosting server's ``POST /v1/signals``: the run id, or None (404)."""
        return await remote_send_signal(self._call, signal, data)

    async def realtime(self, run_id: str) -> Subscription:
        """Follow ``run_id``'s realtime messages from now on, as ``Lab.realtime(run_id)`` does."""
        if self._session is None:
            self._session = aiohttp.ClientSession(headers=self.server.headers)
        return await follow_run(self._session, self.server.api_url, run_id)

    async def publish_realtime(self, channel: str, topic: str, data: Any, run_id: str | None) -> None:
        """A served function's realtime publish goes to the hosting engine's ``/v1/realtime/publish``."""
        query = {"channel": channel, "topic": topic} | ({"run_id": run_id} if run_id else {})
        await self._call("POST", "v1/realtime/publish?" + urllib.parse.urlencode(query), data)

    # ------------------------------------------------------------ functions

    def _mount(self, client: Inngest, functions: list[Function[Any]]) -> dict[str, Json]:
        """Serve ``functions`` from this kernel's loopback HTTP server."""
        self._generation += 1
        # A fresh path per generation: a re-run cell's functions replace the old ones, whose handler goes idle.
        path = f"/api/inngest/{client.app_id}/{self._generation}"
        comm = tornado_serve(self._app, client, functions, serve_path=path)
        return comm.registration(self.serve_origin + path)

    async def _register(self, body: dict[str, Json]) -> None:
        await self._call("POST", "fn/register", body)

    def functions(self) -> list[str]:
        """Ids of the functions this kernel serves (what ``serve`` scheduled counts as registered)."""
        return sorted(fn for fns in self._served.values() for fn in fns)

    async def function_defs(self) -> list[FunctionDef]:
        await self._settle()
        return [function_from_state_json(f) for f in await self._data("lab/state/functions")]

    async def invoke(self, fn_id: str, data: Mapping[str, Json] | None = None) -> str:
        """Start ``fn_id`` with ``data`` (an ``inngest/function.invoked`` event); returns that event's id."""
        if fn_id not in {f.fn_id for f in await self.function_defs()}:
            raise KeyError(f"no function {fn_id!r} is registered")
        payload = {**(data or {}), INTERNAL_DATA_KEY: {"fn_id": fn_id}}
        [event_id] = await self.send_async([{"name": InternalEvent.FUNCTION_INVOKED.value, "data": payload}])
        return event_id

    # ------------------------------------------------------------ events

    def send(self, events: Mapping[str, Json] | Sequence[Mapping[str, Json]]) -> list[str]:
        """Send events; returns their ids at once (the server derives the same ids from the request's seed)."""
        batch = [events] if isinstance(events, Mapping) else list(events)
        normalize_events(batch, self.now_ms(), lambda i: "")  # bad input fails here, in the cell
        seed, ids = self._seed(len(batch))
        self._schedule(self._post_events(batch, seed))
        return ids

    def send_threadsafe(self, events: Sequence[Mapping[str, Json]]) -> list[str]:
        """``send`` from any thread: ids are picked here, the request goes out on the Lab's loop."""
        batch = list(events)
        normalize_events(batch, self.now_ms(), lambda i: "")
        seed, ids = self._seed(len(batch))
        self._hand_over(lambda: self._post_events(batch, seed))
        return ids

    async def replay(self, event_id: str) -> str:
        """Send stored event ``event_id`` again as a new event (new id); return the new event's id."""
        await self._settle()
        return str((await self._call("POST", f"v1/events/{event_id}/replay"))["data"]["id"])

    async def send_async(self, events: Sequence[Mapping[str, Json]]) -> list[str]:
        await self._settle()
        seed, _ = self._seed(len(events))
        return await self._post_events(list(events), seed)

    def _seed(self, count: int) -> tuple[str, list[str]]:
        """An ``X-Inngest-Event-Id-Seed`` and the event ids the server will derive from it."""
        seed = event_id_seed()
        new_id = seeded_ids(seed, 0)
        return seed, [new_id(i) for i in range(count)]

    async def _post_events(self, events: list[Mapping[str, Json]], seed: str) -> list[str]:
        reply = await self._call("POST", "e/jupyter", list(events), {Header.EVENT_ID_SEED: seed})
        return list(reply["ids"])

    async def event(self, event_id: str) -> EventRecord | None:
        await self._settle()
        try:
            e = await self._data(f"v1/events/{event_id}")
        except RemoteError:
            return None
        payload = {k: e[k] for k in ("id", "name", "data", "user", "ts", "v") if k in e}
        return EventRecord(e["internal_id"], payload, parse_time_ms(e["received_at"]))

    # ------------------------------------------------------------ runs

    async def _list_runs(self, q: RunQuery) -> list[Run]:
        query = [("limit", str(q.limit))] + [("status", s.value) for s in q.status or []]
        query += [(k, v) for k, v in (("function_id", q.fn_id), ("event_id", q.event_id)) if v]
        if q.since_ms is not None:
            query.append(("since_ms", str(q.since_ms)))
        path = "lab/state/runs?" + "&".join(f"{k}={v}" for k, v in query)
        return [run_from_state_json(r) for r in await self._data(path)]

    async def _state(self, run_id: str) -> tuple[Run, list[HistoryEntry]] | None:
        try:
            state = await self._data(f"lab/runs/{run_id}/state")
        except RemoteError:
            return None
        return run_from_state_json(state["run"]), [history_from_json(h) for h in state["history"]]

    async def run(self, run_id: str) -> Run | None:
        await self._settle()
        state = await self._state(run_id)
        return state[0] if state else None

    async def history(self, run_id: str) -> list[HistoryEntry]:
        await self._settle()
        state = await self._state(run_id)
        entries = state[1] if state else []
        # A view that read these entries gets only later ones from the live stream (see _refresh_run).
        self._history_seen[run_id] = max(self._history_seen.get(run_id, 0), len(entries))
        return entries

    async def wait(self, target: str, timeout: float = 30.0) -> list[Run]:
        """Wait for the runs an event triggered (``target`` = event id), or for one run (run id)."""
        await self._settle()
        if await self._state(target) is not None:
            return [await self._wait_run(target, timeout)]
        runs = await self.runs(event_id=target)
        return [await self._wait_run(r.run_id, timeout) for r in reversed(runs)]

    async def _wait_run(self, run_id: str, timeout: float) -> Run:
        """Until the run ends: woken by the live stream, re-checked every second in case it is down."""
        ended = asyncio.Event()
        unsubscribe = self.watch(
            run_id, lambda change: ended.set() if change.run and change.run.status.is_terminal else None
        )
        try:
            async with asyncio.timeout(timeout):
                while True:
                    run = await self.run(run_id)
                    if run is not None and run.status.is_terminal:
                        return run
                    with contextlib.suppress(TimeoutError):
                        await asyncio.wait_for(ended.wait(), 1.0)
        finally:
            unsubscribe()

    async def cancel(self, run_id: str) -> bool:
        await self._settle()
        try:
            await self._call("POST", f"lab/runs/{run_id}/cancel")
        except RemoteError:
            return False
        return True

    async def rerun(self, run_id: str, *, from_step: str | None = None, input: list[Any] | None = None) -> str:
        """Start a new run of ``run_id``'s function with the same events (optionally from a step); its id."""
        await self._settle()
        body: dict[str, Json] = {}
        if from_step is not None:
            body["fromStep"] = {"stepId": from_step, **({"input": input} if input is not None else {})}
        reply = await self._call("POST", f"v2/runs/{run_id}/rerun", body)
        return str(reply["data"]["runId"])

    async def idle(self, timeout: float = 30.0) -> None:
        """Wait until what this Lab sent is stored (the hosted engine's queue is not this kernel's to wait on)."""
        await asyncio.wait_for(self._settle(), timeout)

    async def advance(self, delta: timedelta | None = None, **kwargs: float) -> None:
        raise RuntimeError("advance() needs Lab(fake_clock=True), which embeds its own engine in this kernel")

    # ------------------------------------------------------------ live views (WorkbenchSource)

    def watch(self, run_id: str | None, listener: RunListener) -> Unsubscribe:
        self._ensure_stream()
        return super().watch(run_id, listener)

    def _ensure_stream(self) -> None:
        if self._stream is None or self._stream.done():
            self._stream = self._running_loop.create_task(self._follow(), name="inngest-lab-attach-live")

    async def _follow(self) -> None:
        """Read the server's live stream for as long as this Lab lives; reconnect when it drops."""
        while True:
            with contextlib.suppress(aiohttp.ClientError, RemoteError, ValueError):
                await self._read_stream()
            await asyncio.sleep(RECONNECT_S)

    async def _read_stream(self) -> None:
        if self._session is None:
            self._session = aiohttp.ClientSession(headers=self.server.headers)
        url = URL(self.server.api_url + "lab/live", encoded=True)
        async with self._session.get(url, timeout=aiohttp.ClientTimeout(total=None)) as r:
            if r.status != 200:
                raise RemoteError(f"live stream: {r.status}")
            async for line in r.content:
                if line.startswith(b"data: "):
                    for notice in json.loads(line[6:]):
                        if notice.get("type") == "run":
                            await self._refresh_run(str(notice["run_id"]))

    async def _refresh_run(self, run_id: str) -> None:
        """Hand the run's new state and history entries to the hub, as the store's change feed would."""
        if not (self.live.watchers(run_id) or self.live.watchers(None)):
            return
        state = await self._state(run_id)
        if state is None:
            return
        run, history = state
        seen = self._history_seen.get(run_id, 0)
        self._history_seen[run_id] = max(seen, len(history))
        self.live.on_commit([SaveRun(run), *(AppendHistory(e) for e in history[seen:])])
