"""Tornado transport only: the Event API, sync/register, the REST API. See ``server.app`` for the route table."""

from inngest_lab.server.app import ServerSettings, make_app, start_server

__all__ = ["ServerSettings", "make_app", "start_server"]
