"""Attach mode: a notebook kernel started by a Jupyter server that hosts the engine uses that engine.

The server extension exports ``INNGEST_LAB_JUPYTER_INFO`` = the path of the server's own info file
(``jpserver-<pid>.json``: URL, base URL, token; readable by the same user only), so a kernel it starts
can find it. Nothing here imports jupyter_server.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

INFO_ENV = "INNGEST_LAB_JUPYTER_INFO"


@dataclass(frozen=True, slots=True)
class JupyterServer:
    """Where the hosting server's API lives and how to authenticate to it."""

    api_url: str  # ".../inngest-lab/" with a trailing slash
    token: str

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"token {self.token}"} if self.token else {}


def discover(environ: Mapping[str, str] | None = None) -> JupyterServer | None:
    """The Jupyter server that started this process and hosts the engine, or None (not found, unreadable)."""
    env = os.environ if environ is None else environ
    path = env.get(INFO_ENV)
    if not path:
        return None
    try:
        info = json.loads(Path(path).read_text())
    except (OSError, ValueError):
        return None
    url = str(info.get("url") or "")
    if not url:
        return None
    return JupyterServer(api_url=url.rstrip("/") + "/inngest-lab/", token=str(info.get("token") or ""))
