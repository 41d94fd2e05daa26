"""In cloud mode the official SDKs accept only call requests signed with their key; TS also rejects old ones.

The server signs every call (``X-Inngest-Signature: t=<s>&s=HMAC(key, JCS body + t)``); these requests are what a
forger or a replayer could send instead. Python 0.5.19 does not check the signature's age (protocol doc 5.1).
"""

from __future__ import annotations

import time

import pytest

from inngest_lab.protocol.canonical import canonical_json
from inngest_lab.protocol.signing import sign
from tests.integration.official.harness import SIGNING_KEY, Sdk, Target

FORGED_KEY = "signkey-test-" + "0f" * 32


def _call_body(target: Target) -> bytes:
    event = {"name": target.event("run"), "data": {}, "id": "forged-1", "ts": 1_767_225_600_000, "user": {}}
    ctx = {"attempt": 0, "disable_immediate_execution": False, "fn_id": "", "max_attempts": 1, "run_id": "r-forged"}
    return canonical_json(
        {
            "ctx": {**ctx, "stack": {"current": 0, "stack": []}, "use_api": False},
            "event": event,
            "events": [event],
            "steps": {},
            "use_api": False,
            "version": 2,
        }
    )


async def _post(target: Target, signature: str) -> int:
    url = f"{target.stack.app_url(target.sdk)}?fnId={target.fn('run')}&stepId=step"
    headers = {"Content-Type": "application/json", "X-Inngest-Signature": signature}
    async with target.session.post(url, data=_call_body(target), headers=headers) as resp:
        return resp.status


@pytest.mark.parametrize("sdk", list(Sdk))
async def test_a_call_signed_with_another_key_is_rejected(sdk: Sdk, start_target: Target) -> None:
    target = start_target.with_sdk(sdk)
    now = int(time.time())
    assert await _post(target, sign(_call_body(target), FORGED_KEY, now)) == 401
    assert await _post(target, sign(_call_body(target), SIGNING_KEY, now)) in (200, 206), "the real key works"


async def test_the_ts_sdk_rejects_a_signature_older_than_five_minutes(start_target: Target) -> None:
    target = start_target.with_sdk(Sdk.TS)
    stale = int(time.time()) - 400
    assert await _post(target, sign(_call_body(target), SIGNING_KEY, stale)) == 401
