"""``ctx.step.ai.infer``: an inference call the server makes for the run (the ``AIGateway`` op, protocol-next §3).

The adapter interface is inngest-py 0.5.19's (``auth_key()``, ``format()``, ``headers()``, ``on_call(body)``,
``url_infer()``), so its adapters (``inngest.experimental.ai.openai.Adapter`` …) work here unchanged, as does
:class:`OpenAIAdapter` (also importable as ``inngest_lab.experimental.ai.openai.Adapter``). The step returns the
provider's JSON response; a call that still fails after the step's retries raises ``StepError``
(``AIGatewayError``).
"""

from __future__ import annotations

from typing import Any, Protocol

OPENAI_BASE_URL = "https://api.openai.com/v1"


class Adapter(Protocol):
    """How one provider's request is built (inngest-py's ``BaseAdapter``)."""

    def auth_key(self) -> str: ...

    def format(self) -> str: ...

    def headers(self) -> dict[str, str]: ...

    def on_call(self, body: dict[str, object]) -> None: ...

    def url_infer(self) -> str: ...


class OpenAIAdapter:
    """OpenAI chat completions (and OpenAI-compatible servers through ``base_url``)."""

    def __init__(
        self, *, auth_key: str, model: str, base_url: str | None = None, headers: dict[str, str] | None = None
    ) -> None:
        self._auth_key, self._model = auth_key, model
        self._url = base_url or OPENAI_BASE_URL
        self._headers = dict(headers or {})

    def auth_key(self) -> str:
        return self._auth_key

    def format(self) -> str:
        return "openai-chat"

    def headers(self) -> dict[str, str]:
        return self._headers

    def on_call(self, body: dict[str, object]) -> None:
        if not body.get("model"):
            body["model"] = self._model

    def url_infer(self) -> str:
        return self._url.rstrip("/") + "/chat/completions"


def infer_opts(adapter: Adapter, body: dict[str, Any]) -> dict[str, Any]:
    """The ``AIGateway`` op's ``opts``, as inngest-py sends them."""
    adapter.on_call(body)
    return {
        "auth_key": adapter.auth_key(),
        "body": body,
        "format": adapter.format(),
        "headers": adapter.headers(),
        "type": "step.ai.infer",
        "url": adapter.url_infer(),
    }
