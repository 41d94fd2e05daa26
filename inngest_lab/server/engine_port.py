"""What the HTTP layer needs from the engine facade (``inngest_lab.executor.engine.Engine``).

A structural ``Protocol`` so the transport type-checks against the facade without importing its
construction, and so routing tests can use a tiny double.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Protocol

from inngest_lab.engine.model import FunctionDef, Json, Run
from inngest_lab.executor.checkpoint import Checkpoints
from inngest_lab.executor.operations import Operations
from inngest_lab.executor.ports import Clock
from inngest_lab.protocol.consts import ServerKind
from inngest_lab.store.ports import Store


class RegisterReply(Protocol):
    """``engine.register`` result: what ``POST /fn/register`` answers."""

    @property
    def ok(self) -> bool: ...

    @property
    def modified(self) -> bool: ...

    @property
    def app_id(self) -> str: ...

    @property
    def sync_id(self) -> str: ...


class EngineApi(Protocol):
    """The engine as the server sees it. Methods raise domain errors mapped by ``server.errors``."""

    @property
    def store(self) -> Store: ...

    @property
    def clock(self) -> Clock: ...

    @property
    def server_kind(self) -> ServerKind: ...

    async def send(
        self, events: Sequence[Mapping[str, Json]], *, internal_ids: Sequence[str] | None = None
    ) -> list[str]:
        """Ingest already-normalized wire events; return their internal ids (``internal_ids`` if given) in order."""
        ...

    async def register(self, body: Mapping[str, Json]) -> RegisterReply:
        """Sync an app from a register body; raises ``RegistrationError`` on invalid bodies."""
        ...

    async def remove_app(self, app_id: str) -> None:
        """Delete an app and its functions; events stop matching them at once."""
        ...

    def function(self, fn_id: str) -> FunctionDef | None:
        """A registered function by composite id (REST v2)."""
        ...

    def functions(self) -> list[FunctionDef]:
        """Every registered function (REST v2)."""
        ...

    async def cancel_run(self, run_id: str) -> bool:
        """Cancel a run; False when unknown, True (idempotently) otherwise."""
        ...

    async def wait_for_run(self, run_id: str, timeout_s: float) -> Run: ...

    @property
    def checkpoints(self) -> Checkpoints:
        """Async checkpoints (``POST /v1/checkpoint/{runId}/async``)."""
        ...

    @property
    def ops(self) -> Operations:
        """Operator actions: pause/resume, bulk cancellation, rerun, replay."""
        ...
