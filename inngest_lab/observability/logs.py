"""Structured logs: ``--log-format json|text`` and ``--log-level`` (trace, debug, info, warn, error, as Inngest).

Every record made while a task processes a run's queue item carries ``run_id``, ``fn_id`` and ``trace_id``
(the run's derived trace id, ``context``), in JSON as keys and in text as a ``[run=… fn=… trace=…]`` suffix.
Secrets never reach a log line: the server masks event keys in paths and never logs headers; these
formatters add only the run's ids.
"""

from __future__ import annotations

import json
import logging
import sys
import time
from enum import StrEnum
from typing import TextIO

from inngest_lab.observability.context import CURRENT

TRACE = 5
HANDLER_NAME = "inngest-lab"
logging.addLevelName(TRACE, "TRACE")
LEVELS = {"trace": TRACE, "debug": logging.DEBUG, "info": logging.INFO, "warn": logging.WARNING, "error": logging.ERROR}
_LEVEL_NAMES = {TRACE: "trace", logging.WARNING: "warn", logging.CRITICAL: "error"}


class LogFormat(StrEnum):
    JSON = "json"
    TEXT = "text"


def parse_level(name: str) -> int:
    """``trace``, ``debug``, ``info``, ``warn`` (or ``warning``) or ``error``; ValueError names the choices."""
    key = name.strip().lower()
    key = "warn" if key == "warning" else key
    if key not in LEVELS:
        raise ValueError(f"unknown log level {name!r}; one of {', '.join(LEVELS)}")
    return LEVELS[key]


class RunFilter(logging.Filter):
    """Stamps each record with the run the current task works on (None outside a run)."""

    def filter(self, record: logging.LogRecord) -> bool:
        ctx = CURRENT.get()
        record.run_id = ctx.run_id if ctx else None
        record.fn_id = ctx.fn_id if ctx else None
        record.trace_id = ctx.trace_id if ctx else None
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object per line: ``time`` (RFC 3339, UTC), ``level``, ``logger``, ``msg``, the run's ids, ``error``."""

    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, object] = {
            "time": time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(record.created)) + f".{int(record.msecs):03d}Z",
            "level": _LEVEL_NAMES.get(record.levelno, record.levelname.lower()),
            "logger": record.name,
            "msg": record.getMessage(),
        }
        for key in ("run_id", "fn_id", "trace_id"):
            value = getattr(record, key, None)
            if value:
                line[key] = value
        if record.exc_info:
            line["error"] = self.formatException(record.exc_info)
        return json.dumps(line, ensure_ascii=False, default=str)


class TextFormatter(logging.Formatter):
    def __init__(self) -> None:
        super().__init__("%(asctime)s %(levelname)s %(name)s: %(message)s")

    def format(self, record: logging.LogRecord) -> str:
        text = super().format(record)
        run_id = getattr(record, "run_id", None)
        if not run_id:
            return text
        head, sep, tail = text.partition("\n")  # the ids go on the message line, before any traceback
        ids = f" [run={run_id} fn={getattr(record, 'fn_id', '')} trace={getattr(record, 'trace_id', '')}]"
        return head + ids + sep + tail


def make_handler(fmt: LogFormat, stream: TextIO | None = None) -> logging.Handler:
    """A handler writing ``fmt`` lines, each stamped with the current run's ids, to ``stream`` (stderr)."""
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.setFormatter(JsonFormatter() if fmt is LogFormat.JSON else TextFormatter())
    handler.addFilter(RunFilter())
    return handler


def configure(fmt: LogFormat, level: int, stream: TextIO | None = None) -> logging.Handler:
    """Install one root handler writing ``fmt`` lines at ``level`` to ``stream`` (replacing the one a previous call
    installed; handlers someone else added, e.g. a test runner's, stay)."""
    handler = make_handler(fmt, stream)
    handler.set_name(HANDLER_NAME)
    root = logging.getLogger()
    for old in [h for h in root.handlers if h.get_name() == HANDLER_NAME]:
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(level)
    return handler
