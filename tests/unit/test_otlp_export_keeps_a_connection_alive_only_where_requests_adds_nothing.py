"""The trace exporter posts over a kept-alive urllib3 pool (the SDK's own transport) only where a ``requests``
session would send exactly the same: a plain ``http://`` endpoint with no proxy, ``.netrc`` entry or credential
provider for it. With any of those (or TLS, whose trust store ``requests`` picks differently) it keeps the SDK's
``requests`` transport, so the ``OTEL_*`` and proxy variables mean what they always meant."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from opentelemetry.exporter.http.transport._requests import RequestsHTTPTransport
from opentelemetry.exporter.http.transport._urllib3 import Urllib3HTTPTransport

from inngest_lab.observability.otlp_export import FastOTLPSpanExporter, _requests_adds_nothing

ENDPOINT = "http://127.0.0.1:4318/v1/traces"


@pytest.fixture(autouse=True)
def plain_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    for name in ("HTTP_PROXY", "http_proxy", "HTTPS_PROXY", "https_proxy", "ALL_PROXY", "all_proxy", "NO_PROXY"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.delenv("no_proxy", raising=False)
    monkeypatch.setenv("NETRC", str(tmp_path / "no-netrc"))


@pytest.fixture
def transport_for() -> Iterator[Callable[[str], object]]:
    """The transport an exporter to an endpoint posts with (exporters closed afterwards)."""
    made: list[FastOTLPSpanExporter] = []

    def make(endpoint: str) -> object:
        made.append(FastOTLPSpanExporter(endpoint=endpoint))
        return made[-1]._client._transport

    yield make
    for exporter in made:
        exporter.shutdown()  # type: ignore[no-untyped-call]


def test_a_plain_loopback_endpoint_gets_the_kept_alive_pool(transport_for: Callable[[str], object]) -> None:
    assert type(transport_for(ENDPOINT)) is Urllib3HTTPTransport


def test_a_proxy_for_the_endpoint_keeps_requests(
    monkeypatch: pytest.MonkeyPatch, transport_for: Callable[[str], object]
) -> None:
    monkeypatch.setenv("HTTP_PROXY", "http://proxy.invalid:3128")
    assert type(transport_for("http://collector.internal:4318/v1/traces")) is RequestsHTTPTransport
    monkeypatch.setenv("NO_PROXY", "collector.internal")
    bypassed = transport_for("http://collector.internal:4318/v1/traces")
    assert type(bypassed) is Urllib3HTTPTransport, "NO_PROXY names it: no proxy applies"


def test_tls_keeps_requests(transport_for: Callable[[str], object]) -> None:
    assert type(transport_for("https://collector.internal:4318/v1/traces")) is RequestsHTTPTransport


def test_netrc_credentials_for_the_host_keep_requests(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, transport_for: Callable[[str], object]
) -> None:
    netrc = tmp_path / "netrc"
    netrc.write_text("machine 127.0.0.1 login lab password secret\n")
    netrc.chmod(0o600)
    monkeypatch.setenv("NETRC", str(netrc))
    assert type(transport_for(ENDPOINT)) is RequestsHTTPTransport


def test_a_credential_provider_keeps_requests(monkeypatch: pytest.MonkeyPatch) -> None:
    import requests

    assert _requests_adds_nothing(ENDPOINT, requests.Session())
    monkeypatch.setenv("OTEL_PYTHON_EXPORTER_OTLP_HTTP_TRACES_CREDENTIAL_PROVIDER", "lab_provider")
    assert not _requests_adds_nothing(ENDPOINT, requests.Session())


def test_a_session_with_auth_keeps_requests() -> None:
    import requests

    session = requests.Session()
    session.auth = ("lab", "secret")
    assert not _requests_adds_nothing(ENDPOINT, session)
