"""``POST /fn/register`` (out-of-band sync, protocol doc section 3.2) and ``GET /dev`` (dev-server info)."""

from __future__ import annotations

from collections.abc import Callable, Mapping

from inngest_lab.engine.model import Json
from inngest_lab.protocol.consts import Header, ServerKind
from inngest_lab.server.base import ApiHandler
from inngest_lab.server.errors import BadRequest, NotFound, ServerKindMismatch, invalid_request

SyncStatus = Callable[[], Mapping[str, Json]]
"""Reports per-URL sync state (``AppSyncer.status``) for ``GET /dev``."""


class RegisterHandler(ApiHandler):
    """Checks, in Go's order: expected server kind, Bearer token, body; then lets the engine upsert the app."""

    async def post(self) -> None:
        kind = self.ctx.settings.server_kind
        expected = self.request.headers.get(Header.EXPECTED_SERVER_KIND, "").strip()
        if expected and expected != kind.value:
            raise ServerKindMismatch(f"Expected server kind {kind.value}, got {expected}")
        self.require_bearer()
        body = self.json_body()
        if not isinstance(body, Mapping):
            raise BadRequest(invalid_request("body must be a JSON object"))
        reply = await self.ctx.engine.register(body)
        self.write_json({"ok": reply.ok, "modified": reply.modified, "app_id": reply.app_id, "sync_id": reply.sync_id})


class DevInfoHandler(ApiHandler):
    """``GET /dev``: what the dev server knows. 404 on a self-hosted (cloud) server, as in Go."""

    def initialize(self, sync_status: SyncStatus | None = None) -> None:
        self._sync_status = sync_status

    async def get(self) -> None:
        settings = self.ctx.settings
        if settings.server_kind is not ServerKind.DEV:
            raise NotFound("not found")
        store = self.ctx.engine.store
        apps = await store.list_apps()
        functions = await store.list_functions()
        self.write_json(
            {
                "version": settings.version,
                "startOpts": {
                    "sdkURLs": list(settings.sdk_urls),
                    "autodiscover": settings.discovery,
                    "poll": settings.poll_interval_s > 0,
                    "pollInterval": settings.poll_interval_s,
                },
                "apps": [
                    {
                        "id": a.app_id,
                        "url": a.url,
                        "sdk": a.sdk,
                        "framework": a.framework,
                        "error": a.error,
                        "synced_at_ms": a.synced_at_ms,
                    }
                    for a in apps
                ],
                "functions": [{"id": f.fn_id, "app_id": f.app_id, "name": f.name, "url": f.url} for f in functions],
                "syncs": dict(self._sync_status()) if self._sync_status else {},
            }
        )
