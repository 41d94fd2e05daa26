"""The self-hosted server logs every request (``-v``) yet never a key: not the event key in ``/e/{key}`` paths,
not the signing keys, not their Bearer hashes, not a wrong key someone tried; ``start`` logs JSON lines by
default, and no field of any of them holds a key either."""

from __future__ import annotations

import json

from inngest_lab.protocol.signing import hashed_signing_key, strip_key_prefix
from tests.integration.official.harness import EVENT_KEY, FALLBACK_KEY, SIGNING_KEY, Target


async def test_keys_used_or_tried_never_reach_the_server_log(start_target: Target) -> None:
    wrong_event_key = "wrong-event-key-zz9"
    url = start_target.stack.url
    done = await start_target.run("run")  # a signed sync already happened; now a keyed event and signed calls
    assert done["status"] == "Completed", start_target.logs()
    async with start_target.session.post(f"{url}/e/{wrong_event_key}", json=[{"name": "x/y"}]) as resp:
        assert resp.status == 401
    async with start_target.session.get(f"{url}/v1/events", headers={"Authorization": f"Bearer {EVENT_KEY}"}) as r:
        assert r.status == 401

    log = start_target.stack.server.log.read_text()
    _, _, served = log.partition("\n")  # line 1 is the harness's own record of the command line
    assert "POST /e/***" in served, "requests are logged, with the key masked"
    for key in (SIGNING_KEY, FALLBACK_KEY):
        assert strip_key_prefix(key) not in served
        assert hashed_signing_key(key) not in served
    assert EVENT_KEY not in served
    assert wrong_event_key not in served

    records = [json.loads(line) for line in served.splitlines() if line.startswith("{")]
    access = [r for r in records if r.get("logger") == "inngest_lab.server.access"]
    assert any("POST /e/***" in r["msg"] for r in access), "start logs JSON lines, the key masked in them too"
    values = [str(v) for r in records for v in r.values()]
    for secret in (EVENT_KEY, wrong_event_key, strip_key_prefix(SIGNING_KEY), hashed_signing_key(SIGNING_KEY)):
        assert not any(secret in v for v in values)
