"""What a Lab does when it is created in an IPython kernel: say which engine and clock it uses, and make
runs and events display as widgets. Nothing happens outside IPython."""

from __future__ import annotations

import sys


def in_ipython() -> bool:
    """True inside an IPython kernel or shell."""
    ipython = sys.modules.get("IPython")
    return ipython is not None and getattr(ipython, "get_ipython", lambda: None)() is not None


def announce_in_ipython(mode: str) -> bool:
    """Print ``mode`` and register the widget formatters, in IPython only; returns whether it did."""
    if not in_ipython():
        return False
    print(f"inngest-lab: {mode}")
    # Imported here: the widgets need the optional Jupyter dependencies, the embedded engine does not.
    try:
        from inngest_lab.widgets import register_formatters
    except ImportError as exc:  # anywidget is not installed: runs display as text
        print(f"inngest-lab: widgets unavailable ({exc}); install inngest-lab[jupyter]")
        return True
    register_formatters()
    return True
