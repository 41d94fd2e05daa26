"""The shell around the operator decisions (``engine/operations.py``, ``engine/bulk_cancel.py``): pause and resume
functions, bulk-cancel runs, rerun runs, replay events. Used by ``Engine``, ``Lab`` and the REST API alike.

Paused functions are kept in memory (loaded from the store at start) because every incoming event consults them;
a pause made by another process on the same database takes effect here at the next start.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ulid import ULID

from inngest_lab.engine import bulk_cancel, operations
from inngest_lab.engine.bulk_cancel import Cancellation, Cursor
from inngest_lab.engine.ingest import RunPlan
from inngest_lab.engine.model import Ack, Command, Enqueue, EventRecord, FunctionDef, QueueItem
from inngest_lab.engine.operations import FromStep, NotFoundError, OperationError

if TYPE_CHECKING:
    from inngest_lab.executor.engine import Engine


@dataclass(frozen=True, slots=True)
class PauseState:
    function_id: str
    paused_at_ms: int | None

    @property
    def paused(self) -> bool:
        return self.paused_at_ms is not None


class Operations:
    """Operator actions on one engine (see module docstring)."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        self._paused: dict[str, int] = {}

    async def load(self) -> None:
        """Read the paused functions from the store (on every engine start)."""
        records = await self._engine.store.list_records(operations.PAUSE_KIND)
        self._paused = {str(r["function_id"]): int(r["paused_at_ms"]) for r in records}

    # ------------------------------------------------------------ pause / resume

    def is_paused(self, fn_id: str) -> bool:
        return fn_id in self._paused

    def skip_paused(self, plans: Sequence[RunPlan], now_ms: int) -> tuple[list[RunPlan], list[Command]]:
        """Runs to start, and Skipped records for the plans whose function is paused."""
        return operations.skip_paused(plans, self._paused, now_ms, lambda: str(ULID()))

    async def pause_state(self, fn_id: str) -> PauseState:
        self._function(fn_id)
        return PauseState(fn_id, self._paused.get(fn_id))

    async def pause(self, fn_id: str, *, cancel_running: bool = False) -> PauseState:
        """Pause ``fn_id`` (idempotent: pausing again keeps the first pause time). ``cancel_running`` also
        bulk-cancels every run of the function that has not ended."""
        fn = self._function(fn_id)
        now = self._engine.clock.now_ms()
        if fn_id not in self._paused:
            await self._engine.store.put_record(operations.PAUSE_KIND, fn_id, now, operations.pause_record(fn_id, now))
            self._paused[fn_id] = now
        if cancel_running:
            await self.create_cancellation(
                app_id=fn.app_id, function_id=_local_id(fn), started_before_ms=now + 1, now_ms=now + 1
            )
        return PauseState(fn_id, self._paused[fn_id])

    async def resume(self, fn_id: str) -> PauseState:
        """Resume ``fn_id``: events start runs again and its crons fire from their next tick (idempotent)."""
        self._function(fn_id)
        await self._engine.store.delete_record(operations.PAUSE_KIND, fn_id)
        self._paused.pop(fn_id, None)
        return PauseState(fn_id, None)

    def _function(self, fn_id: str) -> FunctionDef:
        fn = self._engine.function(fn_id)
        if fn is None:
            raise NotFoundError(f"function {fn_id} not found")
        return fn

    # ------------------------------------------------------------ bulk cancellation

    async def create_cancellation(
        self,
        *,
        app_id: str,
        function_id: str,
        started_before_ms: int,
        started_after_ms: int | None = None,
        if_exp: str | None = None,
        now_ms: int | None = None,
    ) -> Cancellation:
        """Record a bulk cancellation and enqueue its first batch. Raises ``OperationError`` / ``NotFoundError``.

        ``now_ms`` (default: the clock) is what ``started_before`` must not exceed; the pause uses now + 1 ms so
        that runs created in the very millisecond of the pause are included."""
        now = self._engine.clock.now_ms() if now_ms is None else now_ms
        cancellation = bulk_cancel.new_cancellation(
            str(ULID()),
            app_id=app_id,
            function_id=function_id,
            started_before_ms=started_before_ms,
            started_after_ms=started_after_ms,
            if_exp=if_exp,
            now_ms=now,
        )
        self._function(cancellation.fn_id)
        due = self._engine.clock.now_ms()
        first = bulk_cancel.work_item(cancellation, bulk_cancel.first_cursor(cancellation), 0, due)
        await self._save(cancellation, [Enqueue(first)])
        return cancellation

    async def cancellations(self) -> list[Cancellation]:
        records = await self._engine.store.list_records(bulk_cancel.CANCELLATION_KIND)
        return [Cancellation.from_json(r) for r in records]

    async def cancellation(self, cancellation_id: str) -> Cancellation:
        record = await self._engine.store.get_record(bulk_cancel.CANCELLATION_KIND, cancellation_id)
        if record is None:
            raise NotFoundError(f"cancellation {cancellation_id} not found")
        return Cancellation.from_json(record)

    async def delete_cancellation(self, cancellation_id: str) -> None:
        """Forget a cancellation; batches not yet processed are dropped (runs already cancelled stay cancelled)."""
        if not await self._engine.store.delete_record(bulk_cancel.CANCELLATION_KIND, cancellation_id):
            raise NotFoundError(f"cancellation {cancellation_id} not found")

    async def process_cancellation(self, item: QueueItem) -> None:
        """Run one batch of a bulk cancellation (a ``bulk-cancel`` queue item), then enqueue the next one."""
        store = self._engine.store
        record = await store.get_record(bulk_cancel.CANCELLATION_KIND, str(item.payload["cancellation_id"]))
        if record is None:  # deleted meanwhile
            await store.apply([Ack(item.item_id)])
            return
        cancellation = Cancellation.from_json(record)
        cursor = Cursor.from_json(item.payload["cursor"])
        listed = await store.list_runs(
            fn_id=cancellation.fn_id,
            status=bulk_cancel.CANCELLABLE,
            since_ms=cancellation.started_after_ms,
            until_ms=cursor.before_ms,
            limit=cursor.fetch_limit,
        )
        batch = bulk_cancel.next_batch(cancellation, cursor, listed)
        # Concurrently, so the store's group commit shares transactions among them; each cancel is idempotent,
        # so a crash here redoes this batch harmlessly.
        why = bulk_cancel.reason(cancellation)
        await asyncio.gather(*(self._engine.cancel_run(run_id, why) for run_id in batch.cancel))
        commands: list[Command] = [Ack(item.item_id)]
        if batch.next_cursor is not None:
            number = int(item.payload["batch"]) + 1
            following = bulk_cancel.work_item(cancellation, batch.next_cursor, number, self._engine.clock.now_ms())
            commands.append(Enqueue(following))
        await self._save(batch.cancellation, commands)

    async def _save(self, cancellation: Cancellation, commands: Sequence[Command]) -> None:
        await self._engine.store.put_record(
            bulk_cancel.CANCELLATION_KIND,
            cancellation.cancellation_id,
            cancellation.created_at_ms,
            cancellation.to_json(),
            commands,
        )

    # ------------------------------------------------------------ rerun / replay

    async def rerun(self, run_id: str, from_step: FromStep | None = None) -> str:
        """Start a rerun of ``run_id`` (optionally from a step, with new input); return the new run's id."""
        original = await self._engine.store.load_run(run_id)
        if original is None:
            raise NotFoundError(f"run {run_id} not found")
        fn = self._engine.function(original.fn_id)
        if fn is None:
            raise OperationError(f"function {original.fn_id} of run {run_id} is no longer registered")
        new_id = str(ULID())
        await self._engine.store.apply(operations.rerun(original, fn, self._engine.clock.now_ms(), new_id, from_step))
        return new_id

    async def replay(self, event_id: str) -> str:
        """Send the stored event ``event_id`` again as a new event; return the new event's id."""
        original = await self._engine.store.get_event(event_id)
        if original is None:
            raise NotFoundError(f"event {event_id} not found")
        now = self._engine.clock.now_ms()
        new_id = str(ULID())
        record = EventRecord(new_id, operations.replay_payload(original, new_id, now), now)
        planned = await self._engine.plan_events([record])
        await self._engine.store.apply(operations.mark_replay(planned, event_id))
        return new_id


def _local_id(fn: FunctionDef) -> str:
    """The app's own id of a function (``"app-send"`` of app ``"app"`` → ``"send"``)."""
    prefix = f"{fn.app_id}-"
    return fn.fn_id[len(prefix) :] if fn.fn_id.startswith(prefix) else fn.fn_id
