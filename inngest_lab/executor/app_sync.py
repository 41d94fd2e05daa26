"""App syncing: ask SDKs to register themselves, poll them, and discover them on localhost.

A sync is what Inngest's ``deploy.Ping`` sends (protocol doc section 3.1): ``PUT <url>`` with
``X-Inngest-Server-Kind`` and body ``{"url": <url>}``, signed when the server has a signing key. The SDK
answers by calling ``POST /fn/register`` itself. Autodiscovery (section 3.4) probes well-known localhost
ports and paths with a plain ``GET`` and takes a URL that answers with an ``x-inngest-sdk`` header.

The last outcome of every URL is kept in memory (``status()``) so ``GET /dev`` can show sync errors.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from typing import Protocol

from inngest_lab.engine.model import Json
from inngest_lab.executor.http_driver import HttpDriver
from inngest_lab.executor.ports import CallResult, Clock
from inngest_lab.protocol.consts import Header, ServerKind
from inngest_lab.store.ports import Registry

log = logging.getLogger("inngest_lab.sync")

DISCOVERY_PORTS: tuple[int, ...] = (
    80, 443, *range(3000, 3011), 4321, 5000, 5173, 8000, 8080, 8081, 8888, *range(8910, 8916), 8787,
)  # fmt: skip
DISCOVERY_PATHS: tuple[str, ...] = (
    "/api/inngest", "/x/inngest", "/.netlify/functions/inngest", "/.redwood/functions/inngest",
)  # fmt: skip
SYNC_TIMEOUT_S = 30.0
PROBE_CONNECT_TIMEOUT_S = 0.25
PROBE_TIMEOUT_S = 1.0


def discovery_ports(env_port: str | None = None, exclude: Iterable[int] = ()) -> tuple[int, ...]:
    """The ports to scan: Inngest's list plus ``$PORT`` (``env_port``) when it is a port number."""
    ports = list(DISCOVERY_PORTS)
    if env_port and env_port.strip().isdigit() and 0 < int(env_port) < 65536 and int(env_port) not in ports:
        ports.append(int(env_port))
    skip = set(exclude)
    return tuple(p for p in ports if p not in skip)


class SyncEngine(Protocol):
    """What the syncer needs from the engine."""

    @property
    def store(self) -> Registry: ...

    @property
    def clock(self) -> Clock: ...

    @property
    def server_kind(self) -> ServerKind: ...


@dataclass(frozen=True, slots=True)
class SyncState:
    """The last sync attempt of one URL. ``error`` is None after a successful sync."""

    url: str
    ok: bool
    error: str | None
    at_ms: int
    discovered: bool = False


def sync_error(result: CallResult) -> str | None:
    """Why a PUT reply means the sync failed, or None when it succeeded.

    Python 0.5.19 passes a failed ``/fn/register`` reply back with status 200, so the body is checked too.
    """
    if result.transport_error is not None:
        return f"could not reach the app: {result.transport_error}"
    body = result.body
    detail = ""
    if isinstance(body, dict):
        err = body.get("error")
        if isinstance(err, str) and err:
            detail = err
        elif body.get("ok") is False:
            detail = str(body.get("message") or "registration was rejected")
        elif result.status >= 400:
            detail = str(body.get("message") or "")
    elif isinstance(body, str) and result.status >= 400:
        detail = body[:200]
    if result.status >= 400 or detail:
        return f"sync failed with status {result.status}: {detail or 'no detail'}"
    return None


