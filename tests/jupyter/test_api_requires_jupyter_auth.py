"""The API under <base_url>/inngest-lab/ answers authenticated requests only, as Jupyter decides."""

from __future__ import annotations

import json
from typing import Any

import pytest
from tornado.httpclient import HTTPClientError

from tests.jupyter.conftest import Run


def test_authenticated_request_reads_the_hosted_engine(jp_fetch: Any, run: Run[Any]) -> None:
    reply = run(jp_fetch("inngest-lab", "lab", "functions"))
    assert reply.code == 200
    assert json.loads(reply.body)["data"] == []
    assert reply.headers["X-Inngest-Server-Kind"] == "dev"


def test_request_without_token_is_refused(jp_fetch: Any, run: Run[Any]) -> None:
    with pytest.raises(HTTPClientError) as err:
        run(jp_fetch("inngest-lab", "lab", "functions", headers={"Authorization": ""}))
    assert err.value.code == 403
    assert err.value.response is not None
    assert json.loads(err.value.response.body)["code"] == "forbidden"


def test_post_with_a_wrong_token_is_refused(jp_fetch: Any, run: Run[Any]) -> None:
    with pytest.raises(HTTPClientError) as err:
        run(
            jp_fetch(
                "inngest-lab",
                "e",
                "key",
                method="POST",
                body=b'{"name": "a/b"}',
                headers={"Authorization": "token nope"},
            )
        )
    assert err.value.code == 403


def test_unknown_path_under_the_mount_is_a_json_404(jp_fetch: Any, run: Run[Any]) -> None:
    with pytest.raises(HTTPClientError) as err:
        run(jp_fetch("inngest-lab", "nope"))
    assert err.value.code == 404
    assert err.value.response is not None
    assert json.loads(err.value.response.body)["code"] == "not_found"
