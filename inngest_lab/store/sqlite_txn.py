"""SQLite statements that run inside the writer's open transaction (the ``_x_txn`` half of each pair).

Everything here runs on the writer thread (see ``sqlite_writer``). ``SqliteTxn`` keeps the ``seq``
counters that order steps, queue items and history; they are loaded from the file at open, and a
rolled-back caller only leaves gaps, never reorders anything.

Decoded runs are cached (``run_cache``); ``run_op`` wraps each caller so a rolled-back caller
evicts the runs it touched.

Writes report what they did to the in-memory queue index through ``Effects``; the adapter replays
those on the event loop after COMMIT, so the index never shows an uncommitted item.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any, TypeVar

from inngest_lab.engine.model import (
    Ack,
    App,
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
    FlowEntry,
    FunctionDef,
    Json,
    Pause,
    PurgeFlowState,
    PutFlowState,
    QueueItem,
    Run,
    SaveRun,
    SaveStep,
    StoreEvent,
)
from inngest_lab.engine.pause_index import index_key
from inngest_lab.engine.pauses import pause_to_json
from inngest_lab.store import codec
from inngest_lab.store.committed import PauseChanged, RunChanged
from inngest_lab.store.memory import reject_emit
from inngest_lab.store.ports import Decide, FlowDecide
from inngest_lab.store.run_cache import RunCache, estimate_bytes

T = TypeVar("T")


@dataclass(slots=True)
class Effects:
    """What one committed caller changed, for post-commit bookkeeping on the event loop.

    ``queue_ops`` is ordered: a ``QueueItem`` was added to the queue, a ``str`` item id was removed.
    ``runs`` and ``pauses`` feed the store's ``CommittedViews``.
    """

    commands: Sequence[Command] = ()
    queue_ops: list[QueueItem | str] = field(default_factory=list)
    result: Any = None
    runs: list[RunChanged] = field(default_factory=list)
    pauses: list[PauseChanged] = field(default_factory=list)


class SqliteTxn:
    """Statement helpers bound to the writer's connection. Use only on the writer thread."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn
        self.cache = RunCache()
        self._touched: set[str] = set()  # runs the current caller read or wrote
        self._written: set[str] = set()  # runs the current caller wrote
        self._step_seq = self._max_seq("steps")
        self._queue_seq = self._max_seq("queue")
        self._history_seq = self._max_seq("history")

    def _max_seq(self, table: str) -> int:
        row = self.conn.execute(f"SELECT COALESCE(MAX(seq), 0) FROM {table}").fetchone()  # noqa: S608 - fixed names
        return int(row[0])

    def run_op(self, fn: Callable[[SqliteTxn], T]) -> T:
        """Run one caller's work; if it raises, its savepoint is rolled back, so forget what it touched.

        A caller that returns ``Effects`` gets the state of every run it wrote attached (``Effects.runs``; None
        when the cache does not hold it, e.g. once finished), and every run the cache dropped since the last
        caller, with None.
        """
        self._touched.clear()
        self._written.clear()
        try:
            result = fn(self)
        except BaseException:
            self.cache.evict(self._touched)
            raise
        if isinstance(result, Effects) and (self._written or self.cache.dropped):
            # runs the cache let go (budget) leave the committed views too, so those never keep them alive
            dropped = [RunChanged(run_id, None) for run_id in self.cache.dropped]
            self.cache.dropped.clear()
            result.runs = [*dropped, *(RunChanged(run_id, self.cache.get(run_id)) for run_id in self._written)]
        return result

    def forget_runs(self, run_ids: Sequence[str]) -> None:
        """Runs the current caller deleted (retention): out of the cache, and out of the committed views."""
        self.cache.evict(run_ids)
        self._written.update(run_ids)

    # ------------------------------------------------------------ runs

    def load_run(self, run_id: str) -> Run | None:
        self._touched.add(run_id)
        cached = self.cache.get(run_id)
        if cached is not None:
            return cached
        row = self.conn.execute("SELECT run_json FROM runs WHERE run_id = ?", (run_id,)).fetchone()
        if row is None:
            return None
        rows = self.conn.execute(
            "SELECT step_id, memo_json FROM steps WHERE run_id = ? ORDER BY seq", (run_id,)
        ).fetchall()
        steps: dict[str, Json] = {step_id: codec.loads(memo) for step_id, memo in rows}
        run = codec.run_from_meta(codec.loads(row[0]), steps, tuple(steps))
        self.cache.put(run, dict(steps), estimate_bytes(row[0]) + sum(estimate_bytes(memo) for _, memo in rows))
        return run

    def transact(self, run_id: str, decide: Decide) -> Effects:
        commands = list(decide(self.load_run(run_id)))
        effects = self.apply(commands)
        effects.result = commands
        return effects

    def transact_flow(self, decide: FlowDecide) -> Effects:
        commands = list(decide(self))
        effects = self.apply(commands)
        effects.result = commands
        return effects

    def flow_state(self, key: str) -> FlowEntry | None:
        """``FlowView``: read inside the open transaction, so earlier callers' writes show."""
        row = self.conn.execute("SELECT value_json, expires_at_ms FROM flow_state WHERE key = ?", (key,)).fetchone()
        return None if row is None else FlowEntry(key, codec.loads(row[0]), row[1])

    def run(self, run_id: str) -> Run | None:
        """``FlowView``: the run as committed so far."""
        return self.load_run(run_id)

    # ------------------------------------------------------------ commands

    def apply(self, commands: Sequence[Command]) -> Effects:
        reject_emit(commands)
        effects = Effects(commands=commands)
        for command in commands:
            self._apply_one(command, effects)
        return effects

    def _apply_one(self, command: Command, effects: Effects) -> None:
        execute = self.conn.execute
        match command:
            case SaveRun(run=run):
                self._save_run(run)
            case SaveStep(run_id=run_id, step_id=step_id, memo=memo):
                self._step_seq += 1
                self._touched.add(run_id)
                self._written.add(run_id)
                memo_json = codec.dumps(memo)
                # OR IGNORE: the first save of a step id wins, so the stack never holds it twice
                execute(
                    "INSERT OR IGNORE INTO steps (run_id, step_id, seq, memo_json) VALUES (?, ?, ?, ?)",
                    (run_id, step_id, self._step_seq, memo_json),
                )
                self.cache.save_step(run_id, step_id, memo, estimate_bytes(memo_json))
            case Enqueue(item=item):
                self._enqueue(item, effects)
            case Dequeue(item_id=item_id) | Ack(item_id=item_id):
                execute("DELETE FROM queue WHERE item_id = ?", (item_id,))
                effects.queue_ops.append(item_id)
            case CreatePause(pause=p):
                self._create_pause(p, effects)
            case DeletePause(pause_id=pause_id):
                self._delete_pause(pause_id, effects)
            case ConsumePause(pause_id=pause_id, then=then):
                # Exactly-once resumption: only the caller whose DELETE hit the row enqueues
                if self._delete_pause(pause_id, effects):
                    self._enqueue(then, effects)
            case ClaimSignal(signal=signal, pause_id=pause_id, replace=replace_holder, on_conflict=item):
                holder = execute("SELECT pause_id FROM signals WHERE signal = ?", (signal,)).fetchone()
                if holder is not None and holder[0] != pause_id and not replace_holder:
                    self._enqueue(item, effects)
                else:
                    execute("DELETE FROM signals WHERE signal = ? OR pause_id = ?", (signal, pause_id))
                    execute("INSERT INTO signals (signal, pause_id) VALUES (?, ?)", (signal, pause_id))
            case StoreEvent(event=e):
                execute(
                    "INSERT OR IGNORE INTO events (internal_id, name, received_at_ms, payload_json)"
                    " VALUES (?, ?, ?, ?)",
                    (e.internal_id, e.name, e.received_at_ms, codec.dumps(dict(e.payload))),
                )
            case AppendHistory(entry=h):
                self._history_seq += 1
                execute(
                    "INSERT INTO history (seq, run_id, at_ms, kind, step_id, name, attempt, data_json)"
                    " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                    (
                        self._history_seq,
                        h.run_id,
                        h.at_ms,
                        h.kind.value,
                        h.step_id,
                        h.name,
                        h.attempt,
                        codec.dumps(h.data),
                    ),
                )
            case PutFlowState(entry=flow):
                execute(
                    "INSERT OR REPLACE INTO flow_state (key, value_json, expires_at_ms) VALUES (?, ?, ?)",
                    (flow.key, codec.dumps(flow.value), flow.expires_at_ms),
                )
            case DeleteFlowState(key=key):
                execute("DELETE FROM flow_state WHERE key = ?", (key,))
            case PurgeFlowState(now_ms=now_ms):
                execute("DELETE FROM flow_state WHERE expires_at_ms <= ?", (now_ms,))
            case EmitEvent():  # pragma: no cover - rejected by reject_emit
                raise ValueError("EmitEvent reached the store")

    def _create_pause(self, p: Pause, effects: Effects) -> None:
        key = index_key(p.expression)
        signature, values = (key.signature, key.values) if key is not None else (None, None)
        inserted = self.conn.execute(
            "INSERT OR IGNORE INTO pauses"
            " (pause_id, run_id, event_name, created_at_ms, pause_json, index_signature, index_values)"
            " VALUES (?, ?, ?, ?, ?, ?, ?)",
            (p.pause_id, p.run_id, p.event_name, p.created_at_ms, codec.dumps(pause_to_json(p)), signature, values),
        ).rowcount
        if inserted != 1:
            return
        effects.pauses.append(PauseChanged(p.event_name, p.run_id, 1))
        if signature is not None:
            self.conn.execute(
                "INSERT INTO pause_signatures (event_name, signature, pauses) VALUES (?, ?, 1)"
                " ON CONFLICT (event_name, signature) DO UPDATE SET pauses = pauses + 1",
                (p.event_name, signature),
            )

    def _delete_pause(self, pause_id: str, effects: Effects) -> bool:
        deleted = self.conn.execute(
            "DELETE FROM pauses WHERE pause_id = ? RETURNING event_name, run_id, index_signature", (pause_id,)
        ).fetchall()
        if deleted:
            self.conn.execute("DELETE FROM signals WHERE pause_id = ?", (pause_id,))
        for event_name, run_id, signature in deleted:
            effects.pauses.append(PauseChanged(event_name, run_id, -1))
            if signature is not None:
                # rows left at 0 stay: a signature set per event name stays tiny, and they are skipped on reads
                self.conn.execute(
                    "UPDATE pause_signatures SET pauses = pauses - 1 WHERE event_name = ? AND signature = ?",
                    (event_name, signature),
                )
        return bool(deleted)

    def _save_run(self, run: Run) -> None:
        self._touched.add(run.run_id)
        self._written.add(run.run_id)
        known_event_ids = self.cache.event_ids(run.run_id)
        self.cache.save_run(run)
        self.conn.execute(
            "INSERT INTO runs (run_id, fn_id, status, created_at_ms, run_json) VALUES (?, ?, ?, ?, ?)"
            " ON CONFLICT (run_id) DO UPDATE SET fn_id = excluded.fn_id, status = excluded.status,"
            " created_at_ms = excluded.created_at_ms, run_json = excluded.run_json",
            (run.run_id, run.fn_id, run.status.value, run.created_at_ms, codec.dumps(codec.run_meta(run))),
        )
        if known_event_ids == run.event_ids:
            return  # already indexed when the run was first saved
        for event_id in run.event_ids:
            self.conn.execute(
                "INSERT OR IGNORE INTO run_events (event_id, run_id) VALUES (?, ?)", (event_id, run.run_id)
            )

    def _enqueue(self, item: QueueItem, effects: Effects) -> None:
        self._queue_seq += 1
        inserted = self.conn.execute(
            "INSERT OR IGNORE INTO queue (item_id, seq, run_id, due_at_ms, item_json) VALUES (?, ?, ?, ?, ?)",
            (item.item_id, self._queue_seq, item.run_id, item.due_at_ms, codec.dumps(codec.item_to_json(item))),
        ).rowcount
        if inserted == 1:  # enqueue is idempotent: an existing item id is left alone
            effects.queue_ops.append(item)

    def reschedule(self, item: QueueItem) -> Effects:
        """Persist a released item's new due time (leases are memory-only; the due time is not)."""
        self.conn.execute(
            "UPDATE queue SET due_at_ms = ?, item_json = ? WHERE item_id = ?",
            (item.due_at_ms, codec.dumps(codec.item_to_json(item)), item.item_id),
        )
        return Effects()

    def pause_keys(self) -> list[tuple[str, str]]:
        """``(event_name, run_id)`` of every stored pause."""
        return [(str(name), str(run_id)) for name, run_id in self.conn.execute("SELECT event_name, run_id FROM pauses")]

    def queued_items(self) -> list[QueueItem]:
        """Every queue row in insertion order, with its persisted due time."""
        rows = self.conn.execute("SELECT item_json, due_at_ms FROM queue ORDER BY seq")
        items = []
        for item_json, due_at_ms in rows:
            item = codec.item_from_json(codec.loads(item_json))
            items.append(replace(item, due_at_ms=due_at_ms))
        return items

    # ------------------------------------------------------------ registry

    def upsert_app(self, app: App, functions: Sequence[FunctionDef]) -> Effects:
        checksum = codec.registry_checksum(app, functions)
        row = self.conn.execute("SELECT checksum FROM apps WHERE app_id = ?", (app.app_id,)).fetchone()
        self.conn.execute(
            "INSERT INTO apps (app_id, checksum, synced_at_ms, app_json) VALUES (?, ?, ?, ?)"
            " ON CONFLICT (app_id) DO UPDATE SET checksum = excluded.checksum,"
            " synced_at_ms = excluded.synced_at_ms, app_json = excluded.app_json",
            (app.app_id, checksum, app.synced_at_ms, codec.dumps(codec.app_to_json(app))),
        )
        # Functions missing from this sync are gone: replace the app's set wholesale
        self.conn.execute("DELETE FROM functions WHERE app_id = ?", (app.app_id,))
        self.conn.executemany(
            "INSERT OR REPLACE INTO functions (fn_id, app_id, fn_json) VALUES (?, ?, ?)",
            [(f.fn_id, f.app_id, codec.dumps(codec.function_to_json(f))) for f in functions],
        )
        return Effects(result=row is None or row[0] != checksum)

    def delete_app(self, app_id: str) -> Effects:
        self.conn.execute("DELETE FROM apps WHERE app_id = ?", (app_id,))
        self.conn.execute("DELETE FROM functions WHERE app_id = ?", (app_id,))
        return Effects()
