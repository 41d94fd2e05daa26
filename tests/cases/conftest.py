"""Scenario fixtures: the SDK client, and an embedded ``lab`` on each kind of store."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

import inngest_lab as inngest


@pytest.fixture
def client() -> inngest.Inngest:
    return inngest.Inngest(app_id="app", is_production=False)


@pytest.fixture(params=["sqlite", "redis_pg"])
def lab_store(request: pytest.FixtureRequest) -> str:
    """Every scenario runs on both kinds of store: SQLite (embedded) and Postgres + Redis (production)."""
    return str(request.param)


@pytest.fixture
def lab_uris(lab_store: str, request: pytest.FixtureRequest) -> tuple[str, str] | None:
    if lab_store != "redis_pg":
        return None
    return str(request.getfixturevalue("postgres_uri")), str(request.getfixturevalue("redis_uri"))


@pytest.fixture
async def lab(tmp_path: Path, lab_uris: tuple[str, str] | None) -> AsyncIterator[inngest.Lab]:
    """An embedded Lab with a fake clock on a SQLite file or on Postgres + Redis, closed after the test."""
    if lab_uris is None:
        lab = inngest.Lab(tmp_path / "lab.db", fake_clock=True)
    else:
        lab = inngest.Lab(fake_clock=True, postgres_uri=lab_uris[0], redis_uri=lab_uris[1])
    await lab.start()
    try:
        yield lab
    finally:
        await lab.close()
