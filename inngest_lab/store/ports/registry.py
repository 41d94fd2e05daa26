"""Synced configuration (apps and functions) and operator records (paused functions, bulk cancellations)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from inngest_lab.engine.model import App, Command, FunctionDef, Json


class Registry(Protocol):
    """Apps and functions (synced configuration)."""

    async def upsert_app(self, app: App, functions: Sequence[FunctionDef]) -> bool:
        """Store the app and replace its functions; return True when anything changed."""
        ...

    async def list_apps(self) -> list[App]: ...

    async def list_functions(self) -> list[FunctionDef]: ...

    async def get_function(self, fn_id: str) -> FunctionDef | None: ...

    async def delete_app(self, app_id: str) -> None: ...


class OpsRecords(Protocol):
    """Operator state (paused functions, bulk cancellations): JSON records by ``(kind, record_id)``.

    ``put_record``/``delete_record`` apply ``commands`` in the same transaction, so a record and the queue
    item that processes it are written together.
    """

    async def put_record(
        self, kind: str, record_id: str, created_at_ms: int, record: Json, commands: Sequence[Command] = ()
    ) -> None:
        """Insert or replace the record (a replaced record keeps its first ``created_at_ms``)."""
        ...

    async def delete_record(self, kind: str, record_id: str, commands: Sequence[Command] = ()) -> bool:
        """Delete the record; True when it existed. ``commands`` are applied either way."""
        ...

    async def get_record(self, kind: str, record_id: str) -> Json:
        """The record, or None."""
        ...

    async def list_records(self, kind: str) -> list[Json]:
        """Every record of ``kind``, newest first (``created_at_ms``, then ``record_id``, descending)."""
        ...
