"""With Jupyter's default ``allow_unauthenticated_access=True`` the routes are still private: every verb
carries ``@web.authenticated`` (and the authorizer check), so only the server-wide setting is relaxed."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from tornado.httpclient import HTTPClientError

from tests.jupyter.conftest import Run


@pytest.fixture
def jp_server_config(tmp_path: Path) -> dict[str, Any]:
    return {
        "ServerApp": {"jpserver_extensions": {"inngest_lab.jupyter": True}, "allow_unauthenticated_access": True},
        "InngestLabApp": {"db_path": str(tmp_path / "engine.db"), "workers": 2},
    }


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("GET", ("lab", "runs"), None),
        ("GET", ("v1", "events"), None),
        ("POST", ("e", "key"), b'{"name": "a/b"}'),
        ("POST", ("fn", "register"), b"{}"),
    ],
)
def test_anonymous_requests_are_refused(
    jp_fetch: Any, run: Run[Any], method: str, path: tuple[str, ...], body: bytes | None
) -> None:
    with pytest.raises(HTTPClientError) as err:
        run(jp_fetch("inngest-lab", *path, method=method, body=body, headers={"Authorization": ""}))
    assert err.value.code == 403
    assert err.value.response is not None
    reply = json.loads(err.value.response.body)  # JSON in the route's own error shape (the Event API has its own)
    assert reply.get("code") == "forbidden" or reply.get("status") == 403
