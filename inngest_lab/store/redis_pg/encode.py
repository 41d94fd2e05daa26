"""Engine commands as the three payloads of one ``apply.lua`` call (pure; no I/O).

* ``ops``: what Redis writes (queue, run state, pauses, flow state, operator records), in command order;
* ``outbox``: what Postgres must end up with (runs, steps, events, history), appended to the outbox
  stream by the same script, so both stores see the same commit or neither does;
* ``feed``: what live views in other processes need (run metadata, steps by id, events, history),
  published by the same script after its writes (which adds the due time of what it queued).

JSON documents (run metadata, memos, payloads) are encoded once here and travel as strings inside
the payloads, so Lua never re-encodes them and the flusher writes them to Postgres as they are.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from inngest_lab.engine.flow import concurrency
from inngest_lab.engine.model import (
    Ack,
    AppendHistory,
    ClaimSignal,
    Command,
    ConsumePause,
    CreatePause,
    DeleteFlowState,
    DeletePause,
    Dequeue,
    EmitEvent,
    Enqueue,
    ItemKind,
    Json,
    PurgeFlowState,
    PutFlowState,
    QueueItem,
    SaveRun,
    SaveStep,
    StoreEvent,
)
from inngest_lab.engine.pause_index import index_key
from inngest_lab.engine.pauses import pause_to_json
from inngest_lab.store import codec
from inngest_lab.store.ports.maintenance import throttled_start, timer_hold

Op = list[Json]


@dataclass(slots=True)
class Encoded:
    """One batch, ready for ``apply.lua``. ``checks`` are ``[kind, key, expected]`` preconditions."""

    checks: list[Op] = field(default_factory=list)
    ops: list[Op] = field(default_factory=list)
    outbox: list[Op] = field(default_factory=list)
    feed: list[Op] = field(default_factory=list)
    items: dict[str, QueueItem] = field(default_factory=dict)  # what it enqueues, by id (for hand-off leases)

    def add_check(self, kind: str, key: str, expected: Json) -> None:
        self.checks.append([kind, key, expected])


def item_text(item: QueueItem) -> str:
    """A queued item as Redis keeps it: a positional JSON array without its id (the hash field holds that).

    Half the size of ``codec.item_to_json``: every parked run keeps at least one item, so this is memory
    per run (docs/architecture/production.md). Never reorder the positions: they are persisted.
    """
    return codec.dumps(
        [
            item.run_id,
            item.fn_id,
            item.kind.value,
            item.due_at_ms,
            item.step_id,
            item.attempt,
            item.pause_id,
            item.payload,
            item.priority_ms,
            list(item.keys),
        ]
    )


def item_from_text(item_id: str, text: str) -> QueueItem:
    run_id, fn_id, kind, due, step_id, attempt, pause_id, payload, priority, keys = codec.loads(text)
    return QueueItem(
        item_id=item_id,
        run_id=run_id,
        fn_id=fn_id,
        kind=ItemKind(kind),
        due_at_ms=due,
        step_id=step_id,
        attempt=attempt,
        pause_id=pause_id,
        payload=payload,
        priority_ms=priority,
        keys=tuple(keys),
    )


def item_op(item: QueueItem) -> Op:
    """``["enq", id, item JSON, due, priority, slots(, hold)]``; slots are a JSON ``[[key, limit], ...]`` ("" for
    none); ``hold``, when present, is the flow-control reason the item holds its run back for (``StoreGauges``)."""
    slots = ""
    if item.keys and item.kind is ItemKind.CALL:
        slots = codec.dumps([[s.key, s.limit] for s in concurrency.slots(item.keys)])
    op: Op = [
        "enq",
        item.item_id,
        item_text(item),
        str(item.due_at_ms),
        str(item.priority_ms),
        slots,
    ]
    hold = timer_hold(item)
    if hold is not None:
        op.append(hold)
    return op


def encode(commands: Sequence[Command], into: Encoded | None = None) -> Encoded:
    """Encode ``commands`` (appending to ``into``). Raises ``ValueError`` on ``EmitEvent``."""
    out = into if into is not None else Encoded()
    for command in commands:
        _encode_one(command, out)
    return out


def _encode_one(command: Command, out: Encoded) -> None:
    match command:
        case SaveRun(run=run):
            meta = codec.dumps(codec.run_meta(run))
            terminal = run.status.is_terminal
            out.ops.append(["run", run.run_id, meta, "1" if terminal else "0"])
            out.outbox.append(["run", run.run_id, run.fn_id, run.status.value, run.created_at_ms, meta, terminal])
            out.feed.append(["run", meta])
        case SaveStep(run_id=run_id, step_id=step_id, memo=memo):
            memo_json = codec.dumps(memo)
            out.ops.append(["step", run_id, step_id, memo_json])
            out.outbox.append(["step", run_id, step_id, memo_json])
            out.feed.append(["step", run_id, step_id])
        case Enqueue(item=item):
            out.ops.append(item_op(item))
            out.items[item.item_id] = item
        case Ack(item_id=item_id, lease_id=lease_id):
            if lease_id is not None:
                out.add_check("lease", item_id, lease_id)
            out.ops.append(["deq", item_id])
        case Dequeue(item_id=item_id):
            out.ops.append(["deq", item_id])
        case CreatePause(pause=p):
            key = index_key(p.expression)
            sig, vals = (key.signature, key.values) if key is not None else ("", "")
            out.ops.append(["pc", p.pause_id, p.run_id, p.event_name, codec.dumps(pause_to_json(p)), sig, vals])
        case DeletePause(pause_id=pause_id):
            out.ops.append(["pd", pause_id])
        case ConsumePause(pause_id=pause_id, then=then):
            out.ops.append(["pcons", pause_id, item_op(then)])
            out.items[then.item_id] = then
        case ClaimSignal(signal=signal, pause_id=pause_id, replace=replace, on_conflict=item):
            out.ops.append(["sclaim", signal, pause_id, "1" if replace else "", item_op(item)])
            out.items[item.item_id] = item
        case StoreEvent(event=e):
            payload = codec.dumps(dict(e.payload))
            out.outbox.append(["ev", e.internal_id, e.name, e.received_at_ms, payload])
            out.feed.append(["ev", e.internal_id, e.received_at_ms, payload])
        case AppendHistory(entry=h):
            row: Op = [h.run_id, h.at_ms, h.kind.value, h.step_id, h.name, h.attempt, codec.dumps(h.data)]
            out.outbox.append(["hist", *row])
            out.feed.append(["hist", *row])
            held = throttled_start(h)
            if held is not None:  # the start item this batch enqueued earlier waits for its throttle
                for op in reversed(out.ops):
                    if op[0] == "enq" and op[1] == held and len(op) == 6:
                        op.append("throttle")
                        break
        case PutFlowState(entry=flow):
            expires = "" if flow.expires_at_ms is None else str(flow.expires_at_ms)
            out.ops.append(["fput", flow.key, codec.dumps(flow.value), expires])
        case DeleteFlowState(key=key):
            out.ops.append(["fdel", key])
        case PurgeFlowState(now_ms=now_ms):
            out.ops.append(["fpurge", str(now_ms)])
        case EmitEvent():
            raise ValueError("EmitEvent must be expanded by the executor before it reaches the store")
