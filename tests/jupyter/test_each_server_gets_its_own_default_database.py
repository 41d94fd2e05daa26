"""One process owns a SQLite file, so two Jupyter servers of one user must not share the default database: it is
named after the server's port. An explicitly configured ``db_path`` held by another process leaves Jupyter up, and
the extension's requests say which file and which process."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from tornado.httpclient import HTTPClientError

from inngest_lab.jupyter.app import default_db_path
from inngest_lab.jupyter.host import EngineHost
from inngest_lab.store.sqlite_lock import DatabaseLock
from tests.jupyter.conftest import Run


def test_servers_on_two_ports_get_two_default_files() -> None:
    first = default_db_path(SimpleNamespace(port=8888, sock=""))  # type: ignore[arg-type]
    second = default_db_path(SimpleNamespace(port=8889, sock=""))  # type: ignore[arg-type]
    assert first.name == "engine-8888.db"
    assert second.name == "engine-8889.db"
    assert first.parent == second.parent


class TestDefaultPath:
    @pytest.fixture
    def jp_server_config(self) -> dict[str, Any]:
        return {
            "ServerApp": {"jpserver_extensions": {"inngest_lab.jupyter": True}},
            "InngestLabApp": {"workers": 2},  # no db_path: the default
        }

    def test_the_default_database_is_named_after_the_servers_port(
        self, jp_fetch: Any, run: Run[Any], host: EngineHost, jp_http_port: int, jp_data_dir: Path
    ) -> None:
        reply = run(jp_fetch("inngest-lab", "lab", "runs"))
        assert reply.code == 200
        assert host.db_path == jp_data_dir / "inngest_lab" / f"engine-{jp_http_port}.db"
        assert host.db_path.exists()


class TestExplicitPathHeldElsewhere:
    @pytest.fixture
    def held(self, tmp_path: Path) -> Iterator[Path]:
        path = tmp_path / "shared.db"
        lock = DatabaseLock(str(path))  # as another server on the same db_path would hold it
        lock.acquire()
        yield path
        lock.release()

    @pytest.fixture
    def jp_server_config(self, held: Path) -> dict[str, Any]:
        return {
            "ServerApp": {"jpserver_extensions": {"inngest_lab.jupyter": True}},
            "InngestLabApp": {"db_path": str(held), "workers": 2},
        }

    def test_jupyter_keeps_running_and_the_extension_reports_the_holder(
        self, jp_fetch: Any, run: Run[Any], held: Path
    ) -> None:
        with pytest.raises(HTTPClientError) as err:
            run(jp_fetch("inngest-lab", "lab", "runs"))
        assert err.value.code == 500
        assert err.value.response is not None
        message = json.loads(err.value.response.body)["error"]
        assert str(held.resolve()) in message
        assert f"pid {os.getpid()}" in message
        assert run(jp_fetch("api", "status")).code == 200  # Jupyter itself is fine
