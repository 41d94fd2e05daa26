"""``auth_guard.decide``: the pure decision over a request's facts (no server)."""

from __future__ import annotations

from dataclasses import replace

import pytest
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from inngest_lab.protocol.consts import ServerKind
from inngest_lab.protocol.signing import hashed_signing_key
from inngest_lab.server.auth_guard import (
    Access,
    Redirect,
    Refusal,
    RequestFacts,
    access_of,
    decide,
    host_is_own,
    is_cross_site,
    is_loopback,
)
from inngest_lab.server.auth_password import hash_password
from inngest_lab.server.auth_session import issue_session
from inngest_lab.server.settings import ServerSettings

KEY = "signkey-prod-" + "ab" * 32
NOW = 1_800_000_000
DEV = ServerSettings()
START = ServerSettings(signing_keys=[KEY], server_kind=ServerKind.CLOUD, ui_password_hash=hash_password("pw", log2_n=4))
FACTS = RequestFacts(
    method="GET",
    path="/lab/runs",
    target="/lab/runs",
    host="127.0.0.1:8288",
    forwarded_host=None,
    local_port=8288,
    origin=None,
    fetch_site=None,
    wants_html=False,
    authorization=None,
    session_cookie=None,
    csrf_token=None,
    now_s=NOW,
)


@pytest.mark.parametrize(
    ("path", "access"),
    [
        ("/health", Access.PUBLIC),
        ("/login", Access.PUBLIC),
        ("/e/key", Access.KEYED),
        ("/e", Access.KEYED),
        ("/fn/register", Access.KEYED),
        ("/v0/runs/r1/batch", Access.KEYED),
        ("/v0/runs/r1", Access.PROTECTED),
        ("/v0/runs/r1/batch/x", Access.PROTECTED),
        ("/lab/runs", Access.PROTECTED),
        ("/", Access.PROTECTED),
        ("/health/x", Access.PROTECTED),
    ],
)
def test_routes_are_classified(path: str, access: Access) -> None:
    assert access_of(path) is access


def test_host_names_and_ports() -> None:
    assert host_is_own("localhost:8288", 8288) and host_is_own("[::1]:8288", 8288)
    assert not host_is_own("localhost:8289", 8288) and not host_is_own("localhost:abc", 8288)
    assert host_is_own("localhost", 80) and not host_is_own("localhost", 8288)
    assert not host_is_own("localhost.evil.example:8288", 8288) and not host_is_own("", 8288)
    assert is_loopback("127.0.0.5") and is_loopback("::1") and is_loopback("localhost")
    assert not is_loopback("0.0.0.0") and not is_loopback("example.com")


def test_cross_site_is_judged_by_sec_fetch_site_then_origin() -> None:
    assert not is_cross_site(FACTS)
    assert is_cross_site(replace(FACTS, fetch_site="cross-site"))
    assert not is_cross_site(replace(FACTS, fetch_site="same-origin", origin="http://127.0.0.1:8288"))
    assert is_cross_site(replace(FACTS, origin="http://127.0.0.1:8289"))
    assert is_cross_site(replace(FACTS, origin="null"))
    assert is_cross_site(replace(FACTS, origin="chrome-extension://127.0.0.1:8288"))
    assert is_cross_site(replace(FACTS, origin="http://", host="", forwarded_host=None))
    assert not is_cross_site(replace(FACTS, origin="https://pub.example", forwarded_host="pub.example, x"))


def test_dev_reads_pass_and_foreign_hosts_do_not() -> None:
    assert decide(FACTS, DEV) is None
    refused = decide(replace(FACTS, host="evil.example:8288"), DEV)
    assert isinstance(refused, Refusal) and refused.status == 403
    assert decide(replace(FACTS, host="evil.example:8288"), replace_settings(DEV, listen_host="0.0.0.0")) is None


def test_start_mode_sends_pages_to_login_and_scripts_a_401() -> None:
    page = replace(FACTS, path="/runs", target="/runs?x=1", wants_html=True)
    assert decide(page, START) == Redirect("/login?next=/runs%3Fx%3D1")
    assert decide(replace(page, method="POST"), START) == Refusal(
        401, "log in at /login, or send Authorization: Bearer <signing key>"
    )
    assert decide(replace(FACTS, authorization="Bearer nope"), START) == Refusal(401, "Authentication failed")
    assert decide(replace(FACTS, authorization=f"Bearer {hashed_signing_key(KEY)}"), START) is None


def test_a_session_writes_only_with_its_csrf_token_and_from_its_own_origin() -> None:
    session = issue_session(START.session_key, NOW, 3600)
    with_session = replace(FACTS, method="POST", session_cookie=session.token)
    assert isinstance(decide(with_session, START), Refusal)
    assert decide(replace(with_session, csrf_token=session.csrf), START) is None
    cross = replace(with_session, csrf_token=session.csrf, origin="http://evil.example")
    assert isinstance(decide(cross, START), Refusal)
    assert decide(replace(FACTS, session_cookie=session.token, now_s=NOW + 3600), START) is not None


def replace_settings(settings: ServerSettings, **changes: object) -> ServerSettings:
    return replace(settings, **changes)  # type: ignore[arg-type]


_TEXT = st.text(alphabet=st.characters(max_codepoint=0xFF), max_size=60)


@given(
    method=st.sampled_from(["GET", "POST", "DELETE", "OPTIONS", "PATCH"]),
    path=st.sampled_from(["/", "/runs", "/lab/runs", "/login", "/e/k", "/v0/runs/r/batch"]),
    host=_TEXT,
    origin=st.none() | _TEXT,
    fetch_site=st.none() | _TEXT,
    authorization=st.none() | _TEXT,
    cookie=st.none() | _TEXT,
    csrf=st.none() | _TEXT,
    settings=st.sampled_from([DEV, START]),
)
@hypothesis_settings(max_examples=400)
def test_no_header_makes_the_guard_raise(
    method: str,
    path: str,
    host: str,
    origin: str | None,
    fetch_site: str | None,
    authorization: str | None,
    cookie: str | None,
    csrf: str | None,
    settings: ServerSettings,
) -> None:
    """Headers arrive as Latin-1 text of any shape: every combination gets a verdict, never an exception."""
    facts = replace(
        FACTS,
        method=method,
        path=path,
        target=path,
        host=host,
        origin=origin,
        fetch_site=fetch_site,
        authorization=authorization,
        session_cookie=cookie,
        csrf_token=csrf,
    )
    verdict = decide(facts, settings)
    assert verdict is None or isinstance(verdict, Refusal | Redirect)
