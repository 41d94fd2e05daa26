"""The widgets' front end: one self-contained ES module and one stylesheet, read from ``static/``.

The JavaScript is split into parts by concern and concatenated here in dependency order (no build
step, no imports, no CDN): ``common.js`` helpers first, the views next, ``entry.js`` (the only
``export``) last.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

STATIC = Path(__file__).parent / "static"
PARTS = ("common.js", "timeline.js", "tables.js", "composer.js", "entry.js")


@cache
def esm() -> str:
    return "\n".join((STATIC / part).read_text(encoding="utf-8") for part in PARTS if (STATIC / part).exists())


@cache
def css() -> str:
    return (STATIC / "widgets.css").read_text(encoding="utf-8")
