"""Hosted by Jupyter, the API answers bad input exactly as the headless server does: explicit JSON errors."""

from __future__ import annotations

import json
from typing import Any

import pytest
from tornado.httpclient import HTTPClientError

from tests.jupyter.conftest import Run


def _error(run: Run[Any], call: Any) -> tuple[int, Any]:
    with pytest.raises(HTTPClientError) as err:
        run(call)
    assert err.value.response is not None
    return err.value.code, json.loads(err.value.response.body)


def test_unknown_run_status_filter_is_a_400(jp_fetch: Any, run: Run[Any]) -> None:
    code, body = _error(run, jp_fetch("inngest-lab", "lab", "runs", params={"status": "sideways"}))
    assert code == 400
    assert "unknown status 'sideways'" in body["error"]


def test_malformed_event_body_is_a_400_in_the_event_api_shape(jp_fetch: Any, run: Run[Any]) -> None:
    code, body = _error(run, jp_fetch("inngest-lab", "e", "key", method="POST", body=b"{not json"))
    assert code == 400
    assert body["ids"] == [] and "malformed JSON" in body["error"]


def test_trace_and_cancel_of_an_unknown_run_are_404s(jp_fetch: Any, run: Run[Any]) -> None:
    assert _error(run, jp_fetch("inngest-lab", "lab", "runs", "nope", "trace"))[0] == 404
    assert _error(run, jp_fetch("inngest-lab", "lab", "runs", "nope", "cancel", method="POST", body=b""))[0] == 404
