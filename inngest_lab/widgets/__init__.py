"""Jupyter widgets for inngest-lab (anywidget; the front end ships in ``static/``, no CDN, no build).

- ``RunTimeline(run)``: live Gantt view of one run, cancel and rerun buttons.
- ``RunsTable()``: recent runs, filterable, live status; a row opens its timeline.
- ``FunctionTable()``: registered functions, triggers, flow control, invoke.
- ``EventComposer()``: write, validate and send an event; see the runs it started.

Every widget reads through a ``WorkbenchSource`` (the ``Lab`` created last, unless one is passed).
DOM hooks for browser tests: ``.inngest-timeline`` (``data-run-id``, ``data-status``) with one
``.inngest-timeline-row`` per step (``data-step-name``, ``data-kind``, ``data-status``).
"""

from inngest_lab.widgets.formatters import register_formatters
from inngest_lab.widgets.timeline import RunTimeline

__all__ = ["RunTimeline", "register_formatters"]
