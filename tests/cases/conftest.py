"""Scenario fixtures: an embedded Lab on a real SQLite file with a fake clock."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

import inngest_lab as inngest


@pytest.fixture
async def lab(tmp_path: Path) -> AsyncIterator[inngest.Lab]:
    lab = inngest.Lab(tmp_path / "lab.db", fake_clock=True)
    await lab.start()
    try:
        yield lab
    finally:
        await lab.close()


@pytest.fixture
def client() -> inngest.Inngest:
    return inngest.Inngest(app_id="app", is_production=False)
