from __future__ import annotations

from inngest_lab.protocol.consts import ServerKind
from inngest_lab.sdk import Inngest


def test_inngest_dev_truthy_means_dev_mode_with_local_urls() -> None:
    c = Inngest("a", environ={"INNGEST_DEV": "1"})

    assert (c.mode, c.is_production) == (ServerKind.DEV, False)
    assert (c.api_origin, c.event_api_origin) == ("http://127.0.0.1:8288/", "http://127.0.0.1:8288/")


def test_inngest_dev_unset_or_false_means_cloud_mode() -> None:
    assert Inngest("a", environ={}).mode is ServerKind.CLOUD
    assert Inngest("a", environ={"INNGEST_DEV": "false"}).api_origin == "https://api.inngest.com/"
    assert Inngest("a", environ={"INNGEST_DEV": "0"}).event_api_origin == "https://inn.gs/"


def test_is_production_argument_wins_over_the_environment() -> None:
    assert Inngest("a", is_production=False, environ={}).mode is ServerKind.DEV


def test_a_url_in_inngest_dev_is_the_base_url_for_both_apis() -> None:
    c = Inngest("a", environ={"INNGEST_DEV": "http://localhost:9999"})

    assert (c.mode, c.api_origin, c.event_api_origin) == (
        ServerKind.DEV,
        "http://localhost:9999",
        "http://localhost:9999",
    )


def test_specific_base_urls_win_over_inngest_base_url_and_a_missing_scheme_follows_the_mode() -> None:
    env = {
        "INNGEST_DEV": "1",
        "INNGEST_BASE_URL": "server:8288",
        "INNGEST_EVENT_API_BASE_URL": "http://events:1",
        "INNGEST_SIGNING_KEY": "signkey-test-00",
        "INNGEST_EVENT_KEY": "ek",
        "INNGEST_ENV": "branch-1",
    }
    c = Inngest("a", environ=env)

    assert (c.api_origin, c.event_api_origin) == ("http://server:8288", "http://events:1")
    assert (c.signing_key, c.event_key, c.env) == ("signkey-test-00", "ek", "branch-1")
