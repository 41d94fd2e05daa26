"""``GET|POST /login`` and ``POST /logout``: the dashboard's way in and out (headless server only).

    GET  /login?next=/runs   the form; with a valid session, straight to ``next`` (or a "signed in" page with a
                             Log out button when no ``next`` is given); without a password, a page that says
                             why there is nothing to log in to
    POST /login              form fields ``password`` and ``next``: 303 to ``next`` with the session cookies,
                             401 (wrong password) or 429 (too many failures, ``Retry-After``) with the form again
    POST /logout             clears the cookies; with a live session it needs the CSRF token (``X-CSRF-Token``
                             header or ``csrf_token`` form field). A form post gets 303 to ``/login``, a script
                             ``{"ok": true}``.

Cookies: ``inngest_lab_session`` (HttpOnly) and ``inngest_lab_csrf`` (readable by the dashboard's script, which
echoes it as ``X-CSRF-Token``), both ``SameSite=Strict; Path=/``, ``Max-Age`` the session lifetime, and ``Secure``
when the request came over HTTPS (directly or per ``X-Forwarded-Proto``). Passwords are never logged.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any
from urllib.parse import quote

from inngest_lab.protocol.consts import Header, ServerKind
from inngest_lab.server.auth_guard import LOGIN_PATH, LOGOUT_PATH
from inngest_lab.server.auth_limits import LoginLimiter
from inngest_lab.server.auth_page import login_page, no_login_page, signed_in_page, ui_off_page
from inngest_lab.server.auth_password import verify_password
from inngest_lab.server.auth_session import (
    CSRF_COOKIE,
    CSRF_FIELD,
    CSRF_HEADER,
    SESSION_COOKIE,
    Session,
    csrf_matches,
    issue_session,
    read_session,
)
from inngest_lab.server.base import ApiHandler
from inngest_lab.server.errors import Forbidden

log = logging.getLogger("inngest_lab.server.auth")
MAX_NEXT_CHARS = 2000
MAX_CONCURRENT_HASHES = 2
"""Password checks running at once per process; more wait their turn."""


def safe_next(raw: str | None) -> str:
    """A same-origin path to go to after logging in; ``/`` for anything else (open-redirect guard)."""
    if not raw or len(raw) > MAX_NEXT_CHARS or not raw.startswith("/") or raw.startswith(("//", "/\\")):
        return "/"
    if any(ord(c) < 0x20 or c == "\\" for c in raw) or raw.split("?", 1)[0] in (LOGIN_PATH, LOGOUT_PATH):
        return "/"
    # Headers are Latin-1: percent-encode anything else (``/runs/日本`` arrives decoded from the query string).
    return raw if raw.isascii() else quote(raw, safe="/?&=%#:@!$'()*+,;~")


class _AuthPage(ApiHandler):
    """Shared by the login and logout handlers: HTML responses, the session cookies."""

    def set_default_headers(self) -> None:
        super().set_default_headers()
        self.set_header(Header.CONTENT_TYPE, "text/html; charset=utf-8")
        self.set_header("Cache-Control", "no-store")
        self.set_header("X-Frame-Options", "DENY")
        self.set_header("Referrer-Policy", "same-origin")
        self.set_header(
            "Content-Security-Policy",
            "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'; "
            "base-uri 'none'",
        )

    def write_error(self, status_code: int, **kwargs: Any) -> None:
        self.set_header(Header.CONTENT_TYPE, "application/json")  # errors stay JSON, as on every route
        super().write_error(status_code, **kwargs)

    def now_s(self) -> int:
        return self.ctx.engine.clock.now_ms() // 1000

    def current_session(self) -> Session | None:
        return read_session(self.ctx.settings.session_key, self.get_cookie(SESSION_COOKIE), self.now_s())

    def page(self, html: str, status: int = 200) -> None:
        self.set_status(status)
        self.finish(html.encode())

    def _secure(self) -> bool:
        forwarded = self.request.headers.get("X-Forwarded-Proto", "").split(",")[0].strip().lower()
        return self.request.protocol == "https" or forwarded == "https"

    def set_session_cookies(self, session: Session) -> None:
        ttl = self.ctx.settings.session_ttl_s
        common: dict[str, Any] = {"path": "/", "samesite": "Strict", "secure": self._secure(), "max_age": ttl}
        self.set_cookie(SESSION_COOKIE, session.token, httponly=True, **common)
        self.set_cookie(CSRF_COOKIE, session.csrf, **common)

    def clear_session_cookies(self) -> None:
        for name in (SESSION_COOKIE, CSRF_COOKIE):
            self.clear_cookie(name, path="/", samesite="Strict", secure=self._secure())

    @property
    def mode(self) -> str:
        return "dev" if self.ctx.settings.server_kind is ServerKind.DEV else "self-hosted"


class LoginHandler(_AuthPage):
    def initialize(self, limiter: LoginLimiter, hashing: asyncio.Semaphore) -> None:
        self._limiter = limiter
        self._hashing = hashing

    def get(self) -> None:
        settings = self.ctx.settings
        raw_next = self.get_query_argument("next", None)
        target = safe_next(raw_next)
        if not settings.login_enabled:
            # A page, never a redirect back to ``next``: a dashboard whose API calls get 401 (dev with a
            # signing key) would otherwise bounce between the two forever.
            if settings.server_kind is ServerKind.DEV:
                self.page(no_login_page(self.mode, target, api_needs_key=bool(settings.signing_keys)))
            else:
                self.page(ui_off_page(self.mode))
            return
        session = self.current_session()
        if session is not None and raw_next is not None:
            self.redirect(target, status=303)
        elif session is not None:
            self.page(signed_in_page(self.mode, session.csrf))
        else:
            self.page(login_page(self.mode, target))

    async def post(self) -> None:
        settings = self.ctx.settings
        if not settings.login_enabled:
            self.page(ui_off_page(self.mode), 403)
            return
        target = safe_next(self.get_body_argument("next", None))
        client = self.request.remote_ip or "?"
        gate = self._limiter.attempt(client, self.ctx.engine.clock.now_ms())
        if not gate.allowed:
            self.set_header("Retry-After", str(gate.retry_after_s))
            message = f"Too many failed logins. Try again in {gate.retry_after_s} s."
            self.page(login_page(self.mode, target, error=message), 429)
            return
        password = self.get_body_argument("password", "") or ""
        # scrypt costs ~0.1 s of CPU: run it off the event loop, and at most MAX_CONCURRENT_HASHES at once, so
        # logins from many addresses queue instead of taking every core from the engine.
        async with self._hashing:
            ok = await asyncio.to_thread(verify_password, password, settings.ui_password_hash)
        if not ok:
            log.warning("failed dashboard login from %s", client)
            self.page(login_page(self.mode, target, error="Wrong password."), 401)
            return
        self._limiter.succeeded(client)
        self.set_session_cookies(issue_session(settings.session_key, self.now_s(), settings.session_ttl_s))
        log.info("dashboard login from %s", client)
        self.redirect(target, status=303)


class LogoutHandler(_AuthPage):
    def post(self) -> None:
        session = self.current_session()
        is_form = self.request.headers.get(Header.CONTENT_TYPE, "").startswith("application/x-www-form-urlencoded")
        presented = self.request.headers.get(CSRF_HEADER)
        if not presented and is_form:
            presented = self.get_body_argument(CSRF_FIELD, None)
        if session is not None and not csrf_matches(session, presented):
            raise Forbidden("missing or wrong X-CSRF-Token (send the inngest_lab_csrf cookie's value)")
        self.clear_session_cookies()
        if is_form:
            self.redirect(LOGIN_PATH, status=303)
        else:
            self.set_header(Header.CONTENT_TYPE, "application/json")
            self.finish(b'{"ok":true}')


def auth_routes() -> list[tuple[Any, ...]]:
    """The login routes, with one failed-login limiter and one password-check queue per application."""
    return [
        (LOGIN_PATH, LoginHandler, {"limiter": LoginLimiter(), "hashing": asyncio.Semaphore(MAX_CONCURRENT_HASHES)}),
        (LOGOUT_PATH, LogoutHandler),
    ]
