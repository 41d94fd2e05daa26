"""Inside Jupyter the API answers to Jupyter's auth alone: the headless server's login, Host and Origin guard
is not mounted there (Jupyter has its own login and XSRF checks), so a token-authenticated caller reads and
writes as before, there is no ``/login`` under the mount, and a Jupyter session cookie is all a browser needs."""

from __future__ import annotations

import json
from typing import Any

import pytest
from tornado.httpclient import HTTPClientError

from tests.jupyter.conftest import Run


def test_token_callers_read_and_write_without_a_dashboard_session(jp_fetch: Any, run: Run[Any]) -> None:
    reply = run(jp_fetch("inngest-lab", "lab", "functions"))
    assert reply.code == 200 and json.loads(reply.body)["data"] == []
    with pytest.raises(HTTPClientError) as err:
        run(jp_fetch("inngest-lab", "lab", "runs", "01NONE", "cancel", method="POST", body=b""))
    assert err.value.code == 404  # past every auth check: the run does not exist


def test_there_is_no_login_route_under_the_mount(jp_fetch: Any, run: Run[Any]) -> None:
    with pytest.raises(HTTPClientError) as err:
        run(jp_fetch("inngest-lab", "login"))
    assert err.value.code == 404
