"""Admission: what an event does to a function with flow control, and what a flow timer does when due.

Pure over a :class:`FlowTxn` (state read inside the store transaction, writes collected as commands).
Order, as Inngest's scheduler checks: event-id dedupe → idempotency → rate limit → debounce | batch →
singleton → throttle; timeouts are armed for every run that is created.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import replace

from inngest_lab.engine import ids
from inngest_lab.engine.flow import batching, debounce, rate_limit, singleton, throttle
from inngest_lab.engine.flow.config import IDEMPOTENCY_PERIOD_MS, FlowConfig
from inngest_lab.engine.flow.keys import key_text, key_value, state_key
from inngest_lab.engine.flow.skip import skip_run
from inngest_lab.engine.flow.state import FlowTxn
from inngest_lab.engine.flow.timeouts import Which, on_timeout
from inngest_lab.engine.ingest import RunPlan, create_run
from inngest_lab.engine.model import (
    Ack,
    AppendHistory,
    Command,
    Dequeue,
    Enqueue,
    EventRecord,
    FunctionDef,
    HistoryEntry,
    HistoryKind,
    ItemKind,
    Json,
    QueueItem,
    Run,
)
from inngest_lab.engine.signals import CancelRequested
from inngest_lab.engine.transition import transition
from inngest_lab.protocol.consts import SkipReason

NewRunId = Callable[[], str]


def record_to_json(record: EventRecord) -> dict[str, Json]:
    return {"internal_id": record.internal_id, "payload": dict(record.payload), "received_at_ms": record.received_at_ms}


def record_from_json(raw: Mapping[str, Json]) -> EventRecord:
    return EventRecord(raw["internal_id"], raw["payload"], raw["received_at_ms"])


def user_event_id(record: EventRecord) -> str | None:
    """The id the sender chose, if any (an event sent without one gets its internal id as ``id``)."""
    event_id = record.payload.get("id")
    return event_id if isinstance(event_id, str) and event_id and event_id != record.internal_id else None


# ---------------------------------------------------------------- an event arrives


def admit_event(fn: FunctionDef, cfg: FlowConfig, record: EventRecord, txn: FlowTxn, new_run_id: NewRunId) -> None:
    """Decide what ``record`` (which matched ``fn``'s trigger) does; commands go to ``txn``."""
    now, payload = txn.now_ms, record.payload
    event_id = user_event_id(record)
    if event_id is not None:  # an event re-sent with the same id within 24h starts nothing
        seen = state_key("event-id", fn.fn_id, event_id)
        if txn.get(seen) is not None:
            return
        txn.put(seen, record.internal_id, now + IDEMPOTENCY_PERIOD_MS)
    if cfg.idempotency is not None:
        value = key_value(cfg.idempotency, payload)
        if value is not None and value is not False:  # unevaluable: no dedupe; false: none, as in Inngest
            key = state_key("idempotency", fn.fn_id, value)
            first = txn.get(key)
            if first is not None:
                detail = {"key": key_text(value), "first_event_id": first}
                txn.emit(skip_run(RunPlan(fn, (record,)), now, new_run_id(), SkipReason.IDEMPOTENCY, detail))
                return
            txn.put(key, record.internal_id, now + IDEMPOTENCY_PERIOD_MS)
    if cfg.rate_limit is not None:
        rl = cfg.rate_limit
        value = key_value(rl.key, payload)
        if value is not False:  # a key evaluating to false is not rate limited, as in Inngest
            key = state_key("rate-limit", fn.fn_id, value)
            tat = rate_limit.stored_tat(txn.get(key), rl.limit, rl.period_ms)
            decision = rate_limit.rate_limit(tat, rl.limit, rl.period_ms, now)
            if not decision.admitted:
                detail = {"key": key_text(value), "limit": rl.limit, "period_ms": rl.period_ms}
                txn.emit(skip_run(RunPlan(fn, (record,)), now, new_run_id(), SkipReason.RATE_LIMITED, detail))
                return
            txn.put(key, rate_limit.encode_tat(decision.tat), decision.expires_at_ms)
    if cfg.debounce is not None:
        _debounce(fn, cfg, record, txn)
        return
    if cfg.batch is not None and batching.batchable(cfg.batch.if_exp, payload):
        _batch(fn, cfg, record, txn, new_run_id)
        return
    start_run(fn, cfg, (record,), txn, new_run_id())


def _debounce(fn: FunctionDef, cfg: FlowConfig, record: EventRecord, txn: FlowTxn) -> None:
    assert cfg.debounce is not None
    key = state_key("debounce", fn.fn_id, key_value(cfg.debounce.key, record.payload))
    raw = txn.get(key)
    pending = debounce.Pending.from_json(raw) if raw is not None else None
    updated = debounce.debounce(
        pending, record_to_json(record), cfg.debounce.period_ms, cfg.debounce.timeout_ms, txn.now_ms
    )
    txn.put(key, updated.to_json())
    if pending is not None:
        txn.emit([Dequeue(_debounce_item_id(key, pending.generation))])
    timer = QueueItem(
        item_id=_debounce_item_id(key, updated.generation),
        run_id=key,
        fn_id=fn.fn_id,
        kind=ItemKind.DEBOUNCE,
        due_at_ms=updated.fire_at_ms,
        payload={"key": key, "generation": updated.generation},
    )
    txn.emit([Enqueue(timer)])


def _batch(fn: FunctionDef, cfg: FlowConfig, record: EventRecord, txn: FlowTxn, new_run_id: NewRunId) -> None:
    batch = cfg.batch
    assert batch is not None
    key = state_key("batch", fn.fn_id, key_value(batch.key, record.payload))
    raw = txn.get(key)
    buffer = batching.Buffer.from_json(raw) if raw is not None else None
    size = len(json.dumps(record.payload.get("data"), separators=(",", ":")))
    step = batching.add_event(
        buffer, record_to_json(record), record.internal_id, batch.max_size, batch.timeout_ms, txn.now_ms, size
    )
    if step.buffer is not None:
        txn.put(key, step.buffer.to_json())
    elif buffer is not None:
        txn.delete(key)
    if step.timer_at_ms is not None and step.buffer is not None:
        timer = QueueItem(
            item_id=_batch_item_id(key, step.buffer.batch_id),
            run_id=key,
            fn_id=fn.fn_id,
            kind=ItemKind.BATCH,
            due_at_ms=step.timer_at_ms,
            payload={"key": key, "batch_id": step.buffer.batch_id},
        )
        txn.emit([Enqueue(timer)])
    if step.ready:
        if buffer is not None:
            txn.emit([Dequeue(_batch_item_id(key, buffer.batch_id))])
        records = tuple(record_from_json(e) for e in step.ready)
        trigger = "max_size" if len(records) >= batch.max_size else "max_bytes"
        start_run(fn, cfg, records, txn, new_run_id(), why=(HistoryKind.RUN_BATCHED, {"trigger": trigger}))


def _debounce_item_id(key: str, generation: int) -> str:
    return f"{key}/debounce/{generation}"


def _batch_item_id(key: str, batch_id: str) -> str:
    return f"{key}/batch/{batch_id}"


# ---------------------------------------------------------------- a run is about to start


def start_run(
    fn: FunctionDef,
    cfg: FlowConfig,
    records: tuple[EventRecord, ...],
    txn: FlowTxn,
    run_id: str,
    *,
    why: tuple[HistoryKind, dict[str, Json]] | None = None,
) -> None:
    """Create the run for ``records`` unless its singleton is taken; throttle its start; arm its timeouts."""
    now, first = txn.now_ms, records[0].payload
    plan = RunPlan(fn, records)
    if cfg.singleton is not None:
        value = key_value(cfg.singleton.key, first)
        if singleton.applies(value):
            key = state_key("singleton", fn.fn_id, value)
            holder = txn.get(key)
            existing = txn.run(holder) if isinstance(holder, str) else None
            decision = singleton.singleton(cfg.singleton.mode, existing)
            if decision.verdict is singleton.Verdict.SKIP:
                detail = {"existing_run_id": decision.existing_run_id, "key": key_text(value)}
                txn.emit(skip_run(plan, now, run_id, SkipReason.SINGLETON, detail))
                return
            if decision.verdict is singleton.Verdict.CANCEL_AND_START and decision.existing_run_id:
                txn.emit([_cancel(decision.existing_run_id, fn.fn_id, run_id, now)])
            txn.put(key, run_id)
    commands = create_run(plan, now, run_id)
    if why is not None:
        commands.append(AppendHistory(HistoryEntry(run_id, now, why[0], data={**why[1], "size": len(records)})))
    if cfg.throttle is not None:
        commands = _throttle(fn, cfg, first, run_id, commands, txn)
    if cfg.timeouts is not None:
        for which, limit in ((Which.START, cfg.timeouts.start_ms), (Which.FINISH, cfg.timeouts.finish_ms)):
            if limit is not None:
                commands.append(Enqueue(timeout_item(run_id, fn.fn_id, which, limit, now + limit)))
    txn.emit(commands)


def _cancel(run_id: str, fn_id: str, replaced_by: str, now_ms: int) -> Enqueue:
    return Enqueue(
        QueueItem(
            item_id=ids.cancel_item_id(run_id, f"singleton/{replaced_by}"),
            run_id=run_id,
            fn_id=fn_id,
            kind=ItemKind.CANCEL,
            due_at_ms=now_ms,
            payload={"reason": f"singleton: replaced by run {replaced_by}"},
        )
    )


def _throttle(
    fn: FunctionDef, cfg: FlowConfig, first: Mapping[str, Json], run_id: str, commands: list[Command], txn: FlowTxn
) -> list[Command]:
    th = cfg.throttle
    assert th is not None
    value = key_value(th.key, first)
    key = state_key("throttle", fn.fn_id, value)
    tat = txn.get(key)
    decision = throttle.throttle(
        tat if isinstance(tat, int | float) else None, th.limit, th.period_ms, th.burst, txn.now_ms
    )
    txn.put(key, decision.tat, decision.expires_at_ms)
    if decision.start_at_ms <= txn.now_ms:
        return commands
    start_id = ids.start_item_id(run_id)
    delayed: list[Command] = [
        Enqueue(replace(c.item, due_at_ms=decision.start_at_ms))
        if isinstance(c, Enqueue) and c.item.item_id == start_id
        else c
        for c in commands
    ]
    data = {"until_ms": decision.start_at_ms, "key": key_text(value), "limit": th.limit, "period_ms": th.period_ms}
    delayed.append(AppendHistory(HistoryEntry(run_id, txn.now_ms, HistoryKind.RUN_THROTTLED, data=data)))
    return delayed


def timeout_item(run_id: str, fn_id: str, which: Which, limit_ms: int, due_at_ms: int) -> QueueItem:
    return QueueItem(
        item_id=f"{run_id}/timeout/{which.value}/{due_at_ms}",
        run_id=run_id,
        fn_id=fn_id,
        kind=ItemKind.TIMEOUT,
        due_at_ms=due_at_ms,
        payload={"which": which.value, "limit_ms": limit_ms},
    )


# ---------------------------------------------------------------- a flow timer is due


def fire_timer(item: QueueItem, fn: FunctionDef | None, cfg: FlowConfig | None, txn: FlowTxn, run_id: str) -> None:
    """A DEBOUNCE or BATCH item is due: start the run it was holding back (if still current). Acks the item."""
    txn.emit([Ack(item.item_id)])
    key = str(item.payload["key"])
    raw = txn.get(key)
    if item.kind is ItemKind.DEBOUNCE:
        pending = debounce.Pending.from_json(raw) if raw is not None else None
        if pending is None or not debounce.is_due(pending, int(item.payload["generation"])):
            return  # a later event reset the timer; its own item will fire
        txn.delete(key)
        records: tuple[EventRecord, ...] = (record_from_json(pending.event),)
        why: tuple[HistoryKind, dict[str, Json]] = (
            HistoryKind.RUN_DEBOUNCED,
            {"events": pending.count, "first_at_ms": pending.first_at_ms},
        )
    else:
        buffer = batching.Buffer.from_json(raw) if raw is not None else None
        events = batching.flush(buffer, str(item.payload["batch_id"]))
        if not events:
            return  # the batch filled up and started already
        txn.delete(key)
        records = tuple(record_from_json(e) for e in events)
        why = (HistoryKind.RUN_BATCHED, {"trigger": "timeout"})
    if fn is None or cfg is None:
        return  # the function is gone; nothing to start
    start_run(fn, cfg, records, txn, run_id, why=why)


def timeout_commands(run: Run | None, item: QueueItem, fn: FunctionDef | None, now_ms: int) -> list[Command]:
    """A TIMEOUT item is due: cancel the run if it is over its limit, re-arm the timer, or just ack."""
    which, limit = Which(item.payload["which"]), int(item.payload["limit_ms"])
    decision = on_timeout(run, which, limit, now_ms)
    if decision.cancel_reason is not None:
        return [*transition(run, item, CancelRequested(decision.cancel_reason), fn, now_ms, 0.0), Ack(item.item_id)]
    if decision.rearm_at_ms is not None:
        again = timeout_item(item.run_id, item.fn_id, which, limit, decision.rearm_at_ms)
        return [Ack(item.item_id), Enqueue(again)]
    return [Ack(item.item_id)]
