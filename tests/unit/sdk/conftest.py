from __future__ import annotations

import pytest

from tests.unit.sdk.helpers import RecordingTransport


@pytest.fixture
def transport() -> RecordingTransport:
    return RecordingTransport()
