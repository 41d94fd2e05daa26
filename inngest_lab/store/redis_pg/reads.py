"""The read side of ``RedisPgStore`` (``store.py``): the process's connections and the state its reads share with its
writes (the run memo, the event index, the writes in flight), and every port method that only reads.

Reads of live state go to Redis, reads of what the API lists (events, history, finished runs) to Postgres after
the outbox barrier: everything this process committed so far has reached Postgres before it is read there.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Mapping, Sequence

from redis.asyncio import Redis

from inngest_lab.engine.model import App, Command, EventRecord, FlowEntry, FunctionDef, HistoryEntry, Json, Pause, Run
from inngest_lab.protocol.consts import RunStatus
from inngest_lab.store.feed import Feed
from inngest_lab.store.ports import StoreGauges
from inngest_lab.store.redis_pg import retention
from inngest_lab.store.redis_pg.autopipe import ScriptPipe
from inngest_lab.store.redis_pg.bus import FeedBus
from inngest_lab.store.redis_pg.config import RedisPgConfig
from inngest_lab.store.redis_pg.connect import Connections
from inngest_lab.store.redis_pg.event_runs import EventRuns
from inngest_lab.store.redis_pg.hot import HotReads
from inngest_lab.store.redis_pg.in_flight import InFlight
from inngest_lab.store.redis_pg.keys import Keys
from inngest_lab.store.redis_pg.outbox import Outbox
from inngest_lab.store.redis_pg.pg import Postgres
from inngest_lab.store.redis_pg.run_memo import RunMemo
from inngest_lab.store.redis_pg.scripts import Scripts


class RedisPgReads:
    """What a ``RedisPgStore`` reads (it is the only subclass; not used alone)."""

    def __init__(self, config: RedisPgConfig) -> None:
        self.config = config
        self.keys = Keys.for_deployment(config.deployment)
        self.owner = uuid.uuid4().hex[:12]  # this process's id in leases, locks and feed messages
        self._feed = Feed()
        self._memo = RunMemo()
        self._event_runs = EventRuns()  # serves the runs of events this process stored (event_runs.py)
        self._in_flight = InFlight()  # this process's writes in flight, which its reads wait for
        self._conn: Connections | None = None
        self._scripts: Scripts | None = None
        self._pipe_: ScriptPipe | None = None
        self._pg: Postgres | None = None
        self._hot: HotReads | None = None
        self._outbox_: Outbox | None = None
        self._bus: FeedBus | None = None

    @property
    def r(self) -> Redis:
        if self._conn is None:
            raise RuntimeError("RedisPgStore is not open")
        return self._conn.redis

    @property
    def s(self) -> Scripts:
        assert self._scripts is not None
        return self._scripts

    @property
    def pg(self) -> Postgres:
        assert self._pg is not None
        return self._pg

    @property
    def pipe(self) -> ScriptPipe:
        """Script calls through here share their loop turn's round trip (``autopipe.py``)."""
        assert self._pipe_ is not None
        return self._pipe_

    @property
    def _outbox(self) -> Outbox:
        assert self._outbox_ is not None
        return self._outbox_

    @property
    def hot(self) -> HotReads:
        assert self._hot is not None
        return self._hot

    def subscribe_changes(self, listener: Callable[[Sequence[Command]], None]) -> None:
        self._feed.subscribe_changes(listener)

    def subscribe_local_changes(self, listener: Callable[[Sequence[Command]], None]) -> None:
        self._feed.subscribe_local_changes(listener)

    async def flow_state(self, key: str) -> FlowEntry | None:
        await self._in_flight.settled(flow=True)
        return (await self.hot.flow([key]))[key].entry

    # ------------------------------------------------------------ runs and history

    @property
    def _feed_live(self) -> bool:
        """Every other process's commit since the subscription has reached this one or is on its way: what the
        memo and the event index rely on to answer without reading Redis or Postgres."""
        return self._bus is not None and self._bus.live

    def _remembered(self, run_id: str) -> Run | None:
        """The memo's state of ``run_id`` (``run_memo.py``: live, or finished moments ago), when the feed is live.

        With the feed live, other processes' commits evict memo entries as they happen; a call built in the
        moment before an eviction arrives is tolerated like any response to stale state (steps are saved once,
        and the decision on it is version-checked), so the per-step version read is skipped."""
        if not self._feed_live:
            return None
        known = self._memo.get(run_id)
        return known[0] if known is not None else self._memo.finished(run_id)

    async def load_run(self, run_id: str) -> Run | None:
        await self._in_flight.settled(run_id)
        remembered = self._remembered(run_id)
        if remembered is not None:
            return remembered
        known = self._memo.get(run_id)
        if known is not None and known[1] == await self.hot.run_version(run_id):
            return known[0]
        hot = (await self.hot.runs([run_id])).get(run_id)
        return hot.run if hot is not None else await self.pg.finished_run(run_id)

    async def list_runs(
        self,
        *,
        fn_id: str | None = None,
        status: Sequence[RunStatus] | None = None,
        event_id: str | None = None,
        since_ms: int | None = None,
        until_ms: int | None = None,
        limit: int = 100,
    ) -> list[Run]:
        if event_id is not None and fn_id is None and status is None and since_ms is None and until_ms is None:
            found = await self._runs_of_stored_event(event_id, limit)
            if found is not None:
                return found
        await self._outbox.barrier()
        rows = await self.pg.list_run_ids(
            fn_id=fn_id, status=status, event_id=event_id, since_ms=since_ms, until_ms=until_ms, limit=limit
        )
        hot = await self.hot.runs([run_id for run_id, _ in rows])  # a live run's state is Redis's
        cold = await self.pg.with_steps([row for row in rows if row[0] not in hot])
        return [hot[run_id].run if run_id in hot else cold[run_id] for run_id, _ in rows]

    async def _runs_of_stored_event(self, event_id: str, limit: int) -> list[Run] | None:
        """The runs of an event this process stored, by id (``event_runs.py``), without the outbox barrier: a run
        Redis no longer holds left it only once the outbox had written it to Postgres. None when the index cannot
        answer (the feed is not live, or the event is not held) or a run is in neither store (retention)."""
        if not self._feed_live:
            return None
        run_ids = self._event_runs.runs_of(event_id, limit)
        if run_ids is None:
            return None
        found = {run_id: run for run_id in run_ids if (run := self._remembered(run_id)) is not None}
        for read in (self._hot_runs, self.pg.finished_runs):
            missing = [run_id for run_id in run_ids if run_id not in found]
            if not missing:
                break
            found |= await read(missing)
        if len(found) < len(run_ids):
            return None
        return [found[run_id] for run_id in run_ids]

    async def _hot_runs(self, run_ids: Sequence[str]) -> dict[str, Run]:
        return {run_id: hot.run for run_id, hot in (await self.hot.runs(run_ids)).items()}

    async def history(self, run_id: str) -> list[HistoryEntry]:
        await self._outbox.barrier()
        return await self.pg.history(run_id)

    # ------------------------------------------------------------ events and pauses

    async def get_event(self, internal_id: str) -> EventRecord | None:
        await self._outbox.barrier()
        return await self.pg.get_event(internal_id)

    async def list_events(
        self,
        *,
        name: str | None = None,
        since_ms: int | None = None,
        until_ms: int | None = None,
        limit: int = 20,
        before_id: str | None = None,
    ) -> list[EventRecord]:
        await self._outbox.barrier()
        return await self.pg.list_events(
            name=name, since_ms=since_ms, until_ms=until_ms, limit=limit, before_id=before_id
        )

    async def pauses_for_event(self, event_name: str) -> list[Pause]:
        await self._in_flight.settled(pauses=True)
        return await self.hot.pauses_for_event(event_name)

    async def pauses_matching(self, events: Sequence[Mapping[str, Json]]) -> list[list[Pause]]:
        await self._in_flight.settled(pauses=True)
        return await self.hot.pauses_matching(events)

    async def pauses_for_run(self, run_id: str) -> list[Pause]:
        await self._in_flight.settled(pauses=True)
        return await self.hot.pauses_for_run(run_id)

    async def pause_for_signal(self, signal: str) -> Pause | None:
        await self._in_flight.settled(pauses=True)
        return await self.hot.pause_for_signal(signal)

    # ------------------------------------------------------------ registry (Postgres)

    async def list_apps(self) -> list[App]:
        return await self.pg.list_apps()

    async def list_functions(self) -> list[FunctionDef]:
        return await self.pg.list_functions()

    async def get_function(self, fn_id: str) -> FunctionDef | None:
        return await self.pg.get_function(fn_id)

    # ------------------------------------------------------------ operator records, queue depth, gauges

    async def get_record(self, kind: str, record_id: str) -> Json:
        return await self.hot.record(kind, record_id)

    async def list_records(self, kind: str) -> list[Json]:
        return await self.hot.records(kind)

    def subscribe(self, wake: Callable[[], None]) -> None:
        self._feed.subscribe(wake)

    async def depth(self) -> int:
        return int(await self.r.hlen(self.keys.items))

    async def gauges(self, now_ms: int) -> StoreGauges:
        return await retention.gauges(self.r, self.keys)

    async def claim_reporter(self, owner: str, now_ms: int, ttl_ms: int = 60_000) -> bool:
        return await retention.claim_reporter(self.r, self.keys, owner, ttl_ms)
