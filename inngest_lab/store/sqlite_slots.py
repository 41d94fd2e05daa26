"""Concurrency slots in the SQLite file, so engines in several processes on one file share each limit.

Each process admits slotted items through its own in-memory backlogs (``engine.flow.backlogs``), which only
know that process's leases. Before a slotted lease is handed out, ``acquire`` confirms it against the
``concurrency_slots`` table inside the writer's ``BEGIN IMMEDIATE`` transaction (writers of every process
serialize there): it inserts one row per slot key only if every key has fewer unexpired rows (of other items)
than its limit. A refused lease goes back to its backlog for a short retry. The rows go away with the ack or
release of the item (same transaction), and otherwise expire with the lease, so a crashed process holds its
slots no longer than its leases. Runs on the writer thread only.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass

from inngest_lab.engine.flow.concurrency import Slot


@dataclass(frozen=True, slots=True)
class SlotRequest:
    item_id: str
    lease_id: str
    slots: tuple[Slot, ...]
    expires_at_ms: int


class SlotTable:
    """Statements on ``concurrency_slots``, plus which items this process holds slots for (to skip the
    delete on acks of items that never had any)."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn
        self.holders: set[str] = set()

    def acquire(self, requests: Sequence[SlotRequest], now_ms: int) -> list[bool]:
        """Take the slots of each request in order, all or none per request; which were granted."""
        granted: list[bool] = []
        for request in requests:
            ok = all(self._held(slot.key, request.item_id, now_ms) < slot.limit for slot in request.slots)
            if ok:
                self.conn.executemany(
                    "INSERT OR REPLACE INTO concurrency_slots (slot_key, item_id, lease_id, expires_at_ms)"
                    " VALUES (?, ?, ?, ?)",
                    [(slot.key, request.item_id, request.lease_id, request.expires_at_ms) for slot in request.slots],
                )
                self.holders.add(request.item_id)
            granted.append(ok)
        return granted

    def _held(self, key: str, item_id: str, now_ms: int) -> int:
        row = self.conn.execute(
            "SELECT COUNT(*) FROM concurrency_slots WHERE slot_key = ? AND expires_at_ms > ? AND item_id != ?",
            (key, now_ms, item_id),
        ).fetchone()
        return int(row[0])

    def extend(self, item_id: str, lease_id: str, expires_at_ms: int) -> None:
        self.conn.execute(
            "UPDATE concurrency_slots SET expires_at_ms = ? WHERE item_id = ? AND lease_id = ?",
            (expires_at_ms, item_id, lease_id),
        )

    def release(self, item_id: str) -> None:
        """The item's lease ended (ack, dequeue, release): free its slots. A no-op for items without slots."""
        if item_id in self.holders:
            self.conn.execute("DELETE FROM concurrency_slots WHERE item_id = ?", (item_id,))
            self.holders.discard(item_id)

    def forget_orphans(self) -> None:
        """At open: drop rows of items that are no longer queued (an ack whose delete was rolled back)."""
        self.conn.execute("DELETE FROM concurrency_slots WHERE item_id NOT IN (SELECT item_id FROM queue)")
