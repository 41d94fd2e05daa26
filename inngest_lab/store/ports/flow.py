"""The flow-state port: flow-control entries and their read-decide-write primitive."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Protocol

from inngest_lab.engine.flow.state import FlowView
from inngest_lab.engine.model import Command, FlowEntry

FlowDecide = Callable[[FlowView], Sequence[Command]]


class FlowStore(Protocol):
    """Flow-control state (``PutFlowState``/``DeleteFlowState`` write it) and its read-decide-write primitive."""

    async def flow_state(self, key: str) -> FlowEntry | None:
        """The stored entry under ``key``, expired or not."""
        ...

    async def transact_flow(self, decide: FlowDecide) -> Sequence[Command]:
        """Call ``decide`` with a view that reads inside the transaction, apply its result atomically, return it.

        Serialized against every other ``transact_flow``, so a decision never races another on the same state.
        """
        ...
