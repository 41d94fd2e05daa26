"""``GET /openapi.json`` (the spec, ``server.openapi``) and ``GET /docs`` (the spec rendered, no CDN).

``/docs`` is one self-contained HTML page shipped in the package (``static/api_docs.html``): a small renderer,
written for this API, that fetches ``openapi.json`` from the same directory and lists every operation with its
parameters, body and answers. Both routes are public, as the document holds no data.
"""

from __future__ import annotations

from functools import cache
from importlib.resources import files

from inngest_lab.server.base import ApiHandler
from inngest_lab.server.openapi import spec

DOCS_PAGE = "api_docs.html"


@cache
def docs_page() -> bytes:
    return files("inngest_lab.server").joinpath("static", DOCS_PAGE).read_bytes()


class OpenApiHandler(ApiHandler):
    def get(self) -> None:
        self.write_json(spec())


class DocsHandler(ApiHandler):
    def get(self) -> None:
        self.set_header("Content-Type", "text/html; charset=utf-8")
        # The page runs only its own inline script and fetches only this origin.
        self.set_header(
            "Content-Security-Policy",
            "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; connect-src 'self'",
        )
        self.finish(docs_page())


def routes() -> list[tuple[str, type[ApiHandler]]]:
    """The document's routes; the headless server mounts them next to ``api_routes``."""
    return [(r"/openapi\.json", OpenApiHandler), (r"/docs", DocsHandler)]
