"""HttpDriver against a tiny Tornado SDK that verifies signatures the way the SDKs do (JCS, then HMAC), and signs
its answers to verified requests with the key that verified them, as both official SDKs do."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any

import jcs
import pytest
import tornado.web
from tornado.httpserver import HTTPServer
from tornado.netutil import bind_sockets

from inngest_lab.engine.model import FunctionDef, Json, Trigger
from inngest_lab.executor.http_driver import HttpDriver, step_url, unwrap_streaming
from inngest_lab.protocol.signing import sign, verify

KEY = "signkey-test-12345678abcdef00"
NOW_S = 1_700_000_000


@dataclass
class VerifyingSdk:
    """Records each call and whether its signature verified over the JCS form of the received body."""

    url: str = ""
    seen: list[dict[str, Any]] = field(default_factory=list)
    reply: tuple[int, dict[str, str], bytes] = (200, {"X-Inngest-SDK": "inngest-py:v0.5.19"}, b'"ok"')
    reply_key: str | None = KEY  # signs answers to verified requests; None: answers unsigned


@pytest.fixture
async def sdk() -> AsyncIterator[VerifyingSdk]:
    state = VerifyingSdk()

    class Handler(tornado.web.RequestHandler):
        def post(self) -> None:
            body = self.request.body
            canonical: bytes = jcs.canonicalize(json.loads(body))
            state.seen.append(
                {
                    "query": {k: self.get_query_argument(k) for k in self.request.query_arguments},
                    "headers": {k.lower(): v for k, v in self.request.headers.items()},
                    "body": body,
                    "is_canonical": canonical == body,
                    "verified_key": verify(canonical, self.request.headers.get("X-Inngest-Signature"), [KEY], NOW_S),
                }
            )
            status, headers, payload = state.reply
            if state.reply_key and state.seen[-1]["verified_key"]:
                self.set_header("X-Inngest-Signature", sign(payload, state.reply_key, NOW_S))
            self.set_status(status)
            for k, v in headers.items():
                self.set_header(k, v)
            self.write(payload)

    sockets = bind_sockets(0, "127.0.0.1")
    server = HTTPServer(tornado.web.Application([(r"/api/inngest", Handler)]))
    server.add_sockets(sockets)
    state.url = f"http://127.0.0.1:{sockets[0].getsockname()[1]}/api/inngest"
    yield state
    server.stop()
    await server.close_all_connections()


def _fn(url: str) -> FunctionDef:
    return FunctionDef(
        fn_id="my-app-main",
        app_id="my-app",
        name="main",
        url=f"{url}?fnId=my-app-main&stepId=step",
        triggers=(Trigger(event="app/go"),),
    )


REQUEST: dict[str, Json] = {
    "version": 2,
    "use_api": False,
    "steps": {"b": 1, "a": {"data": "A"}},
    "event": {"name": "app/go", "data": {"z": 1, "é": "ü"}, "id": "e1", "ts": 1700000000000, "user": {}},
    "events": [],
    "ctx": {
        "run_id": "01RUN",
        "attempt": 0,
        "disable_immediate_execution": False,
        "stack": {"stack": [], "current": 0},
        "fn_id": "",
    },
}


@pytest.fixture
async def driver() -> AsyncIterator[HttpDriver]:
    d = HttpDriver(KEY, now_s=lambda: NOW_S)
    yield d
    await d.close()


async def test_a_call_is_signed_over_the_exact_jcs_bytes_sent(sdk: VerifyingSdk, driver: HttpDriver) -> None:
    result = await driver.call(_fn(sdk.url), "abc123", REQUEST)
    assert result.status == 200
    assert result.body == "ok"
    (seen,) = sdk.seen
    assert seen["is_canonical"]
    assert seen["verified_key"] == KEY
    assert seen["headers"]["x-inngest-signature"].startswith(f"t={NOW_S}&s=")


@pytest.mark.parametrize("reply_key", [None, "signkey-test-00ff"], ids=["unsigned", "forged"])
async def test_an_sdk_answer_without_a_valid_signature_is_not_taken_as_the_sdks(
    sdk: VerifyingSdk, driver: HttpDriver, reply_key: str | None
) -> None:
    sdk.reply_key = reply_key
    sdk.reply = (206, {"X-Inngest-SDK": "inngest-py:v0.5.19"}, b'[{"op": "StepRun", "id": "x", "data": 1}]')
    result = await driver.call(_fn(sdk.url), "step", REQUEST)
    assert "x-inngest-sdk" not in result.headers, "the engine retries non-SDK answers and never applies their ops"
    assert result.body["name"] == "SDKResponseSignatureError"


async def test_an_unkeyed_driver_takes_unsigned_answers(sdk: VerifyingSdk) -> None:
    sdk.reply_key = None
    d = HttpDriver()
    try:
        result = await d.call(_fn(sdk.url), "step", REQUEST)
    finally:
        await d.close()
    assert (result.status, result.body) == (200, "ok")


async def test_a_body_over_the_inline_limit_goes_out_with_use_api(sdk: VerifyingSdk, driver: HttpDriver) -> None:
    big = {**REQUEST, "steps": {"a": {"data": "x" * 4_200_000}}, "events": [REQUEST["event"]]}
    await driver.call(_fn(sdk.url), "step", big)
    sent = json.loads(sdk.seen[0]["body"])
    assert (sent["use_api"], sent["ctx"]["use_api"], sent["steps"], sent["events"]) == (True, True, {}, [])
    assert sent["event"] == REQUEST["event"], "Python requires the event even with use_api"
    assert sdk.seen[0]["verified_key"] == KEY


async def test_the_call_url_overwrites_step_id_and_keeps_fn_id(sdk: VerifyingSdk, driver: HttpDriver) -> None:
    await driver.call(_fn(sdk.url), "abc123", REQUEST)
    assert sdk.seen[0]["query"] == {"fnId": "my-app-main", "stepId": "abc123"}


async def test_call_headers_follow_the_go_executor(sdk: VerifyingSdk, driver: HttpDriver) -> None:
    await driver.call(_fn(sdk.url), "step", REQUEST)
    headers = sdk.seen[0]["headers"]
    assert headers["content-type"] == "application/json"
    assert headers["x-run-id"] == "01RUN"
    assert headers["x-inngest-req-version"] == "2"
    assert headers["x-inngest-step-id"] == "step"
    assert len(headers["x-request-id"]) == 26


async def test_an_unkeyed_driver_sends_no_signature(sdk: VerifyingSdk) -> None:
    d = HttpDriver()
    try:
        await d.call(_fn(sdk.url), "step", REQUEST)
    finally:
        await d.close()
    assert "x-inngest-signature" not in sdk.seen[0]["headers"]


async def test_response_headers_are_lower_case_and_206_bodies_decoded(sdk: VerifyingSdk, driver: HttpDriver) -> None:
    ops = [{"op": "StepRun", "id": "x", "data": 1}]
    sdk.reply = (206, {"X-Inngest-SDK": "inngest-py:v0.5.19", "X-Inngest-No-Retry": "false"}, json.dumps(ops).encode())
    result = await driver.call(_fn(sdk.url), "step", REQUEST)
    assert result.status == 206
    assert result.body == ops
    assert result.headers["x-inngest-sdk"] == "inngest-py:v0.5.19"
    assert result.headers["x-inngest-no-retry"] == "false"
    assert result.raw_size == len(json.dumps(ops))


async def test_a_201_streaming_reply_is_unwrapped(sdk: VerifyingSdk, driver: HttpDriver) -> None:
    inner = {"body": json.dumps({"result": 5}), "headers": {"X-Inngest-No-Retry": "true"}, "status": 500}
    sdk.reply = (201, {"X-Inngest-SDK": "inngest-py:v0.5.19"}, b"   " + json.dumps(inner).encode())
    result = await driver.call(_fn(sdk.url), "step", REQUEST)
    assert result.status == 500
    assert result.body == {"result": 5}
    assert result.headers["x-inngest-no-retry"] == "true"
    assert result.headers["x-inngest-sdk"] == "inngest-py:v0.5.19"


async def test_an_unreachable_sdk_is_a_transport_error_not_an_exception(driver: HttpDriver) -> None:
    sockets = bind_sockets(0, "127.0.0.1")
    port = sockets[0].getsockname()[1]
    sockets[0].close()  # nothing listens there any more
    result = await driver.call(_fn(f"http://127.0.0.1:{port}/api/inngest"), "step", REQUEST)
    assert result.status == 0
    assert result.transport_error


async def test_a_timeout_is_a_transport_error() -> None:
    sockets = bind_sockets(0, "127.0.0.1")  # bound and listening, but never accepts or answers
    try:
        d = HttpDriver(timeout_s=0.05)
        result = await d.call(_fn(f"http://127.0.0.1:{sockets[0].getsockname()[1]}/api/inngest"), "step", REQUEST)
        await d.close()
    finally:
        sockets[0].close()
    assert result.status == 0
    assert result.transport_error is not None
    assert "Timeout" in result.transport_error


async def test_connections_are_reused(sdk: VerifyingSdk, driver: HttpDriver) -> None:
    for _ in range(5):
        await driver.call(_fn(sdk.url), "step", REQUEST)
    assert len(sdk.seen) == 5
    assert all(s["headers"].get("connection", "keep-alive").lower() != "close" for s in sdk.seen)


def test_step_url_adds_fn_id_when_the_registered_url_lacks_it() -> None:
    assert step_url("http://h/api?x=1", "app-fn", "s1") == "http://h/api?fnId=app-fn&x=1&stepId=s1"


def test_non_streaming_replies_are_left_unchanged() -> None:
    assert unwrap_streaming(201, {"a": "b"}, "plain") == (201, {"a": "b"}, "plain")
    assert unwrap_streaming(200, {}, {"status": 500}) == (200, {}, {"status": 500})
