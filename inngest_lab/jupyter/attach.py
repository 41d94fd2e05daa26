"""Attach mode: a notebook kernel started by a Jupyter server that hosts the engine uses that engine.

The server extension exports ``INNGEST_LAB_JUPYTER_INFO`` = the path of the server's own info file
(``jpserver-<pid>.json``: URL, base URL, token; readable by the same user only), so a kernel it starts
can find it. Nothing here imports jupyter_server.
"""

from __future__ import annotations

import asyncio
import json
import os
import urllib.request
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

INFO_ENV = "INNGEST_LAB_JUPYTER_INFO"


@dataclass(frozen=True, slots=True)
class JupyterServer:
    """Where the hosting server's API lives and how to authenticate to it."""

    api_url: str  # ".../inngest-lab/" with a trailing slash
    token: str

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"token {self.token}"} if self.token else {}

    def check(self, timeout_s: float = 2.0) -> str | None:
        """None when the API answers an authenticated health check, else what went wrong (blocking, short)."""
        request = urllib.request.Request(self.api_url + "health", headers=self.headers)  # noqa: S310 - http(s) URL
        try:
            with urllib.request.urlopen(request, timeout=timeout_s) as reply:  # noqa: S310
                return None if reply.status == 200 else f"health check answered {reply.status}"
        except (OSError, ValueError) as exc:
            return f"{self.api_url} unreachable: {exc}"


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


ATTACH_ENV = "INNGEST_LAB_ATTACH"
"""``0`` keeps ``Lab()`` embedded even inside a Jupyter server that hosts the engine."""


def attach_if_hosted(
    path: object = None, *, clock: object = None, fake_clock: bool = False, store: object = None, **_: object
) -> Any:
    """The ``AttachedLab`` that ``Lab(...)`` should be, or None to embed an engine as usual.

    Attaches only for a plain ``Lab()`` (no path, store, clock or fake clock: those ask for an engine of
    the kernel's own), inside a Jupyter server whose extension answers, with a running event loop.
    Says why on stdout when it could have attached but did not.
    """
    if path is not None or clock is not None or fake_clock or store is not None:
        return None
    if os.environ.get(ATTACH_ENV, "1") == "0":
        return None
    server = discover()
    if server is None:
        return None
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return None
    problem = server.check()
    if problem is not None:
        print(f"inngest-lab: not attaching to the Jupyter server's engine ({problem}); embedding one instead")
        return None
    from inngest_lab.jupyter.remote import AttachedLab

    return AttachedLab(server)
