"""Scenario fixtures: the SDK client (the embedded ``lab`` comes from ``tests/conftest.py``)."""

from __future__ import annotations

import pytest

import inngest_lab as inngest


@pytest.fixture
def client() -> inngest.Inngest:
    return inngest.Inngest(app_id="app", is_production=False)
