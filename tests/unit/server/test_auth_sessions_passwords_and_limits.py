"""Sessions, password hashes and the failed-login limiter: pure functions and one in-memory object."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from inngest_lab.server.auth_limits import LoginLimiter
from inngest_lab.server.auth_password import hash_password, is_password_hash, parse_password_hash, verify_password
from inngest_lab.server.auth_session import csrf_matches, derive_session_key, issue_session, read_session

KEY = derive_session_key("a-secret-of-at-least-32-characters!!", (), "scrypt:hash")


def test_a_session_reads_back_until_it_expires() -> None:
    s = issue_session(KEY, 1000, 60, nonce="abc123")
    assert read_session(KEY, s.token, 1059) == s
    assert read_session(KEY, s.token, 1060) is None
    assert read_session(b"", s.token, 1000) is None  # sessions off
    assert (
        read_session(derive_session_key("another-secret-of-32-characters!!!!", (), "scrypt:hash"), s.token, 1000)
        is None
    )


def test_the_key_depends_on_the_secret_the_signing_key_and_the_password() -> None:
    assert derive_session_key("", ("signkey-prod-abcd",), "h") == derive_session_key("", ("abcd",), "h")
    assert derive_session_key("", ("abcd",), "h") != derive_session_key("", ("abcd",), "h2")
    assert derive_session_key("", (), "") == b""
    assert derive_session_key("", (), "h") != derive_session_key("", (), "h")  # random per process


@given(st.text(max_size=200))
@settings(max_examples=300)
def test_no_garbage_cookie_is_a_session_or_an_error(token: str) -> None:
    assert read_session(KEY, token, 0) is None


@given(st.text(max_size=100))
def test_no_garbage_csrf_token_matches(presented: str) -> None:
    assert not csrf_matches(issue_session(KEY, 0, 60), presented)


def test_password_hashes_verify_and_carry_their_parameters() -> None:
    stored = hash_password("pässword", log2_n=4)
    assert verify_password("pässword", stored) and not verify_password("password", stored)
    parsed = parse_password_hash(stored)
    assert parsed is not None and (parsed.log2_n, parsed.r, parsed.p) == (4, 8, 1)
    assert hash_password("pässword", log2_n=4) != stored  # salted
    for bad in ("", "scrypt:4:8:1", "bcrypt:4:8:1:c2FsdHNhbHQ:x", "scrypt:40:8:1:c2FsdHNhbHQ:" + "A" * 43):
        assert not is_password_hash(bad) and not verify_password("x", bad)
    assert not verify_password("", stored)


def test_the_limiter_allows_a_burst_of_three_then_one_every_three_seconds() -> None:
    limiter = LoginLimiter()
    assert [limiter.attempt("a", 0).allowed for _ in range(4)] == [True, True, True, False]
    assert limiter.attempt("a", 0).retry_after_s == 3
    assert limiter.attempt("b", 0).allowed  # per address
    assert not limiter.attempt("a", 2_999).allowed and limiter.attempt("a", 3_000).allowed
    limiter.succeeded("a")
    assert limiter.attempt("a", 3_000).allowed


def test_the_limiter_forgets_addresses_once_their_time_is_past() -> None:
    limiter = LoginLimiter()
    for i in range(20_000):
        limiter.attempt(f"10.0.{i // 256}.{i % 256}", i * 10_000)
    assert len(limiter) <= 10_000
