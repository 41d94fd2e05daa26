"""IPython display of engine records: a cell ending in a ``Run`` shows its live timeline, one ending
in an ``EventRecord`` (``await lab.event(id)``) the event and the runs it started.

The records stay plain dataclasses (the engine knows nothing of Jupyter); this module registers
mime-bundle formatters for them with the running IPython shell.
"""

from __future__ import annotations

from typing import Any

from inngest_lab.engine.model import EventRecord, Run
from inngest_lab.widgets import cells

Bundle = tuple[dict[str, Any], dict[str, Any]]


def _run_bundle(run: Run) -> Bundle:
    from inngest_lab.widgets.timeline import RunTimeline

    return RunTimeline(run)._repr_mimebundle_()


def _event_bundle(event: EventRecord) -> Bundle:
    from inngest_lab.widgets.tables import RunsTable

    return RunsTable(event=event)._repr_mimebundle_()


def register_formatters() -> bool:
    """Register the formatters (and the cell re-run cleanup) with the current IPython shell; False when
    there is none."""
    try:
        from IPython import get_ipython
    except ImportError:
        return False
    shell = get_ipython()
    if shell is None:
        return False
    formatter = shell.display_formatter.mimebundle_formatter
    formatter.for_type(Run, _run_bundle)
    formatter.for_type(EventRecord, _event_bundle)
    cells.install(shell)
    return True
