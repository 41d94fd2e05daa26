"""The headless server's route table, hosted by Jupyter under ``<base_url>/inngest-lab/``.

One implementation, two hosts: every route is the same handler class as in ``inngest_lab.server``,
combined with ``JupyterHosted`` (Jupyter's ``APIHandler``) in front of it, so requests are
authenticated and authorized by Jupyter (token, cookie and XSRF checks, the configured
``Authorizer``) before the shared handler runs, and the bodies, statuses and errors are the
headless server's.
"""

from __future__ import annotations

from typing import Any, cast

from jupyter_server.auth.decorator import authorized
from jupyter_server.base.handlers import APIHandler
from jupyter_server.utils import url_path_join
from tornado import web

from inngest_lab.jupyter.host import EngineHost
from inngest_lab.server.app import api_routes
from inngest_lab.server.base import ApiHandler, NotFoundHandler

MOUNT = "inngest-lab"
"""Path segment under Jupyter's ``base_url``."""
HOST_KEY = "inngest_lab_host"
"""Application-settings key of the ``EngineHost``."""
AUTH_RESOURCE = "inngest-lab"
"""Resource name Jupyter authorizers see (actions: ``read`` for GET, ``write`` for POST/PUT/DELETE)."""

_VERBS = ("get", "post", "put", "delete")


class JupyterHosted(APIHandler):
    """Jupyter's auth in front, the shared handler's behaviour behind (see module docstring)."""

    auth_resource = AUTH_RESOURCE

    async def prepare(self) -> None:  # type: ignore[override]
        # Jupyter resolves the user, checks XSRF for non-GET, rejects anonymous requests (403), then
        # calls the shared handler's own prepare (next in the MRO).
        await super().prepare()
        host = self.settings[HOST_KEY]
        assert isinstance(host, EngineHost)
        await host.ready()

    def set_default_headers(self) -> None:
        APIHandler.set_default_headers(self)  # Jupyter's security headers
        # X-Inngest-Server-Kind and the JSON content type (a JupyterHosted is always also an ApiHandler)
        ApiHandler.set_default_headers(cast("ApiHandler", self))

    # Errors keep the headless server's JSON shapes; logs keep its masking.
    write_error = ApiHandler.write_error
    log_exception = ApiHandler.log_exception


def _hosted(handler: type[ApiHandler]) -> type[JupyterHosted]:
    """``handler`` behind Jupyter auth: each verb it implements requires an authenticated, authorized user."""
    verbs: dict[str, Any] = {}
    for verb in _VERBS:
        method = getattr(handler, verb)
        if method is not getattr(web.RequestHandler, verb):
            verbs[verb] = web.authenticated(authorized(method))
    return type(f"Jupyter{handler.__name__}", (JupyterHosted, handler), verbs)


def jupyter_routes() -> list[tuple[Any, ...]]:
    """The API routes, relative to Jupyter's ``base_url`` (the extension app prepends it)."""
    routes: list[tuple[Any, ...]] = [
        (url_path_join(MOUNT, path), _hosted(handler), *rest) for path, handler, *rest in api_routes()
    ]
    routes.append((url_path_join(MOUNT, ".*"), _hosted(NotFoundHandler)))
    return routes
