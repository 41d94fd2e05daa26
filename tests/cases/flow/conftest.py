"""Flow-control scenarios: gated steps (see gates.py), all opened at teardown so the Lab can close."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.cases.flow.gates import Gates


@pytest.fixture
def gates() -> Iterator[Gates]:
    opened = Gates()
    yield opened
    opened.open_all()
