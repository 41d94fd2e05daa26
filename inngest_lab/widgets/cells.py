"""Re-running a notebook cell closes the live widgets its previous run created.

A widget left on a replaced output would keep following the engine (and sending updates to a view
nobody sees) for the rest of the session. IPython tells us which cell is about to run
(``pre_run_cell``, with the front end's cell id); widgets remember the cell that created them.
"""

from __future__ import annotations

import weakref
from typing import Any, Protocol


class Closable(Protocol):
    def close(self) -> None: ...


_running_cell: str | None = None
_by_cell: dict[str, list[weakref.ref[Closable]]] = {}


def track(widget: Closable) -> None:
    """Remember that the cell running now created ``widget`` (nothing outside a cell)."""
    if _running_cell is not None:
        _by_cell.setdefault(_running_cell, []).append(weakref.ref(widget))


def pre_run_cell(info: Any) -> None:
    """IPython's ``pre_run_cell`` event: close what this cell's previous run created."""
    global _running_cell
    _running_cell = getattr(info, "cell_id", None)
    if _running_cell is None:
        return
    for ref in _by_cell.pop(_running_cell, []):
        widget = ref()
        if widget is not None:
            widget.close()


def post_run_cell(_result: Any) -> None:
    """IPython's ``post_run_cell`` event: widgets made from now on (outside a cell) are nobody's."""
    global _running_cell
    _running_cell = None


def install(shell: Any) -> None:
    """Register both events with ``shell`` once."""
    for event, callback in (("pre_run_cell", pre_run_cell), ("post_run_cell", post_run_cell)):
        if callback not in shell.events.callbacks[event]:
            shell.events.register(event, callback)
