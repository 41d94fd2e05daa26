"""In-band sync (protocol-next doc section 8): the app answers the server's sync ``PUT`` with its configuration,
instead of calling ``POST /fn/register`` itself (out-of-band).

The server asks for it with ``X-Inngest-Sync-Kind: in_band`` on the ``PUT`` (body ``{"url": …}``, exactly that:
TS rejects any other key). An SDK that honours it (TS 4.24 unless ``INNGEST_ALLOW_IN_BAND_SYNC=false``; Python
0.5.19 in cloud mode, signed) answers 200 with ``X-Inngest-Sync-Kind: in_band`` and ``{app_id, functions, url,
sdk_language, sdk_version, framework, capabilities, appVersion, …}``; the server registers that as the
``/fn/register`` body it stands for (``deployType: ping``, as Go's conformance runner does). An SDK that does not
answers as before (``out_of_band``, having registered itself), so asking costs nothing.
"""

from __future__ import annotations

from collections.abc import Mapping

from inngest_lab.engine.model import Json
from inngest_lab.protocol.consts import Header, SyncKind

REGISTER_VERSION = "1"


class InBandReplyInvalid(ValueError):
    """An in-band reply that cannot stand for a register body; the message names the bad field."""


def answered_in_band(headers: Mapping[str, str]) -> bool:
    """Whether the SDK's reply (lower-cased ``headers``) is an in-band sync answer."""
    return headers.get(Header.SYNC_KIND.value.lower(), "").strip() == SyncKind.IN_BAND.value


def register_body(reply: Json, url: str) -> dict[str, Json]:
    """The ``/fn/register`` body an in-band ``reply`` stands for. Raises ``InBandReplyInvalid``.

    ``url`` (the URL the server synced) is used when the reply names none.
    """
    if not isinstance(reply, Mapping):
        raise InBandReplyInvalid("the in-band sync reply is not a JSON object")
    app_id = reply.get("app_id") or reply.get("appName")
    if not isinstance(app_id, str) or not app_id:
        raise InBandReplyInvalid("the in-band sync reply has no app_id")
    functions = reply.get("functions")
    if not isinstance(functions, list):
        raise InBandReplyInvalid("the in-band sync reply has no functions array")
    language, version = reply.get("sdk_language"), reply.get("sdk_version")
    sdk = reply.get("sdk") or (f"{language}:v{version}" if language and version else None)
    body: dict[str, Json] = {
        "v": REGISTER_VERSION,
        "url": reply.get("url") if isinstance(reply.get("url"), str) and reply.get("url") else url,
        "deployType": "ping",
        "appName": app_id,
        "functions": functions,
        "sdk": sdk,
        "framework": reply.get("framework"),
        "capabilities": reply.get("capabilities"),
    }
    if reply.get("appVersion"):
        body["appVersion"] = reply["appVersion"]
    return body
