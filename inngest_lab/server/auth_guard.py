"""Who may reach which route of the headless server: a pure decision over the facts of one request.

``decide(facts, settings)`` runs before routing (``auth_app.GuardedApplication``), so it covers every route,
including ones added later and the dashboard's pages and assets. Its rules, in order:

1. **Dev server on loopback:** the ``Host`` must be the server's own (``localhost``, ``127.0.0.1`` or ``[::1]``
   with its port, or a name given with ``--allowed-host``). A page on ``evil.example`` whose name was rebound
   to 127.0.0.1 gets 403 (DNS rebinding).
2. **Cross-site writes:** a state-changing request (not GET/HEAD/OPTIONS) with ``Sec-Fetch-Site: cross-site``,
   or with an ``Origin`` that is not ``Host``, is refused with 403: in dev mode on every route, in start mode on
   ``/login``, ``/logout`` and whenever a session cookie is what authenticates. Requests without ``Origin``
   (curl, the SDKs) pass.
3. **Login:** in start mode (or in dev mode once a password is set), every route but the public ones
   (``/health``, ``/ready``, ``/login``, ``/logout``) and the keyed SDK ones (``/e/{key}``, ``/fn/register``,
   ``/v0/runs/{id}/batch|actions``, ``/dev``, and ``/v1/realtime/*`` whose streams take a subscription token;
   they keep their own key checks) needs a valid Bearer signing key
   or a session cookie; with a session, every state-changing request also needs ``X-CSRF-Token``. Anonymous
   page loads (GET of a non-API path that accepts HTML) are redirected to ``/login?next=<path>``; everything
   else gets a JSON 401.
"""

from __future__ import annotations

import functools
import ipaddress
import re
from dataclasses import dataclass
from enum import Enum
from urllib.parse import quote, urlsplit

from inngest_lab.protocol.consts import ServerKind
from inngest_lab.protocol.signing import bearer_matches
from inngest_lab.server.auth_session import Session, csrf_matches, read_session
from inngest_lab.server.settings import ServerSettings

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
LOGIN_PATH = "/login"
LOGOUT_PATH = "/logout"
PUBLIC_PATHS = frozenset({"/health", "/ready", LOGIN_PATH, LOGOUT_PATH})  # /ready: probes carry no credentials
API_PREFIXES = ("/v0/", "/v1/", "/v2/", "/lab/", "/api/", "/e/", "/fn/", "/metrics")  # /metrics: scrapers
"""Paths answered with JSON: an anonymous request there gets 401, never a redirect to the login page."""
_KEYED = re.compile(
    r"^/(e(/.*)?|fn/register|dev|v0/runs/[^/]+/(batch|actions)|v1/realtime/(publish|token|connect|sse))$"
)
_LOOPBACK_NAMES = ("localhost", "127.0.0.1", "[::1]")


class Access(Enum):
    PUBLIC = "public"
    KEYED = "keyed"  # the route checks its own key (event key, signing key)
    PROTECTED = "protected"


class Principal(Enum):
    ANONYMOUS = "anonymous"
    BEARER = "bearer"
    SESSION = "session"


@dataclass(frozen=True, slots=True)
class Identity:
    principal: Principal
    session: Session | None = None


@dataclass(frozen=True, slots=True)
class RequestFacts:
    """What the guard reads of a request. ``local_port`` is the port the connection arrived on."""

    method: str
    path: str
    target: str  # path and query, for ``next=``
    host: str
    forwarded_host: str | None  # X-Forwarded-Host: a page cannot set it cross-site, a reverse proxy does
    local_port: int | None
    origin: str | None
    fetch_site: str | None
    wants_html: bool
    authorization: str | None
    session_cookie: str | None
    csrf_token: str | None
    now_s: int


@dataclass(frozen=True, slots=True)
class Refusal:
    status: int  # 401 or 403
    message: str


@dataclass(frozen=True, slots=True)
class Redirect:
    location: str


Verdict = Refusal | Redirect | None
"""None: let the request through to its route."""


def access_of(path: str) -> Access:
    if path in PUBLIC_PATHS:
        return Access.PUBLIC
    if _KEYED.match(path):
        return Access.KEYED
    return Access.PROTECTED


def bearer_ok(authorization: str | None, signing_keys: tuple[str, ...] | list[str]) -> bool:
    """A well-formed ``Bearer <token>`` matching one of the keys (constant time; non-ASCII never matches)."""
    scheme, _, token = (authorization or "").strip().partition(" ")
    return scheme.lower() == "bearer" and bool(token.strip()) and bearer_matches(token, list(signing_keys))


