"""Builders for state-machine tests: runs, items, SDK replies."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import TypeVar

from inngest_lab.engine.model import (
    Command,
    FunctionDef,
    ItemKind,
    Json,
    QueueItem,
    Run,
    SaveRun,
    SaveStep,
    Trigger,
)
from inngest_lab.engine.signals import SdkResponded
from inngest_lab.protocol.consts import RunStatus

NOW = 1_767_225_600_000
SDK = {"x-inngest-sdk": "inngest-py:v0.5.19", "x-inngest-req-version": "2"}
FN = FunctionDef(
    fn_id="app-main", app_id="app", name="main", url="inproc://app", triggers=(Trigger(event="app/go"),), retries=2
)


def make_run(**kw: Json) -> Run:
    base = Run(
        run_id="r1",
        fn_id="app-main",
        app_id="app",
        status=RunStatus.RUNNING,
        events=({"name": "app/go", "data": {"id": "x1"}, "id": "e1", "ts": NOW, "user": {}},),
        event_ids=("e1",),
        created_at_ms=NOW,
        max_attempts=3,
        version=2,
    )
    return replace(base, **kw)


def call_item(step_id: str = "step", attempt: int = 0) -> QueueItem:
    return QueueItem(
        item_id=f"i-{step_id}-{attempt}",
        run_id="r1",
        fn_id="app-main",
        kind=ItemKind.CALL,
        due_at_ms=NOW,
        step_id=step_id,
        attempt=attempt,
    )


def ops(*items: dict[str, Json], headers: dict[str, str] | None = None) -> SdkResponded:
    return SdkResponded(status=206, headers={**SDK, **(headers or {})}, body=list(items))


def op(code: str, step_id: str, **kw: Json) -> dict[str, Json]:
    return {"op": code, "id": step_id, "name": step_id, "displayName": step_id, "opts": None, "data": None, **kw}


T = TypeVar("T")


def of_type(commands: Sequence[Command], kind: type[T]) -> list[T]:
    return [c for c in commands if isinstance(c, kind)]


def final_run(commands: Sequence[Command]) -> Run:
    return of_type(commands, SaveRun)[-1].run


def saved(commands: Sequence[Command]) -> dict[str, Json]:
    return {c.step_id: c.memo for c in of_type(commands, SaveStep)}
