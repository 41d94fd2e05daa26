"""Static renderings of the view models: plain text and self-contained HTML.

They are what a notebook shows where widgets do not render (nbconvert output, GitHub, a terminal),
and what ``repr`` prints. Pure functions of the view model: same model, same bytes.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from html import escape
from typing import Any

from inngest_lab.engine.model import Json

COLOURS = {
    "completed": "#2e9a5b",
    "failed": "#d1413a",
    "errored": "#e08a2c",
    "retrying": "#e08a2c",
    "running": "#3b7ddd",
    "queued": "#9aa5b1",
    "sleeping": "#8a63d2",
    "waiting": "#c79b1a",
    "invoking": "#2a9fb0",
    "timed_out": "#b3893a",
    "cancelled": "#7b8794",
    "skipped": "#7b8794",
}


def fmt_duration(ms: int | None) -> str:
    """``1h 2m``, ``3m 4s``, ``5.2s``, ``17ms``; ``-`` for unknown."""
    if ms is None:
        return "-"
    if ms < 1000:
        return f"{ms}ms"
    if ms < 60_000:
        return f"{ms / 1000:.1f}s"
    s = ms // 1000
    d, s = divmod(s, 86_400)
    h, s = divmod(s, 3600)
    m, s = divmod(s, 60)
    parts = [(d, "d"), (h, "h"), (m, "m"), (s, "s")]
    shown = [f"{v}{u}" for v, u in parts if v][:2]
    return " ".join(shown)


def fmt_time(ms: int | None) -> str:
    if ms is None:
        return "-"
    return datetime.fromtimestamp(ms / 1000, UTC).strftime("%Y-%m-%d %H:%M:%S") + f".{ms % 1000:03d} UTC"


def _offset(ms: int | None, start: int) -> str:
    return "-" if ms is None else "+" + fmt_duration(ms - start)


def _span_ms(span: Mapping[str, Any], now: int) -> int | None:
    start: int | None = span.get("started_at_ms")
    if start is None:
        return None
    end: int | None = span.get("ended_at_ms")
    return (end if end is not None else now) - start


def error_line(error: Json) -> str:
    if isinstance(error, Mapping):
        return f"{error.get('name') or 'Error'}: {error.get('message') or error.get('error') or ''}".strip()
    return "" if error is None else str(error)


def short_json(value: Json, limit: int = 80) -> str:
    text = json.dumps(value, default=str, sort_keys=True)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _result(span: Mapping[str, Any]) -> str:
    output = span.get("output")
    if span.get("error") is not None:
        return error_line(span["error"])
    if span.get("kind") == "wait" and isinstance(output, Mapping):  # the matched event: its name and data
        return f"{output.get('name')} {short_json(output.get('data'), 50)}"
    if output is not None:
        return short_json(output, 60)
    return ""


def _window(view: Mapping[str, Any]) -> tuple[int, int]:
    """The drawing window: from queueing to the end (or now, or the end of a pending sleep)."""
    start, now = view["queued_at_ms"], view["now_ms"]
    ends = [view["ended_at_ms"] if view["ended_at_ms"] is not None else now]
    for span in view["spans"]:
        ends.extend(t for t in (span["started_at_ms"], span["ended_at_ms"]) if t is not None)
        until = span.get("detail", {}).get("sleep_until_ms")
        if view["ended_at_ms"] is None and span["ended_at_ms"] is None and isinstance(until, int):
            ends.append(until)
    return start, max(start, *ends)


def timeline_text(view: Mapping[str, Any]) -> str:
    """A run as a few lines of text: the run, then one line per span with offset, duration and result."""
    now, start = view["now_ms"], view["queued_at_ms"]
    total = (view["ended_at_ms"] if view["ended_at_ms"] is not None else now) - start
    lines = [f"Run {view['run_id']} · {view['function_id']} · {view['status']} · {fmt_duration(total)}"]
    for span in view["spans"]:
        tries = len(span["attempts"])
        retry = f" ({tries} attempts)" if tries > 1 else ""
        lines.append(
            f"  {span['kind']:<6} {span['name']:<24} {span['status']:<9} {_offset(span['started_at_ms'], start):>9} "
            f"{fmt_duration(_span_ms(span, now)):>8}{retry}  {_result(span)}".rstrip()
        )
    if view["error"] is not None:
        lines.append(f"  error: {error_line(view['error'])}")
    elif view["status"] == "Completed":
        lines.append(f"  output: {short_json(view['output'])}")
    return "\n".join(lines)


def _bar(span: Mapping[str, Any], window: tuple[int, int], now: int) -> str:
    start, end = window
    width = max(end - start, 1)
    s = span["started_at_ms"] if span["started_at_ms"] is not None else span["queued_at_ms"]
    e = span["ended_at_ms"] if span["ended_at_ms"] is not None else now
    left = 100 * (min(max(s, start), end) - start) / width
    size = max(100 * (min(max(e, start), end) - max(s, start)) / width, 0.5)
    colour = COLOURS.get(span["status"], "#9aa5b1")
    return (
        f'<div style="position:relative;height:10px;width:160px;background:rgba(127,127,127,.12);border-radius:2px">'
        f'<div style="position:absolute;left:{left:.1f}%;width:{min(size, 100 - left):.1f}%;min-width:2px;'
        f'height:10px;border-radius:2px;background:{colour}"></div></div>'
    )


def timeline_html(view: Mapping[str, Any]) -> str:
    """Self-contained HTML (inline styles only) of a run's timeline, for outputs where widgets don't render."""
    now, start = view["now_ms"], view["queued_at_ms"]
    window = _window(view)
    total = (view["ended_at_ms"] if view["ended_at_ms"] is not None else now) - start
    colour = COLOURS.get(view["status"].lower(), "#9aa5b1")
    head = (
        f'<div class="inngest-timeline-static" style="font-family:sans-serif;font-size:12px">'
        f"<div><b>{escape(view['function_id'])}</b> "
        f'<span style="color:{colour};font-weight:bold">{escape(view["status"])}</span> '
        f"· {fmt_duration(total)} · run <code>{escape(view['run_id'])}</code></div>"
    )
    cells = []
    for span in view["spans"]:
        tries = len(span["attempts"])
        result = _result(span)
        cells.append(
            "<tr>"
            f"<td>{escape(span['kind'])}</td><td>{escape(span['name'])}</td>"
            f'<td style="color:{COLOURS.get(span["status"], "inherit")}">{escape(span["status"])}</td>'
            f"<td>{_offset(span['started_at_ms'], start)}</td><td>{fmt_duration(_span_ms(span, now))}</td>"
            f"<td>{tries if tries > 1 else ''}</td>"
            f"<td>{_bar(span, window, now)}</td><td>{f'<code>{escape(result)}</code>' if result else ''}</td>"
            "</tr>"
        )
    table = (
        '<table style="border-collapse:collapse"><thead><tr><th>kind</th><th>step</th><th>status</th>'
        "<th>start</th><th>duration</th><th>attempts</th><th>timeline</th><th>result</th></tr></thead>"
        f"<tbody>{''.join(cells)}</tbody></table>"
    )
    tail = ""
    if view["error"] is not None:
        tail = f"<div>error: <code>{escape(error_line(view['error']))}</code></div>"
    elif view["status"] == "Completed":
        tail = f"<div>output: <code>{escape(short_json(view['output']))}</code></div>"
    return head + table + tail + "</div>"


def rows_text(headers: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    """A fixed-width text table."""
    widths = [max(len(h), *(len(r[i]) for r in rows)) if rows else len(h) for i, h in enumerate(headers)]
    out = ["  ".join(h.ljust(w) for h, w in zip(headers, widths, strict=True)).rstrip()]
    out += ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip() for r in rows]
    return "\n".join(out)


def rows_html(headers: Sequence[str], rows: Sequence[Sequence[str]], css_class: str) -> str:
    head = "".join(f"<th>{escape(h)}</th>" for h in headers)
    body = "".join("<tr>" + "".join(f"<td>{escape(c)}</td>" for c in r) + "</tr>" for r in rows)
    return f'<table class="{css_class}"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'


def realtime_text(view: Mapping[str, Any]) -> str:
    """A run's realtime messages (``RealtimeLog.view()``) as text: a count, then the last ten."""
    count = len(view["messages"]) + view["dropped"]
    lines = [f"realtime run {view['run_id']}: {count} messages{' · run ended' if view['done'] else ''}"]
    lines += [f"  {m.get('channel')}/{m.get('topic')}: {short_json(m.get('data'))}" for m in view["messages"][-10:]]
    return "\n".join(lines)


