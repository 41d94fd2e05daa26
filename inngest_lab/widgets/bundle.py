"""The widgets' front end: the ES module and stylesheet esbuild builds from the shared TypeScript components
(``extension/src/widget``) into ``inngest_lab/ui_build/`` during the install, the same components the
JupyterLab panel and the dashboard draw with. Nothing is committed and nothing loads from a CDN.

A checkout whose front end was never built still imports: the module then draws one line saying how to build
it, instead of failing at import time or showing an empty output.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

UI_BUILD = Path(__file__).resolve().parents[1] / "ui_build"
NOT_BUILT = (
    "The inngest-lab widgets are not built ({path} is missing): run `make` or `pip install -e .` "
    "(the install runs the front-end build), then restart the kernel."
)


@cache
def esm() -> str:
    path = UI_BUILD / "widgets.js"
    if path.is_file():
        return path.read_text(encoding="utf-8")
    message = json.dumps(NOT_BUILT.format(path=path))
    return f"export default {{ render({{ el }}) {{ el.textContent = {message}; }} }};\n"


@cache
def css() -> str:
    path = UI_BUILD / "widgets.css"
    return path.read_text(encoding="utf-8") if path.is_file() else ""
