"""inngest-lab inside JupyterLab: the server extension (engine + REST under ``<base_url>/inngest-lab/``) and
``Lab()``'s attach mode.

Importing this package does not import jupyter_server: a notebook kernel imports ``attach`` without it.
"""

from __future__ import annotations

from typing import Any


def _jupyter_server_extension_points() -> list[dict[str, Any]]:
    """Jupyter's entry point: the extension is the ``InngestLabApp`` extension application."""
    from inngest_lab.jupyter.app import InngestLabApp

    return [{"module": "inngest_lab.jupyter", "app": InngestLabApp}]


def _jupyter_labextension_paths() -> list[dict[str, str]]:
    """The prebuilt front end (built from ``extension/`` into ``inngest_lab/labextension``)."""
    return [{"src": "../labextension", "dest": "inngest-lab"}]
