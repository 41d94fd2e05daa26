from __future__ import annotations

import json
import time
from typing import Any

import jcs
import pytest

from inngest_lab.protocol import signing
from inngest_lab.sdk import CommHandler, CommRequest, ContextSync, Inngest, TriggerEvent
from inngest_lab.sdk.errors import SigningKeyMissingError
from tests.unit.sdk.helpers import call_request

KEY = "signkey-prod-12345678abcdef00"
FALLBACK = "signkey-prod-00fedcba87654321"


def _handler(**client_kwargs: Any) -> CommHandler:
    client = Inngest("my-app", is_production=True, signing_key=KEY, environ={}, **client_kwargs)

    @client.create_function(fn_id="main", trigger=TriggerEvent(event="app/go"))
    def main(ctx: ContextSync) -> Any:
        return {"ok": True}

    return CommHandler(client, [main])


def _request(body: bytes, signature: str | None) -> CommRequest:
    headers = {"x-inngest-signature": signature} if signature else {}
    return CommRequest("POST", "http://app/api/inngest", {"fnId": "my-app-main", "stepId": "step"}, headers, body)


async def test_unsigned_call_request_gets_401_without_sdk_header() -> None:
    res = await _handler().post(_request(json.dumps(call_request()).encode(), None))

    assert (res.status, res.body) == (401, {"message": "Unauthorized"})
    assert "X-Inngest-SDK" not in res.headers


async def test_call_request_signed_over_its_jcs_bytes_runs_and_the_response_is_signed() -> None:
    body = jcs.canonicalize(call_request())
    now = int(time.time())

    res = await _handler().post(_request(body, signing.sign(body, KEY, now)))

    assert (res.status, res.body) == (200, {"ok": True})
    assert signing.verify(res.body_bytes(), res.headers["X-Inngest-Signature"], [KEY], now) == KEY
    assert res.body_bytes() == b'{"ok":true}'


async def test_signature_over_the_jcs_form_validates_a_body_sent_with_spaces() -> None:
    obj = call_request()
    sig = signing.sign(jcs.canonicalize(obj), KEY, int(time.time()))

    res = await _handler().post(_request(json.dumps(obj, indent=2).encode(), sig))

    assert res.status == 200


async def test_fallback_key_signature_is_accepted_and_used_to_sign_the_response() -> None:
    body = jcs.canonicalize(call_request())
    now = int(time.time())

    res = await _handler(signing_key_fallback=FALLBACK).post(_request(body, signing.sign(body, FALLBACK, now)))

    assert res.status == 200
    assert signing.verify(res.body_bytes(), res.headers["X-Inngest-Signature"], [FALLBACK], now) == FALLBACK


async def test_wrong_key_is_rejected() -> None:
    body = jcs.canonicalize(call_request())

    res = await _handler().post(_request(body, signing.sign(body, FALLBACK, int(time.time()))))

    assert res.status == 401


async def test_introspection_needs_a_signature_in_cloud_mode_and_then_reports_key_hashes() -> None:
    handler = _handler()
    unsigned = await handler.get(CommRequest("GET", "http://app/api/inngest"))
    sig = signing.sign(b"", KEY, int(time.time()))
    signed = await handler.get(CommRequest("GET", "http://app/api/inngest", {}, {"X-Inngest-Signature": sig}))

    assert unsigned.status == 401
    assert signed.status == 200
    assert signed.body["authentication_succeeded"] is True
    assert signed.body["mode"] == "cloud"
    assert signed.body["signing_key_hash"] == "1425c614b3c1496f790eda4bea6c2256db84457b632ab328d8544fe290a611f2"


def test_cloud_mode_without_a_signing_key_refuses_to_serve() -> None:
    client = Inngest("my-app", is_production=True, environ={})

    with pytest.raises(SigningKeyMissingError):
        CommHandler(client, [])
