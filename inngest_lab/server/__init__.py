"""Tornado transport only: the Event API, sync/register, the REST API. See ``server.app`` for the route table.

The names below are imported on first use (``inngest_lab.lazy``): an embedded ``Lab`` imports a few modules
of this package (the realtime broker) and must not pay for the whole HTTP application with them.
"""

from typing import TYPE_CHECKING

from inngest_lab.lazy import exports

if TYPE_CHECKING:
    from inngest_lab.server.app import ServerSettings, make_app, start_server

__all__ = ["ServerSettings", "make_app", "start_server"]

if not TYPE_CHECKING:
    __getattr__, __dir__ = exports(__name__, dict.fromkeys(__all__, "inngest_lab.server.app"))
