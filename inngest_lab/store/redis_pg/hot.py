"""Reads of the Redis half: runs with their steps, pauses through their index, operator records, flow state.

Every read here is one pipelined round trip (two for ``pauses_matching``: the signatures in use, then the
probes), and returns typed records. Writes happen only in ``apply.lua`` (``store.py``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from redis.asyncio import Redis

from inngest_lab.engine.model import FlowEntry, Json, Pause, Run
from inngest_lab.engine.pause_index import probe
from inngest_lab.engine.pauses import pause_from_json
from inngest_lab.store import codec
from inngest_lab.store.pause_lookup import pause_order
from inngest_lab.store.redis_pg.keys import Keys, parse_run


@dataclass(frozen=True, slots=True)
class HotRun:
    """A run as Redis holds it: its state and the write version its compare-and-set checks."""

    run: Run
    version: int


@dataclass(frozen=True, slots=True)
class FlowRead:
    entry: FlowEntry | None
    version: int


class HotReads:
    def __init__(self, redis: Redis, keys: Keys) -> None:
        self._redis = redis
        self._keys = keys

    # ------------------------------------------------------------ runs

    async def runs(self, run_ids: Sequence[str], *, with_steps: bool = True) -> dict[str, HotRun]:
        """The runs Redis holds among ``run_ids`` (finished runs that reached Postgres are gone from it)."""
        if not run_ids:
            return {}
        k = self._keys
        async with self._redis.pipeline(transaction=True) as pipe:  # MULTI: record and steps of one instant
            for run_id in run_ids:
                pipe.get(k.run(run_id))
                if with_steps:
                    pipe.hgetall(k.steps(run_id))
            replies = await pipe.execute()
        found: dict[str, HotRun] = {}
        width = 2 if with_steps else 1
        for i, run_id in enumerate(run_ids):
            record = replies[i * width]
            if record is None:
                continue
            version, _, stack, meta = parse_run(record)
            if not meta:
                continue
            steps: dict[str, Json] = {}
            if with_steps:
                memos: Mapping[str, str] = replies[i * width + 1]
                steps = {step_id: codec.loads(memos[step_id]) for step_id in stack if step_id in memos}
            found[run_id] = HotRun(codec.run_from_meta(codec.loads(meta), steps, tuple(steps)), version)
        return found

    async def run_version(self, run_id: str) -> int:
        head = await self._redis.getrange(self._keys.run(run_id), 0, 20)
        return int(str(head).split("\x1f", 1)[0]) if head else 0

    # ------------------------------------------------------------ pauses

    async def _pauses(self, pause_ids: set[str]) -> list[Pause]:
        if not pause_ids:
            return []
        ids = sorted(pause_ids)
        found = await self._redis.hmget(self._keys.pauses, ids)
        pauses = [pause_from_json(codec.loads(str(text))) for text in found if text is not None]
        return sorted(pauses, key=pause_order)

    async def pauses_for_event(self, event_name: str) -> list[Pause]:
        return await self._pauses({str(m) for m in await self._redis.smembers(self._keys.pauses_of_event(event_name))})

    async def pauses_for_run(self, run_id: str) -> list[Pause]:
        return await self._pauses({str(m) for m in await self._redis.smembers(self._keys.pauses_of_run(run_id))})

    async def pause_for_signal(self, signal: str) -> Pause | None:
        holder = await self._redis.hget(self._keys.signals, signal)
        found = await self._pauses({str(holder)}) if holder is not None else []
        return found[0] if found else None

    async def pauses_matching(self, events: Sequence[Mapping[str, Json]]) -> list[list[Pause]]:
        k = self._keys
        names = [str(event.get("name")) for event in events]
        async with self._redis.pipeline(transaction=False) as pipe:
            for name in names:
                pipe.smembers(k.pauses_unindexed(name))
                pipe.hkeys(k.pause_signatures(name))
            first = await pipe.execute()
        candidates: list[set[str]] = [set(first[2 * i]) for i in range(len(events))]
        probes: list[tuple[int, str]] = []
        for i, event in enumerate(events):
            for signature in first[2 * i + 1]:
                key = probe(event, signature)
                if key is not None:
                    probes.append((i, k.pauses_indexed(names[i], signature, key.values)))
        if probes:
            async with self._redis.pipeline(transaction=False) as pipe:
                for _, set_key in probes:
                    pipe.smembers(set_key)
                for (i, _), members in zip(probes, await pipe.execute(), strict=True):
                    candidates[i].update(members)
        if not any(candidates):
            return [[] for _ in events]
        every = set().union(*candidates)
        by_id = {p.pause_id: p for p in await self._pauses(every)}
        return [sorted((by_id[p] for p in ids if p in by_id), key=pause_order) for ids in candidates]

    # ------------------------------------------------------------ flow state, operator records

    async def flow(self, keys: Sequence[str]) -> dict[str, FlowRead]:
        k = self._keys
        async with self._redis.pipeline(transaction=True) as pipe:
            for key in keys:
                pipe.hget(k.flow, key)
                pipe.hget(k.flow_expiry, key)
                pipe.hget(k.flow_versions, key)
            replies = await pipe.execute()
        out: dict[str, FlowRead] = {}
        for i, key in enumerate(keys):
            value, expires, version = replies[3 * i : 3 * i + 3]
            entry = (
                None if value is None else FlowEntry(key, codec.loads(value), None if expires is None else int(expires))
            )
            out[key] = FlowRead(entry, int(version or 0))
        return out

    async def record(self, kind: str, record_id: str) -> Json:
        raw = await self._redis.hget(self._keys.records(kind), record_id)
        return None if raw is None else codec.loads(str(raw).split("\t", 1)[1])

    async def records(self, kind: str) -> list[Json]:
        raw = await self._redis.hgetall(self._keys.records(kind))
        rows = []
        for record_id, text in raw.items():
            created, _, record = str(text).partition("\t")
            rows.append(((int(created), str(record_id)), record))
        return [codec.loads(record) for _, record in sorted(rows, reverse=True)]
