"""``GET /openapi.json`` serves the spec, ``GET /docs`` its rendering (self-contained: no CDN), and a method a
route lacks is a JSON 405 that lists the allowed methods, on both ``dev`` and ``start``.
"""

from __future__ import annotations

import http.client
import json
import re

import pytest

from inngest_lab.server.openapi import spec
from tests.integration.api_contract.conftest import Target


def _request(target: Target, method: str, path: str) -> tuple[int, dict[str, str], bytes]:
    conn = http.client.HTTPConnection(target.url.removeprefix("http://"), timeout=10)
    try:
        conn.request(method, path, headers=target.headers)
        resp = conn.getresponse()
        return resp.status, {k.lower(): v for k, v in resp.getheaders()}, resp.read()
    finally:
        conn.close()


@pytest.mark.parametrize("api_server", ["dev", "start"], indirect=True)
def test_spec_docs_and_405(api_server: Target) -> None:
    status, headers, body = _request(api_server, "GET", "/openapi.json")
    assert (status, headers["content-type"]) == (200, "application/json")
    assert json.loads(body) == json.loads(json.dumps(spec()))

    status, headers, body = _request(api_server, "GET", "/docs")
    assert (status, headers["content-type"]) == (200, "text/html; charset=utf-8")
    page = body.decode()
    assert 'fetch("openapi.json")' in page
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", page), "the docs page must not load anything remote"
    assert "default-src 'none'" in headers["content-security-policy"]

    for method, path, allowed in [("PUT", "/v1/runs/x", "GET, DELETE"), ("PATCH", "/health", "GET")]:
        status, headers, body = _request(api_server, method, path)
        assert status == 405
        assert headers["allow"] == allowed
        assert json.loads(body) == {"code": "method_not_allowed", "error": "method not allowed", "status": 405}
