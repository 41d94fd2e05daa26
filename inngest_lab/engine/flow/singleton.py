"""Singleton: at most one active (not ended) run per key. Mode ``skip`` records the new run as Skipped with
the existing run's id; mode ``cancel`` cancels the existing run and starts the new one. A key expression
that evaluates to ``false`` makes the event not a singleton (Inngest's rule).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from inngest_lab.engine.model import Json, Run


class Verdict(StrEnum):
    START = "start"
    SKIP = "skip"
    CANCEL_AND_START = "cancel"


@dataclass(frozen=True, slots=True)
class SingletonDecision:
    verdict: Verdict
    existing_run_id: str | None = None


def applies(key: Json) -> bool:
    return key is not False


def singleton(mode: str, existing: Run | None) -> SingletonDecision:
    """Decide for a new run given the run last started under the key (None if none)."""
    if existing is None or existing.status.is_terminal:
        return SingletonDecision(Verdict.START)
    if mode == "cancel":
        return SingletonDecision(Verdict.CANCEL_AND_START, existing.run_id)
    return SingletonDecision(Verdict.SKIP, existing.run_id)