class AppSyncer:
    """Syncs ``urls`` at ``start()`` and every ``poll_interval_s`` seconds (0 = only at start).

    With ``poll=False`` only URLs that have never synced or whose last sync failed are retried.
    With ``discovery=True`` (dev only) localhost is probed on each round while no app is registered.
    """

    def __init__(
        self,
        engine: SyncEngine,
        http: HttpDriver,
        *,
        urls: Sequence[str] = (),
        poll_interval_s: float = 5.0,
        poll: bool = True,
        discovery: bool = False,
        discovery_host: str = "127.0.0.1",
        ports: Sequence[int] = DISCOVERY_PORTS,
        paths: Sequence[str] = DISCOVERY_PATHS,
    ) -> None:
        self._engine = engine
        self._http = http
        self._urls: dict[str, bool] = {u: False for u in urls}  # url -> discovered
        self._states: dict[str, SyncState] = {}
        self.poll_interval_s = poll_interval_s
        self.poll = poll
        self.discovery = discovery and engine.server_kind is ServerKind.DEV
        self._host = discovery_host
        self._ports = tuple(ports)
        self._paths = tuple(paths)
        self._task: asyncio.Task[None] | None = None
        self._round = asyncio.Lock()

    # ------------------------------------------------------------ state

    @property
    def urls(self) -> list[str]:
        return list(self._urls)

    def add_url(self, url: str, *, discovered: bool = False) -> None:
        self._urls.setdefault(url, discovered)

    def remove_url(self, url: str) -> None:
        """Stop syncing ``url`` (its app was removed); discovery may find it again while it keeps serving."""
        self._urls.pop(url, None)
        self._states.pop(url, None)

    def state(self, url: str) -> SyncState | None:
        return self._states.get(url)

    def status(self) -> dict[str, Json]:
        """``{url: {url, ok, error, at_ms, discovered}}`` for every known URL that was tried."""
        return {url: asdict(s) for url, s in self._states.items()}

    # ------------------------------------------------------------ syncing

    async def sync(self, url: str) -> SyncState:
        """Send one sync request to ``url`` and record the outcome."""
        body = json.dumps({"url": url}, separators=(",", ":")).encode()
        headers = {
            Header.CONTENT_TYPE.value: "application/json",
            Header.SERVER_KIND.value: self._engine.server_kind.value,
        }
        result = await self._http.request(
            "PUT", url, body=body, headers=headers, sign_body=True, timeout_s=SYNC_TIMEOUT_S
        )
        error = sync_error(result)
        state = SyncState(url, error is None, error, self._engine.clock.now_ms(), self._urls.get(url, False))
        previous = self._states.get(url)
        self._states[url] = state
        if error and (previous is None or previous.error != error):
            log.warning("syncing %s failed: %s", url, error)
        elif not error and (previous is None or not previous.ok):
            log.info("synced %s", url)
        return state

    async def sync_all(self, urls: Iterable[str] | None = None) -> list[SyncState]:
        targets = list(self._urls if urls is None else urls)
        return list(await asyncio.gather(*(self.sync(u) for u in targets)))

    # ------------------------------------------------------------ discovery

    async def discover(self) -> list[str]:
        """Probe localhost; return SDK URLs not known before (one per port, first matching path)."""
        open_ports = [
            p
            for p, is_open in zip(
                self._ports, await asyncio.gather(*(self._port_open(p) for p in self._ports)), strict=True
            )
            if is_open
        ]
        found = await asyncio.gather(*(self._probe_port(p) for p in open_ports))
        new = [u for u in found if u is not None and u not in self._urls]
        for url in new:
            log.info("discovered an SDK at %s", url)
            self.add_url(url, discovered=True)
        return new

    async def _port_open(self, port: int) -> bool:
        # A bare TCP connect first: closed loopback ports refuse at once, so most of the scan costs nothing.
        try:
            _, writer = await asyncio.wait_for(asyncio.open_connection(self._host, port), PROBE_CONNECT_TIMEOUT_S)
        except (OSError, TimeoutError):
            return False
        writer.close()
        with contextlib.suppress(OSError):
            await writer.wait_closed()
        return True

    async def _probe_port(self, port: int) -> str | None:
        for path in self._paths:
            url = f"http://{self._host}:{port}{path}"
            result = await self._http.request(
                "GET", url, timeout_s=PROBE_TIMEOUT_S, connect_timeout_s=PROBE_CONNECT_TIMEOUT_S
            )
            if result.transport_error is None and "x-inngest-sdk" in result.headers:
                return url
        return None

    # ------------------------------------------------------------ rounds

    async def tick(self) -> list[SyncState]:
        """One round: discover (while no app exists), then sync what needs it."""
        async with self._round:
            if self.discovery and not await self._engine.store.list_apps():
                await self.discover()
            if self.poll:
                due = list(self._urls)
            else:
                due = [u for u in self._urls if (s := self._states.get(u)) is None or not s.ok]
            return await self.sync_all(due)

    async def start(self) -> None:
        """Sync once now, then keep going in the background when an interval is set."""
        await self.tick()
        if self.poll_interval_s > 0 and self._task is None:
            self._task = asyncio.create_task(self._loop(), name="inngest-lab-app-sync")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None

    async def _loop(self) -> None:
        while True:
            # Wall-clock pacing on purpose: polling talks to real processes, even under a FakeClock engine.
            await asyncio.sleep(self.poll_interval_s)
            try:
                await self.tick()
            except Exception:
                log.exception("app sync round failed")
