"""Fixtures shared by every test directory."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

import inngest_lab as inngest


@pytest.fixture
async def lab(tmp_path: Path) -> AsyncIterator[inngest.Lab]:
    """An embedded Lab on a real SQLite file with a fake clock, closed after the test."""
    lab = inngest.Lab(tmp_path / "lab.db", fake_clock=True)
    await lab.start()
    try:
        yield lab
    finally:
        await lab.close()
