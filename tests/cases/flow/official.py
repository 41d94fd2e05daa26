"""Register functions through the official inngest-py 0.5.19 SDK's registration JSON.

The official SDK builds the ``functions[]`` entries (``get_function_configs``, exactly what it sends on sync,
with ``None`` values stripped as it does); they are registered for the in-process app, so the runs execute
in our SDK's handler of the same function ids while the engine obeys the configuration the official SDK wrote.
"""

from __future__ import annotations

from typing import Any

import inngest
from inngest._internal.comm_lib import get_function_configs

from inngest_lab import Lab
from inngest_lab.executor.inprocess import app_url


def _strip_none(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _strip_none(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [_strip_none(v) for v in value]
    return value


def official_function(fn_id: str, event: str, app_id: str = "app", **options: Any) -> Any:
    """An official-SDK function ``fn_id`` triggered by ``event`` with ``options`` (official config classes).

    Its handler never runs: the in-process app serves our SDK's function of the same id.
    """

    def handler(ctx: Any) -> None:  # pragma: no cover - never called
        return None

    client = inngest.Inngest(app_id=app_id, is_production=False)
    return client.create_function(fn_id=fn_id, trigger=inngest.TriggerEvent(event=event), **options)(handler)


def official_functions(app_id: str, functions: list[Any]) -> list[dict[str, Any]]:
    """The ``functions[]`` the official SDK registers for ``functions`` served at the in-process URL."""
    configs = get_function_configs(app_url(app_id), {f.id: f for f in functions})
    assert not isinstance(configs, Exception), configs
    return [_strip_none(c.to_dict()) for c in configs]


async def register_official(lab: Lab, app_id: str, functions: list[Any]) -> list[dict[str, Any]]:
    """Replace ``app_id``'s functions with the official SDK's registration of ``functions``; return the entries."""
    await lab.idle()  # let an earlier lab.serve register first
    entries = official_functions(app_id, functions)
    body = {
        "appname": app_id,
        "deploy_type": "ping",
        "framework": "tornado",
        "sdk": "py:v0.5.19",
        "url": app_url(app_id),
        "v": "0.1",
        "functions": entries,
    }
    await lab.engine.register(body)
    return entries


async def statuses(lab: Lab, event_ids: list[str]) -> list[str]:
    """The status of the run each event started, in event order ("-" when it started none)."""
    await lab.idle()
    out = []
    for event_id in event_ids:
        runs = await lab.runs(event_id=event_id)
        out.append(runs[0].status.value if runs else "-")
    return out
