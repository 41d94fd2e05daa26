"""The standalone dashboard on the headless server: the page shell at every page URL, its bundled assets, and
the app-management routes that need the server's ``AppSyncer``.

    GET    /  /runs  /runs/{id}  /events  /events/{id}  /functions  /functions/{id}  /apps  /crons  /cancel
           /charts                     (the Metrics page: ``/metrics`` is Prometheus's)
                                       the single-page app's HTML (so deep links survive a reload)
    GET    /ui/{file}                  the esbuild bundle (``inngest_lab/ui_build/``, built by the install)
    POST   /lab/apps/sync              add an app by URL and sync it now (``{"url": …}``)
    POST   /lab/apps/{id}/resync       sync the app's URL again
    DELETE /lab/apps/{id}              remove the app and its functions; its URL is no longer synced

The bundle is built from ``extension/src/dashboard`` by ``pip install`` (hatch-jupyter-builder runs the
extension's build script, which runs esbuild); it is never committed. A checkout without it answers the page
URLs with a JSON 503 that says how to build it. ``--no-ui`` leaves every route here unmounted.
"""

from __future__ import annotations

import hashlib
import html
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import tornado.web

from inngest_lab.executor.app_sync import AppSyncer
from inngest_lab.protocol.consts import Header, ServerKind
from inngest_lab.server.base import ApiHandler
from inngest_lab.server.dashboard_reads import DashboardHandler
from inngest_lab.server.errors import ApiError, BadRequest, ErrorCode, NotFound

UI_BUILD = Path(__file__).resolve().parents[1] / "ui_build"
"""Where the extension's build script writes ``dashboard.js`` and ``dashboard.css``."""
PAGES = ("runs", "events", "functions", "apps", "crons", "cancel", "charts")
CSRF_META_SETTING = "inngest_lab_csrf_token"
"""Optional application setting: a callable ``(handler) -> str | None`` giving the page's CSRF token (the auth
module's). The shell then carries it as ``<meta name="csrf-token">``, which the dashboard sends back as
``X-CSRF-Token`` on every state-changing request (``extension/src/dashboard/http.ts``)."""
"""Top-level page paths; ``runs``, ``events`` and ``functions`` also have ``/{id}`` detail pages."""


class UiNotBuilt(ApiError):
    status = 503
    code = ErrorCode.INTERNAL


@dataclass(frozen=True, slots=True)
class Bundle:
    """The built assets, with a content hash for cache busting (asset URLs change when the build does)."""

    directory: Path

    def version(self) -> str:
        files = [self.directory / "dashboard.js", self.directory / "dashboard.css"]
        if not all(f.is_file() for f in files):
            raise UiNotBuilt(
                f"the dashboard is not built ({self.directory} is missing); run `make` or `pip install -e .` "
                "(the install runs the front-end build), or start with --no-ui"
            )
        digest = hashlib.sha256()
        for f in files:
            stat = f.stat()
            digest.update(f"{f.name}:{stat.st_size}:{stat.st_mtime_ns}".encode())
        return digest.hexdigest()[:12]


_SHELL = """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>inngest-lab</title>
<link rel="icon" href="data:,">{csrf}
<link rel="stylesheet" href="/ui/dashboard.css?v={version}">
<script id="inngest-lab-config" type="application/json">{config}</script>
</head>
<body>
<div id="inngest-lab-dashboard"><noscript>The inngest-lab dashboard needs JavaScript.</noscript></div>
<script type="module" src="/ui/dashboard.js?v={version}"></script>
</body>
</html>
"""


class PageHandler(ApiHandler):
    """Any page URL gets the same shell; the app reads ``location`` and draws the page."""

    def initialize(self, bundle: Bundle) -> None:
        self._bundle = bundle

    def get(self, *_: str) -> None:
        version = self._bundle.version()
        kind = self.ctx.settings.server_kind
        config = {"mode": "dev" if kind is ServerKind.DEV else "self-hosted", "version": self.ctx.settings.version}
        # "</" cannot appear inside the JSON script block: escape it so no value can close the tag.
        text = json.dumps(config).replace("</", "<\\/")
        self.set_header(Header.CONTENT_TYPE, "text/html; charset=utf-8")
        self.set_header("Cache-Control", "no-cache")
        self.set_header("X-Content-Type-Options", "nosniff")
        self.set_header("X-Frame-Options", "DENY")
        self.set_header("Referrer-Policy", "same-origin")
        token_for = self.application.settings.get(CSRF_META_SETTING)
        token = token_for(self) if callable(token_for) else None
        csrf = f'\n<meta name="csrf-token" content="{html.escape(token)}">' if token else ""
        self.finish(_SHELL.format(version=html.escape(version), config=text, csrf=csrf))


class AssetHandler(tornado.web.StaticFileHandler):
    """The bundle's files; cached for a year when their URLs carry the build's hash (``?v=`` on the entry
    files, the content hash in the name of each on-demand chunk)."""

    def set_extra_headers(self, path: str) -> None:
        self.set_header("X-Content-Type-Options", "nosniff")
        if self.get_query_argument("v", None) or path.startswith("chunk-"):
            self.set_header("Cache-Control", "public, max-age=31536000, immutable")


class _AppsAdmin(DashboardHandler):
    def initialize(self, syncer: AppSyncer) -> None:
        self.syncer = syncer

    async def app_url(self, app_id: str) -> str:
        for app in await self.ctx.engine.store.list_apps():
            if app.app_id == app_id:
                return app.url
        raise NotFound(f"app {app_id} not found")

    async def sync(self, url: str) -> None:
        self.syncer.add_url(url)
        state = await self.syncer.sync(url)
        self.reply({"url": url, "ok": state.ok, "error": state.error})


class AddAppHandler(_AppsAdmin):
    async def post(self) -> None:
        url = self.object_body().get("url")
        if not isinstance(url, str) or not url.startswith(("http://", "https://")):
            raise BadRequest("url must be the http:// or https:// URL of an app's serve endpoint")
        await self.sync(url)


class ResyncAppHandler(_AppsAdmin):
    async def post(self, app_id: str) -> None:
        await self.sync(await self.app_url(app_id))


class RemoveAppHandler(_AppsAdmin):
    async def delete(self, app_id: str) -> None:
        url = await self.app_url(app_id)
        self.syncer.remove_url(url)
        await self.ctx.engine.remove_app(app_id)
        self.reply({"id": app_id, "removed": True})


def ui_routes(syncer: AppSyncer | None, bundle_dir: Path = UI_BUILD) -> list[tuple[Any, ...]]:
    """The dashboard's routes for ``make_app(extra_handlers=…)``; without a syncer apps cannot be added."""
    bundle = Bundle(bundle_dir)
    page_paths = "|".join(PAGES)
    routes: list[tuple[Any, ...]] = [
        (r"/", PageHandler, {"bundle": bundle}),
        (rf"/({page_paths})/?", PageHandler, {"bundle": bundle}),
        (r"/(runs|events|functions)/([^/]+)/?", PageHandler, {"bundle": bundle}),
        (r"/ui/(.*)", AssetHandler, {"path": str(bundle_dir)}),
    ]
    if syncer is not None:
        routes += [
            (r"/lab/apps/sync", AddAppHandler, {"syncer": syncer}),
            (r"/lab/apps/([^/]+)/resync", ResyncAppHandler, {"syncer": syncer}),
            (r"/lab/apps/([^/]+)", RemoveAppHandler, {"syncer": syncer}),
        ]
    return routes
