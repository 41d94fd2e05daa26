"""Jupyter widgets for inngest-lab (anywidget; the front end is built from extension/src/widget by the install).

- ``RunTimeline(run)``: live Gantt view of one run, cancel and rerun buttons.
- ``RunsTable()``: recent runs, filterable, live status; a row opens its timeline.
- ``FunctionTable()``: registered functions, triggers, flow control, invoke.
- ``EventComposer()``: write, validate and send an event; see the runs it started.

Every widget reads through a ``WorkbenchSource`` (the ``Lab`` created last, unless one is passed).
DOM hooks for browser tests: ``.inngest-timeline`` (``data-run-id``, ``data-status``) with one
``.inngest-timeline-row`` per step (``data-step-name``, ``data-kind``, ``data-status``);
``.inngest-run-row`` per listed run (``data-run-id``); ``.inngest-function-row`` (``data-fn-id``).
A timeline's realtime pane: ``[data-testid=inngest-realtime]`` with ``[data-testid=inngest-rt-row]`` per message
and ``[data-testid=inngest-rt-progress]`` (``aria-valuenow`` in percent).
"""

from inngest_lab.widgets.composer import EventComposer
from inngest_lab.widgets.formatters import register_formatters
from inngest_lab.widgets.tables import FunctionTable, RunsTable
from inngest_lab.widgets.timeline import RunTimeline, TimelineSnapshot

__all__ = ["EventComposer", "FunctionTable", "RunTimeline", "RunsTable", "TimelineSnapshot", "register_formatters"]