def realtime_html(view: Mapping[str, Any]) -> str:
    """Self-contained HTML of a run's realtime messages: the progress reached and the rows received so far."""
    count = len(view["messages"]) + view["dropped"]
    state = "run ended" if view["done"] else "live"
    head = f"<div><b>Realtime</b> · run <code>{escape(view['run_id'])}</code> · {count} messages · {state}</div>"
    bar = ""
    if view["progress"] is not None:
        bar = f'<div><progress value="{view["progress"]:.3f}" max="1" style="width:100%"></progress></div>'
    skipped = f"<div>… {view['dropped']} older messages not shown</div>" if view["dropped"] else ""
    rows = "".join(
        f"<tr><td>{escape(str(m.get('created_at', '')))}</td>"
        f"<td>{escape(str(m.get('channel')))}</td><td>{escape(str(m.get('topic')))}</td>"
        f"<td><code>{escape(short_json(m.get('data'), 160))}</code></td></tr>"
        for m in view["messages"]
    )
    return (
        f'<div class="inngest-realtime-static" style="font-family:sans-serif;font-size:12px;margin-top:8px">'
        f'{head}{bar}{skipped}<table style="border-collapse:collapse">'
        f"<thead><tr><th>at</th><th>channel</th><th>topic</th><th>data</th></tr></thead><tbody>{rows}</tbody></table></div>"
    )
