"""Realtime tokens verify across a deployment's keys and expire; gateway requests place the auth key by format."""

from __future__ import annotations

import pytest

from inngest_lab.executor.gateway import ai_request, fetch_request
from inngest_lab.server.realtime_token import TokenError, TopicGrant, issue, parse_token_request, verify

PRIMARY = "signkey-prod-" + "ab" * 32
FALLBACK = "signkey-prod-" + "cd" * 32


def test_a_token_grants_its_topics_and_verifies_under_a_rotated_key_until_it_expires() -> None:
    jwt = issue([TopicGrant("run:1", "progress")], keys=[PRIMARY], now_s=1000)

    grant = verify(jwt, keys=[FALLBACK, PRIMARY], now_s=1001)  # after rotation the old key is the fallback
    assert grant.channels() == {"run:1": frozenset({"progress"})} and grant.publish is False
    with pytest.raises(TokenError, match="expired"):
        verify(jwt, keys=[PRIMARY], now_s=1000 + 3600)
    with pytest.raises(TokenError, match="signature"):
        verify(jwt, keys=[FALLBACK], now_s=1001)
    with pytest.raises(TokenError, match="signature"):
        verify(issue([TopicGrant("c", "t")], keys=[], now_s=1000), keys=[PRIMARY], now_s=1001)  # a dev token
    with pytest.raises(TokenError, match="not a JWT"):
        verify("nonsense", keys=[PRIMARY], now_s=1001)


def test_token_requests_name_what_is_wrong() -> None:
    assert parse_token_request([{"channel": "c", "name": "t", "kind": "run"}]) == [TopicGrant("c", "t", "run")]
    for body, problem in (({}, "array"), ([], "array"), (["x"], "object"), ([{"name": "t"}], "channel")):
        with pytest.raises(ValueError, match=problem):
            parse_token_request(body)


@pytest.mark.parametrize(
    ("fmt", "header", "value", "url_suffix"),
    [
        ("openai-chat", "Authorization", "Bearer k1", ""),
        ("anthropic", "X-Api-Key", "k1", ""),
        ("bedrock", "Authorization", "k1", ""),
        ("gemini", None, None, "?key=k1"),
    ],
)
def test_the_auth_key_goes_where_the_format_wants_it(
    fmt: str, header: str | None, value: str | None, url_suffix: str
) -> None:
    opts = {"url": "http://m.local/v1/x", "auth_key": "k1", "format": fmt, "headers": {"x-extra": "1"}, "body": {}}
    req = ai_request(opts, 5.0)
    assert req.url == "http://m.local/v1/x" + url_suffix
    assert req.method == "POST" and req.headers["X-Extra"] == "1" and req.body == b"{}"
    if header is not None:
        assert req.headers[header] == value


def test_fetch_bodies_are_sent_as_json_and_methods_default_to_post() -> None:
    assert fetch_request({"url": "http://a.local/", "body": '{"a":1}'}, 5.0).body == b'{"a":1}'
    posted = fetch_request({"url": "http://a.local/", "body": "plain"}, 5.0)
    assert (posted.method, posted.body) == ("POST", b'"plain"')
    assert fetch_request({"url": "http://a.local/", "method": "get"}, 5.0).method == "GET"
