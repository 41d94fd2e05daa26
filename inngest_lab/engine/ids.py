"""Deterministic ids for queue items and pauses, so re-applying a decision is idempotent."""

from __future__ import annotations

import hashlib

from inngest_lab.protocol.consts import DISCOVERY_STEP_ID


def call_item_id(run_id: str, step_id: str, generation: int, attempt: int) -> str:
    """A call of ``step_id`` (``"step"`` = discovery) after ``generation`` saved steps, at ``attempt``."""
    return f"{run_id}/c/{step_id}/{generation}/{attempt}"


def start_item_id(run_id: str) -> str:
    return call_item_id(run_id, DISCOVERY_STEP_ID, 0, 0)


def sleep_item_id(run_id: str, step_id: str) -> str:
    return f"{run_id}/s/{step_id}"


def pause_id(run_id: str, discriminator: str) -> str:
    """Pause id: a SHA-1 UUID-like digest of run and step (or cancel index), as Go derives it."""
    return hashlib.sha1(f"{run_id}{discriminator}".encode()).hexdigest()  # noqa: S324 - id, not security


def timeout_item_id(pause: str) -> str:
    return f"t/{pause}"


def resume_item_id(pause: str) -> str:
    return f"r/{pause}"


def cancel_item_id(run_id: str, reason: str) -> str:
    return f"{run_id}/x/{reason}"


def emit_item_id(run_id: str, name: str, discriminator: str) -> str:
    return f"{run_id}/e/{name}/{discriminator}"
