"""Flow-control state as the admission decisions see it: read through a store view, written as commands.

``FlowTxn`` wraps the ``FlowView`` a store hands to ``Store.transact_flow`` (reads inside the open
transaction) and keeps every write in an overlay, so a later decision in the same transaction (the
next event of one ``send``) sees it. Its ``commands`` are what the store applies.
"""

from __future__ import annotations

from typing import Protocol

from inngest_lab.engine.model import Command, DeleteFlowState, FlowEntry, Json, PutFlowState, Run, SaveRun

_DELETED = object()


class FlowView(Protocol):
    """Synchronous reads inside a store transaction."""

    def flow_state(self, key: str) -> FlowEntry | None:
        """The stored entry (expired or not), or None."""
        ...

    def run(self, run_id: str) -> Run | None:
        """Run metadata as committed so far in this transaction."""
        ...


class FlowTxn:
    """Reads through ``view`` at ``now_ms``; writes become commands and are visible to later reads."""

    def __init__(self, view: FlowView, now_ms: int) -> None:
        self.now_ms = now_ms
        self.commands: list[Command] = []
        self._view = view
        self._overlay: dict[str, object] = {}
        self._runs: dict[str, Run] = {}

    def get(self, key: str) -> Json:
        """The live value under ``key``, or None when absent or expired."""
        if key in self._overlay:
            value = self._overlay[key]
            return None if value is _DELETED else value
        entry = self._view.flow_state(key)
        return entry.value if entry is not None and entry.live(self.now_ms) else None

    def put(self, key: str, value: Json, expires_at_ms: int | None = None) -> None:
        self._overlay[key] = value
        self.commands.append(PutFlowState(FlowEntry(key, value, expires_at_ms)))

    def delete(self, key: str) -> None:
        self._overlay[key] = _DELETED
        self.commands.append(DeleteFlowState(key))

    def run(self, run_id: str) -> Run | None:
        return self._runs.get(run_id) or self._view.run(run_id)

    def emit(self, commands: list[Command]) -> None:
        """Add engine commands; runs they save are visible to ``run`` from now on."""
        for command in commands:
            if isinstance(command, SaveRun):
                self._runs[command.run.run_id] = command.run
        self.commands.extend(commands)
