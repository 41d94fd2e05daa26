"""``InngestLabApp``: the Jupyter server extension. It hosts the engine and mounts the REST API.

Configure it like any Jupyter application, e.g. ``jupyter lab --InngestLabApp.db_path=./lab.db``. The default
database is one per server, named after its port (``<Jupyter data dir>/inngest_lab/engine-8888.db``): one process
owns a SQLite file (``store.sqlite_lock``), so two servers of one user must not share a default file, and a
server restarted on its port finds its runs again. A second server on an explicit ``db_path`` that another one
holds keeps running without an engine: its log and the extension's requests say which process holds the file.
When the server runs, kernels it starts find it through ``INNGEST_LAB_JUPYTER_INFO`` (the path of
the server's own ``jpserver-<pid>.json``), which ``Lab()``'s attach mode reads.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from jupyter_core.paths import jupyter_data_dir
from jupyter_server.extension.application import ExtensionApp
from jupyter_server.serverapp import ServerApp
from traitlets import Integer, Unicode

from inngest_lab.jupyter.attach import INFO_ENV
from inngest_lab.jupyter.handlers import HOST_KEY, jupyter_routes
from inngest_lab.jupyter.host import EngineHost
from inngest_lab.server.app import app_settings
from inngest_lab.server.errors import ApiError
from inngest_lab.server.settings import ServerSettings


class InngestLabApp(ExtensionApp):
    """The engine on SQLite inside Jupyter's Tornado server, its API under ``<base_url>/inngest-lab/``."""

    name = "inngest_lab_jupyter"  # not "inngest_lab": ExtensionApp stores itself in settings[name]
    load_other_extensions = True

    db_path = Unicode(
        "",
        config=True,
        help="SQLite file of the hosted engine (default: <Jupyter data dir>/inngest_lab/engine-<port>.db).",
    )
    workers = Integer(32, config=True, help="How many queue items the hosted engine works on at once.")

    host: EngineHost | None = None

    def initialize_settings(self) -> None:
        serverapp = self.serverapp
        if self.db_path:
            self.host = EngineHost(Path(self.db_path).expanduser().resolve(), workers=self.workers)
        else:
            # Named at start: Jupyter settles its port (port retries, port 0) after loading extensions.
            self.host = EngineHost(lambda: default_db_path(serverapp), workers=self.workers)
        self.settings.update(app_settings(self.host.engine, ServerSettings()))
        self.settings[HOST_KEY] = self.host

    def initialize_handlers(self) -> None:
        self.handlers.extend(jupyter_routes())

    async def _start_jupyter_server_extension(self, serverapp: ServerApp) -> None:
        await super()._start_jupyter_server_extension(serverapp)  # type: ignore[no-untyped-call]
        # Kernels this server starts inherit the variable: it names the server's info file, never a secret.
        os.environ[INFO_ENV] = serverapp.info_file
        assert self.host is not None
        try:
            await self.host.ready()
        except ApiError:
            return  # the database is held by another process: the host logged it, requests report it
        self.log.info(
            "inngest-lab: engine on SQLite %s, API under %sinngest-lab/", self.host.db_path, serverapp.base_url
        )

    async def stop_extension(self) -> None:
        os.environ.pop(INFO_ENV, None)
        if self.host is not None:
            await self.host.stop()


def default_db_path(serverapp: ServerApp | None) -> Path:
    """``<Jupyter data dir>/inngest_lab/engine-<port>.db``: one file per server (see module docstring)."""
    directory = Path(jupyter_data_dir()) / "inngest_lab"
    if serverapp is None:
        return directory / f"engine-pid{os.getpid()}.db"
    if serverapp.sock:  # a server on a Unix socket: named after the socket's path
        digest = hashlib.sha256(os.path.realpath(serverapp.sock).encode()).hexdigest()[:12]
        return directory / f"engine-sock-{digest}.db"
    return directory / f"engine-{serverapp.port}.db"
