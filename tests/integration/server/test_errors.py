"""Every failure is JSON: unknown routes, wrong methods, and unexpected exceptions never leak HTML or traces."""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence

import pytest

from inngest_lab.engine.model import Json, Run
from inngest_lab.executor.engine import Engine, RegisterResult
from inngest_lab.server.base import mask_path
from inngest_lab.server.errors import BadRequest, InternalError, as_api_error
from tests.integration.server.conftest import Api, Reply, Serve, register_body


class ExplodingEngine:
    """The real engine's reads, but every command fails with an unexpected error."""

    def __init__(self, real: Engine) -> None:
        self.store = real.store
        self.clock = real.clock
        self.server_kind = real.server_kind

    async def send(
        self, events: Sequence[Mapping[str, Json]], *, internal_ids: Sequence[str] | None = None
    ) -> list[str]:
        raise RuntimeError("boom with /e/secret-key inside")

    async def register(self, body: Mapping[str, Json]) -> RegisterResult:
        raise KeyError("boom")

    async def cancel_run(self, run_id: str) -> bool:
        raise ZeroDivisionError

    async def wait_for_run(self, run_id: str, timeout_s: float) -> Run:
        raise NotImplementedError


@pytest.fixture
async def exploding_api(serve: Serve, engine: Engine) -> Api:
    return await serve(ExplodingEngine(engine))


def _assert_json_error(reply: Reply, status: int) -> None:
    assert reply.status == status
    assert reply.headers["content-type"].startswith("application/json")
    assert "<html" not in reply.text.lower()
    assert "Traceback" not in reply.text
    assert isinstance(reply.json["error"], str)
    assert reply.json["status"] == status


async def test_unexpected_exceptions_become_a_json_500(exploding_api: Api, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO)
    reply = await exploding_api.call("POST", "/fn/register", json_body=register_body("http://x/api/inngest"))
    _assert_json_error(reply, 500)
    assert reply.json == {"code": "internal_error", "error": "internal error", "status": 500}
    assert (await exploding_api.call("DELETE", "/v1/runs/x")).status == 500
    assert any("unhandled KeyError" in r.getMessage() for r in caplog.records)


async def test_event_api_failures_keep_the_event_api_shape(
    exploding_api: Api, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    reply = await exploding_api.call("POST", "/e/my-secret-event-key", json_body=[{"name": "app/a"}])
    _assert_json_error(reply, 500)
    assert reply.json["ids"] == []
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert "/e/***" in logged
    assert "my-secret-event-key" not in logged


async def test_unknown_routes_are_json_404s(dev_api: Api) -> None:
    for path in ("/", "/nope", "/v1", "/v1/runs", "/e/k/extra"):
        _assert_json_error(await dev_api.call("GET", path), 404)


async def test_wrong_methods_are_json_405s(dev_api: Api) -> None:
    _assert_json_error(await dev_api.call("GET", "/e/key"), 405)
    _assert_json_error(await dev_api.call("PUT", "/fn/register"), 405)
    _assert_json_error(await dev_api.call("POST", "/v1/runs/x"), 405)


async def test_health_answers_ok(dev_api: Api) -> None:
    reply = await dev_api.call("GET", "/health")
    assert reply.status == 200
    assert reply.json == {"status": 200, "message": "OK"}


async def test_access_logs_mask_event_keys(dev_api: Api, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger="inngest_lab.server.access")
    await dev_api.call("POST", "/e/super-secret", json_body=[{"name": "app/a"}])
    lines = [r.getMessage() for r in caplog.records if r.name == "inngest_lab.server.access"]
    assert any("/e/***" in line for line in lines)
    assert not any("super-secret" in line for line in lines)


def test_mask_path_hides_the_key_and_drops_the_query() -> None:
    assert mask_path("/e/abc?x=1") == "/e/***"
    assert mask_path("/v1/runs/r1?token=t") == "/v1/runs/r1"


def test_unknown_exceptions_map_to_a_generic_500_and_api_errors_to_themselves() -> None:
    assert isinstance(as_api_error(RuntimeError("secret")), InternalError)
    assert as_api_error(RuntimeError("secret")).message == "internal error"
    err = BadRequest("x")
    assert as_api_error(err) is err
