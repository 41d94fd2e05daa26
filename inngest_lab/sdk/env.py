"""Mode and URL resolution from arguments and environment variables (protocol doc section 2.1).

Pure functions over an ``environ`` mapping so tests pass their own; callers pass ``os.environ``.
"""

from __future__ import annotations

import urllib.parse
from collections.abc import Mapping

from inngest_lab.protocol.consts import ServerKind

DEV_SERVER_ORIGIN = "http://127.0.0.1:8288/"
DEFAULT_API_ORIGIN = "https://api.inngest.com/"
DEFAULT_EVENT_API_ORIGIN = "https://inn.gs/"

INNGEST_DEV = "INNGEST_DEV"
INNGEST_API_BASE_URL = "INNGEST_API_BASE_URL"
INNGEST_EVENT_API_BASE_URL = "INNGEST_EVENT_API_BASE_URL"
INNGEST_BASE_URL = "INNGEST_BASE_URL"
INNGEST_SIGNING_KEY = "INNGEST_SIGNING_KEY"
INNGEST_SIGNING_KEY_FALLBACK = "INNGEST_SIGNING_KEY_FALLBACK"
INNGEST_EVENT_KEY = "INNGEST_EVENT_KEY"
INNGEST_SERVE_ORIGIN = "INNGEST_SERVE_ORIGIN"
INNGEST_SERVE_PATH = "INNGEST_SERVE_PATH"
INNGEST_ENABLE_UNAUTHED_SYNC = "INNGEST_ENABLE_UNAUTHED_SYNC"
_ENV_NAME_VARS = ("INNGEST_ENV", "RAILWAY_GIT_BRANCH", "RENDER_GIT_BRANCH", "VERCEL_GIT_COMMIT_REF")


def is_truthy(value: str | None) -> bool:
    """``INNGEST_DEV`` semantics: set and not ``""``, ``false`` or ``0``."""
    return value is not None and value.strip().lower() not in ("", "false", "0")


def is_false(value: str | None) -> bool:
    return value is not None and value.strip().lower() in ("false", "0")


def resolve_mode(is_production: bool | None, environ: Mapping[str, str]) -> ServerKind:
    if is_production is not None:
        return ServerKind.CLOUD if is_production else ServerKind.DEV
    return ServerKind.DEV if is_truthy(environ.get(INNGEST_DEV)) else ServerKind.CLOUD


def parse_url(url: str, mode: ServerKind) -> str | None:
    """inngest-py ``net.parse_url``: None when it has no ``.`` and no ``:``; add the mode's scheme if missing."""
    url = url.strip()
    bare = url.removeprefix("https://").removeprefix("http://")
    if "." not in bare and ":" not in bare:
        return None
    if not url.startswith("http"):
        url = ("https://" if mode is ServerKind.CLOUD else "http://") + url
    parsed = urllib.parse.urlparse(url)
    return parsed.geturl() if parsed.netloc else None


def _first_url(arg: str | None, names: tuple[str, ...], mode: ServerKind, environ: Mapping[str, str]) -> str | None:
    if arg:
        return parse_url(arg, mode) or arg
    for name in names:
        raw = environ.get(name)
        if raw is not None and (url := parse_url(raw, mode)) is not None:
            return url
    return None


def resolve_api_origin(arg: str | None, mode: ServerKind, environ: Mapping[str, str]) -> str:
    found = _first_url(arg, (INNGEST_API_BASE_URL, INNGEST_BASE_URL, INNGEST_DEV), mode, environ)
    return found or (DEV_SERVER_ORIGIN if mode is ServerKind.DEV else DEFAULT_API_ORIGIN)


def resolve_event_api_origin(arg: str | None, mode: ServerKind, environ: Mapping[str, str]) -> str:
    found = _first_url(arg, (INNGEST_EVENT_API_BASE_URL, INNGEST_BASE_URL, INNGEST_DEV), mode, environ)
    return found or (DEV_SERVER_ORIGIN if mode is ServerKind.DEV else DEFAULT_EVENT_API_ORIGIN)


def resolve_env_name(arg: str | None, environ: Mapping[str, str]) -> str | None:
    if arg:
        return arg
    for name in _ENV_NAME_VARS:
        if environ.get(name):
            return environ[name]
    return None


def create_serve_url(
    request_url: str, serve_origin: str | None, serve_path: str | None, environ: Mapping[str, str]
) -> str:
    """The URL the server should call: the incoming URL with origin/path overrides and no query."""
    serve_origin = serve_origin if serve_origin is not None else (environ.get(INNGEST_SERVE_ORIGIN) or None)
    serve_path = serve_path if serve_path is not None else (environ.get(INNGEST_SERVE_PATH) or None)
    parsed = urllib.parse.urlparse(request_url)
    scheme, netloc, path = parsed.scheme, parsed.netloc, parsed.path
    if serve_origin is not None:
        if "://" in serve_origin:
            origin = urllib.parse.urlparse(serve_origin)
            scheme, netloc = origin.scheme or scheme, origin.netloc or netloc
        else:
            scheme, netloc = "https", serve_origin
    if serve_path is not None:
        path = serve_path
    return urllib.parse.urlunparse((scheme, netloc, path, "", "", ""))
