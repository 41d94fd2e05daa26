"""The start-mode guard treats ``POST /v1/checkpoint/batch`` as it treats the per-run checkpoint route: the hashed
signing key as Bearer lets it through to its handler (which checks the key again); without it, a JSON 401."""

from __future__ import annotations

from dataclasses import replace

import pytest

from inngest_lab.protocol.signing import hashed_signing_key
from inngest_lab.server.auth_guard import Refusal, decide
from tests.unit.server.test_auth_guard_decisions import FACTS, KEY, START


@pytest.mark.parametrize("path", ["/v1/checkpoint/batch", "/v1/checkpoint/run-1/async"])
def test_the_batch_route_is_guarded_like_the_per_run_route(path: str) -> None:
    post = replace(FACTS, method="POST", path=path, target=path)
    assert decide(replace(post, authorization=f"Bearer {hashed_signing_key(KEY)}"), START) is None
    refused = decide(post, START)
    assert isinstance(refused, Refusal) and refused.status == 401
