"""The Event API refuses an event over 512 KB and a request over 3 MiB with 413, and stores nothing of it."""

from __future__ import annotations

from typing import Any

import pytest

from tests.integration.official.harness import Mode, Target

KB = 1024


async def _send(target: Target, events: list[dict[str, Any]]) -> tuple[int, Any]:
    async with target.session.post(f"{target.stack.url}/e/{target.event_key}", json=events) as resp:
        return resp.status, await resp.json()


def _event(target: Target, name: str, size: int) -> dict[str, Any]:
    return {"name": target.event(name), "data": {"pad": "x" * size}}


@pytest.mark.parametrize("mode", list(Mode))
async def test_one_event_over_512_kb_is_a_413(dev_target: Target, start_target: Target, mode: Mode) -> None:
    target = dev_target if mode is Mode.DEV else start_target
    status, body = await _send(target, [_event(target, "too-big", 512 * KB)])
    assert status == 413
    assert body["status"] == 413
    assert "524288" in body["error"], "the message names the limit"
    assert await target.data(f"/v1/events?name={target.event('too-big')}") == []


@pytest.mark.parametrize("mode", list(Mode))
async def test_a_request_over_3_mib_is_a_413_even_when_each_event_fits(
    dev_target: Target, start_target: Target, mode: Mode
) -> None:
    target = dev_target if mode is Mode.DEV else start_target
    status, body = await _send(target, [_event(target, "many-big", 500 * KB) for _ in range(7)])
    assert status == 413
    assert body["status"] == 413
    assert await target.data(f"/v1/events?name={target.event('many-big')}") == []

    status, body = await _send(target, [_event(target, "fits", 500 * KB) for _ in range(5)])
    assert status == 200 and len(body["ids"]) == 5