def identify(settings: ServerSettings, authorization: str | None, session_cookie: str | None, now_s: int) -> Identity:
    """Who is calling: a valid signing key beats a session; neither is anonymous."""
    if settings.signing_keys and bearer_ok(authorization, tuple(settings.signing_keys)):
        return Identity(Principal.BEARER)
    session = read_session(settings.session_key, session_cookie, now_s)
    if session is not None:
        return Identity(Principal.SESSION, session)
    return Identity(Principal.ANONYMOUS)


@functools.lru_cache(maxsize=64)  # asked of the listen address on every request: parse it once
def is_loopback(host: str) -> bool:
    """True for ``localhost`` and loopback addresses (the interface the server binds)."""
    name = host.strip("[]").lower()
    if name == "localhost":
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False


def _hostname(netloc: str) -> str:
    """``netloc`` without its port (``[::1]:8288`` → ``[::1]``)."""
    netloc = netloc.strip().lower()
    if netloc.startswith("["):
        return netloc.split("]", 1)[0] + "]"
    return netloc.rsplit(":", 1)[0] if netloc.count(":") == 1 else netloc


def host_is_own(host: str, local_port: int | None, allowed: tuple[str, ...] = ()) -> bool:
    """``Host`` names this loopback server: a loopback name with its port (no port only when it is 80), or a
    name in ``allowed`` with any port."""
    host = host.strip().lower()
    if allowed and _hostname(host) in allowed:
        return True
    for name in _LOOPBACK_NAMES:
        if host == name:
            return local_port in (None, 80)
        if host.startswith(name + ":"):
            port = host[len(name) + 1 :]
            return port.isdigit() and (local_port is None or int(port) == local_port)
    return False


def is_cross_site(facts: RequestFacts, allowed: tuple[str, ...] = ()) -> bool:
    """The browser says the request comes from another site, or its ``Origin`` is neither this ``Host`` (nor the
    ``X-Forwarded-Host`` of a proxy that rewrites ``Host``) nor one of the ``allowed`` names."""
    if (facts.fetch_site or "").strip().lower() == "cross-site":
        return True
    if facts.origin is None:
        return False  # curl and the SDKs send none
    origin = facts.origin.strip()
    if origin == "null":
        return True  # sandboxed frames, file: pages, some redirects: never our own page
    try:
        parts = urlsplit(origin)
    except ValueError:
        return True
    if parts.scheme not in ("http", "https"):
        return True
    netloc = parts.netloc.lower()
    own = {facts.host.strip().lower(), (facts.forwarded_host or "").split(",")[0].strip().lower()} - {""}
    return not netloc or (netloc not in own and _hostname(netloc) not in allowed)


def login_url(target: str) -> str:
    return f"{LOGIN_PATH}?next={quote(target, safe='/')}"


def decide(facts: RequestFacts, settings: ServerSettings) -> Verdict:
    """Let the request through (None), refuse it, or send the browser to the login page. Pure."""
    dev = settings.server_kind is ServerKind.DEV
    allowed = tuple(settings.allowed_hosts)
    if dev and is_loopback(settings.listen_host) and not host_is_own(facts.host, facts.local_port, allowed):
        port = facts.local_port or ""
        return Refusal(
            403,
            f"Host {facts.host[:100]!r} is not this server's: open http://localhost:{port}/ (DNS rebinding guard; "
            "a proxy's public name can be allowed with --allowed-host)",
        )
    unsafe = facts.method.upper() not in SAFE_METHODS
    access = access_of(facts.path)
    if unsafe and (dev or access is Access.PUBLIC) and is_cross_site(facts, allowed):
        return Refusal(403, "cross-site request refused: state-changing requests must come from this server's pages")
    if (dev and not settings.login_enabled) or access is not Access.PROTECTED:
        return None
    who = identify(settings, facts.authorization, facts.session_cookie, facts.now_s)
    if who.principal is Principal.BEARER:
        return None
    if who.session is not None:
        if unsafe and is_cross_site(facts, allowed):
            return Refusal(403, "cross-site request refused")
        if unsafe and not csrf_matches(who.session, facts.csrf_token):
            return Refusal(403, "missing or wrong X-CSRF-Token (send the inngest_lab_csrf cookie's value)")
        return None
    if facts.method.upper() in ("GET", "HEAD") and facts.wants_html and not facts.path.startswith(API_PREFIXES):
        return Redirect(login_url(facts.target))
    if facts.authorization:
        return Refusal(401, "Authentication failed")  # a wrong key: Inngest's exact answer, which SDKs expect
    if settings.login_enabled:
        return Refusal(401, f"log in at {LOGIN_PATH}, or send Authorization: Bearer <signing key>")
    return Refusal(
        401, "send Authorization: Bearer <signing key> (the dashboard login is off: no UI password is configured)"
    )
