// RunTimeline: a Gantt view of one run, drawn from the view model of inngest_lab/workbench/timeline.py.
// Stable hooks for tests: .inngest-timeline (root, data-run-id, data-status), one .inngest-timeline-row
// per step (data-step-name, data-kind, data-status), .inngest-timeline-attempt per attempt.

const KIND_ICON = { run: "▶", sleep: "☾", wait: "✉", invoke: "↗", call: "ƒ" };

/** Position of [from, to] inside the window, in percent. */
function spanPct(from, to, win) {
  if (to < win.start || from > win.end) return null; // outside a zoomed window
  const width = Math.max(win.end - win.start, 1);
  const clamp = (t) => Math.min(Math.max(t, win.start), win.end);
  const left = (100 * (clamp(from) - win.start)) / width;
  const right = (100 * (clamp(to) - win.start)) / width;
  return { left, width: Math.max(right - left, 0) };
}

/** Add one segment [from, to] of class `cls` to a bar's track (nothing when it is outside the window). */
function segment(track, from, to, cls, win) {
  const pos = spanPct(from, to, win);
  if (pos) track.append(h("div", { class: `inngest-bar ${cls}`, style: `left:${pos.left}%;width:${pos.width}%` }));
}

/** One bar: a queue-delay segment (due → started) then the execution or waiting segment. */
function bar(queued, started, ended, status, win, title, flowWait = 0) {
  const track = h("div", { class: "inngest-timeline-track", title });
  if (started !== null && started !== undefined && queued < started) segment(track, queued, started, "inngest-bar-queue", win);
  if (started !== null && started !== undefined && flowWait > 0) segment(track, started - flowWait, started, "inngest-bar-flow", win);
  segment(track, started === null || started === undefined ? queued : started, ended, `inngest-s-${status}`, win);
  return track;
}

const TERMINAL = new Set(["completed", "failed", "cancelled", "skipped"]);
const KIND_LABEL = { run: "step.run", sleep: "step.sleep", wait: "step.wait_for_event", invoke: "step.invoke", call: "function call" };
const DETAIL_LABEL = {
  sleep_until_ms: "Sleep until", timeout_at_ms: "Timeout at", event: "Event", expression: "If",
  function_id: "Function", matched_event_id: "Matched event", retry_at_ms: "Retry at", status: "HTTP status",
  delayed_by: "Delayed by", flow_wait_ms: "Waited for a slot",
};

/** A span's status as drawn: an errored last attempt with another one due reads "retrying". */
function shownStatus(span) {
  const last = span.attempts[span.attempts.length - 1];
  return span.status === "queued" && last && last.status === "errored" ? "retrying" : span.status;
}

/** The drawing window: queueing to the end of the run, or to now / a pending sleep's end. */
function timelineWindow(data, now) {
  let end = data.ended_at_ms ?? now;
  for (const s of data.spans) {
    for (const t of [s.started_at_ms, s.ended_at_ms]) if (t !== null && t !== undefined) end = Math.max(end, t);
    const until = s.detail && s.detail.sleep_until_ms;
    if (data.ended_at_ms === null && s.ended_at_ms === null && typeof until === "number") end = Math.max(end, until);
  }
  return { start: data.queued_at_ms, end: Math.max(end, data.queued_at_ms) };
}

/** Drag across the time axis to zoom into that stretch of the run (Reset zoom goes back). */
function brush(down, ticks, win, state, act) {
  down.preventDefault();
  const rect = ticks.getBoundingClientRect();
  const shade = h("div", { class: "inngest-brush" });
  ticks.append(shade);
  const fractions = (x) => [Math.min(down.clientX, x), Math.max(down.clientX, x)].map((v) => Math.min(Math.max((v - rect.left) / rect.width, 0), 1));
  const move = (ev) => {
    const [a, b] = fractions(ev.clientX);
    shade.style.left = `${a * 100}%`;
    shade.style.width = `${(b - a) * 100}%`;
  };
  const up = (ev) => {
    window.removeEventListener("pointermove", move);
    window.removeEventListener("pointerup", up);
    const [a, b] = fractions(ev.clientX);
    const span = win.end - win.start;
    if (b - a > 0.01 && span > 1) state.zoom = { start: win.start + span * a, end: win.start + span * b };
    act.redraw();
  };
  window.addEventListener("pointermove", move);
  window.addEventListener("pointerup", up);
}

/** A step's bar with every attempt on it: each one's queue delay (backoff for retries), then its execution. */
function attemptsBar(span, status, win, now, title) {
  if (span.attempts.length < 2) return null;
  const track = h("div", { class: "inngest-timeline-track", title });
  let previousEnd = null;
  for (const a of span.attempts) {
    const waitFrom = previousEnd ?? a.queued_at_ms;  // after a failed attempt: the backoff, then queue delay
    previousEnd = a.ended_at_ms;
    if (waitFrom < a.started_at_ms) segment(track, waitFrom, a.started_at_ms, "inngest-bar-queue", win);
    if (a.flow_wait_ms > 0) segment(track, a.started_at_ms - a.flow_wait_ms, a.started_at_ms, "inngest-bar-flow", win);
    segment(track, a.started_at_ms, a.ended_at_ms ?? now, `inngest-s-${a.status}`, win);
  }
  const last = span.attempts[span.attempts.length - 1];
  if (status === "retrying" && last.ended_at_ms !== null) segment(track, last.ended_at_ms, now, "inngest-bar-queue", win);
  return track;
}

/** Detail panel of a selected row (a step, an attempt or the run). */
function detailPanel(sel, now) {
  const end = sel.ended_at_ms ?? null;
  const started = sel.started_at_ms ?? null;
  const facts = [
    ["Type", sel.kindLabel], ["Status", pill(sel.status)], ["Queued", fmtTime(sel.queued_at_ms)],
    ["Started", fmtTime(started)], ["Ended", fmtTime(end)],
    ["Queue delay", started === null ? "-" : fmtDuration(started - sel.queued_at_ms)],
    ["Duration", started === null ? "-" : fmtDuration((end ?? now) - started)],
  ];
  for (const [key, value] of Object.entries(sel.detail || {})) {
    if (value === null || value === undefined) continue;
    const isTime = key.endsWith("_at_ms") || key.endsWith("until_ms");
    facts.push([DETAIL_LABEL[key] || key, isTime ? fmtTime(value) : key.endsWith("_ms") ? fmtDuration(value) : String(value)]);
  }
  if (sel.attempts && sel.attempts.length > 1) facts.push(["Attempts", String(sel.attempts.length)]);
  return h("div", { class: "inngest-timeline-detail", "data-testid": "inngest-timeline-detail" },
    h("div", { class: "inngest-detail-title" }, sel.name),
    h("dl", { class: "inngest-facts" }, facts.flatMap(([k, v]) => [h("dt", {}, k), h("dd", {}, v)])),
    sel.input !== null && sel.input !== undefined ? h("div", {}, h("div", { class: "inngest-label" }, "Input"), jsonBlock(sel.input)) : null,
    sel.output !== null && sel.output !== undefined ? h("div", {}, h("div", { class: "inngest-label" }, "Output"), jsonBlock(sel.output)) : null,
    sel.error ? h("div", {}, h("div", { class: "inngest-label" }, "Error"), errorBlock(sel.error)) : null);
}

/**
 * Draw a timeline view model (inngest_lab/engine/timeline.py) into a new element.
 * `state` keeps the selection and expanded rows across redraws.
 * @param {any} data @param {{selected: string|null, expanded: Set<string>, zoom: {start: number, end: number}|null}} state
 * @param {{cancel: ((id: string) => void) | null, rerun: ((id: string) => void) | null, redraw: () => void, now: number}} act
 */
function drawTimeline(data, state, act) {
  const status = data.status.toLowerCase();
  const terminal = TERMINAL.has(status);
  const now = terminal ? data.now_ms : act.now;
  const win = state.zoom || timelineWindow(data, now);
  const runEnd = data.ended_at_ms ?? now;
  const root = h("div", {
    class: "inngest-timeline", "data-testid": "inngest-timeline", "data-run-id": data.run_id, "data-status": status,
  });
  const select = (id) => { state.selected = state.selected === id ? null : id; act.redraw(); };
  const toggle = (id, ev) => {
    ev.stopPropagation();
    if (state.expanded.has(id)) state.expanded.delete(id); else state.expanded.add(id);
    act.redraw();
  };
  root.append(h("div", { class: "inngest-timeline-header" },
    h("span", { class: "inngest-fn" }, data.function_id), pill(status),
    h("span", { class: "inngest-muted" }, fmtDuration(runEnd - data.queued_at_ms)),
    h("span", { class: "inngest-muted inngest-mono", title: "run id" }, data.run_id),
    data.event_name ? h("span", { class: "inngest-muted" }, `⚡ ${data.event_name}`) : null,
    h("span", { class: "inngest-spacer" }),
    state.zoom ? h("button", { class: "inngest-btn", "data-testid": "inngest-zoom-reset",
      onclick: () => { state.zoom = null; act.redraw(); } }, "Reset zoom") : null,
    act.cancel ? h("button", { class: "inngest-btn inngest-cancel", "data-testid": "inngest-cancel", disabled: terminal,
      onclick: () => act.cancel(data.run_id) }, "Cancel") : null,
    act.rerun ? h("button", { class: "inngest-btn inngest-rerun", "data-testid": "inngest-rerun", disabled: !terminal,
      onclick: () => act.rerun(data.run_id) }, "Rerun") : null));

  const ticks = h("div", { class: "inngest-timeline-ticks", title: "drag to zoom" });
  ticks.addEventListener("pointerdown", (down) => brush(down, ticks, win, state, act));
  for (const pct of [0, 25, 50, 75, 100]) {
    ticks.append(h("span", { class: "inngest-tick", style: `left:${pct}%` }, `+${fmtDuration(win.start - data.queued_at_ms + ((win.end - win.start) * pct) / 100)}`));
  }
  const grid = h("div", { class: "inngest-timeline-grid" },
    h("div", { class: "inngest-timeline-axis" }, h("div", { class: "inngest-timeline-label" }), ticks));

  let selected = null;
  if (state.selected === "@run") {
    selected = {
      kindLabel: "Function run", name: data.function_id, status, queued_at_ms: data.queued_at_ms,
      started_at_ms: data.started_at_ms, ended_at_ms: data.ended_at_ms, output: data.output, error: data.error,
      input: data.trigger ? (data.trigger.count > 1 ? data.trigger : data.trigger.event) : null,
    };
  }
  grid.append(h("div", { class: "inngest-timeline-run", "data-selected": state.selected === "@run", onclick: () => select("@run") },
    h("div", { class: "inngest-timeline-label" }, h("span", { class: "inngest-toggle" }), h("span", { class: "inngest-icon" }, "ƒ"),
      h("span", { class: "inngest-name" }, "Run"), h("span", { class: "inngest-dur" }, fmtDuration(runEnd - data.queued_at_ms))),
    bar(data.queued_at_ms, data.started_at_ms, runEnd, status, win,
      `queue delay ${fmtDuration((data.started_at_ms ?? now) - data.queued_at_ms)}, total ${fmtDuration(runEnd - data.queued_at_ms)}`)));

  for (const span of data.spans) {
    const st = shownStatus(span);
    const until = span.detail && span.detail.sleep_until_ms;
    const end = span.ended_at_ms ?? (st === "sleeping" && typeof until === "number" ? until : now);
    const dur = span.started_at_ms === null ? null : (span.ended_at_ms ?? now) - span.started_at_ms;
    const many = span.attempts.length > 1;
    const open = state.expanded.has(span.id);
    const delay = fmtDuration((span.started_at_ms ?? now) - span.queued_at_ms);
    const title = `${span.name}: ${STATUS_LABEL[st] || st}, queue delay ${delay}, duration ${fmtDuration(dur)}`;
    grid.append(h("div", {
      class: "inngest-timeline-row", "data-testid": "inngest-timeline-row", "data-step-name": span.name,
      "data-kind": span.kind, "data-status": st, "data-selected": state.selected === span.id, onclick: () => select(span.id),
    },
      h("div", { class: "inngest-timeline-label" },
        h("span", { class: "inngest-toggle", onclick: many ? (ev) => toggle(span.id, ev) : undefined }, many ? (open ? "▾" : "▸") : ""),
        h("span", { class: "inngest-icon", title: KIND_LABEL[span.kind] || span.kind }, KIND_ICON[span.kind] || "•"),
        h("span", { class: "inngest-name" }, span.name),
        many ? h("span", { class: "inngest-muted" }, `×${span.attempts.length}`) : null,
        h("span", { class: "inngest-dur" }, fmtDuration(dur))),
      attemptsBar(span, st, win, now, title) ||
        bar(span.queued_at_ms, span.started_at_ms, end, st, win, title, (span.detail && span.detail.flow_wait_ms) || 0)));
    if (state.selected === span.id) selected = { ...span, status: st, kindLabel: KIND_LABEL[span.kind] || span.kind };
    if (!open) continue;
    for (const a of span.attempts) {
      const id = `${span.id}#${a.attempt}`;
      grid.append(h("div", { class: "inngest-timeline-attempt", "data-status": a.status, "data-selected": state.selected === id, onclick: () => select(id) },
        h("div", { class: "inngest-timeline-label inngest-nested" }, `attempt ${a.attempt + 1}`,
          h("span", { class: "inngest-dur" }, fmtDuration((a.ended_at_ms ?? now) - a.started_at_ms))),
        bar(a.queued_at_ms, a.started_at_ms, a.ended_at_ms ?? now, a.status, win, `attempt ${a.attempt + 1}: ${STATUS_LABEL[a.status] || a.status}`)));
      if (state.selected === id) {
        selected = { ...a, kindLabel: "Attempt", name: `${span.name}, attempt ${a.attempt + 1}`, output: a.status === "completed" ? span.output : null };
      }
    }
  }
  if (!data.spans.length) grid.append(h("div", { class: "inngest-muted inngest-empty" }, terminal ? "no steps" : "waiting for the first step…"));
  root.append(grid);
  root.append(h("div", { class: "inngest-legend" },
    h("span", {}, h("i", { class: "inngest-bar-queue" }), "waiting to run (queue delay, retry backoff)"),
    h("span", {}, h("i", { class: "inngest-bar-flow" }), "held by concurrency"),
    ...["completed", "running", "retrying", "failed", "sleeping", "waiting", "cancelled"].map((s) =>
      h("span", {}, h("i", { class: `inngest-s-${s}` }), STATUS_LABEL[s]))));
  if (selected) root.append(detailPanel(selected, now));
  return root;
}

/**
 * Bind a timeline to a model trait; redraws on change and ticks while a real-clock run is in progress.
 * @param {any} model @param {HTMLElement} el @param {string} trait
 */
function bindTimeline(model, el, trait) {
  const state = { selected: null, expanded: new Set(), zoom: null };
  const host = h("div", { class: "inngest-timeline-host" });
  el.append(host);
  let received = Date.now();
  let timer = null;
  const redraw = () => {
    const data = model.get(trait);
    host.replaceChildren();
    if (!data || !data.run_id) return;
    const live = !TERMINAL.has(data.status.toLowerCase()) && !model.get("fake_clock") && !model.get("static");
    const now = live ? data.now_ms + (Date.now() - received) : data.now_ms;
    host.append(drawTimeline(data, state, {
      now,
      redraw,
      cancel: model.get("static") ? null : (id) => command(model, { type: "cancel", run_id: id }),
      rerun: model.get("static") ? null : (id) => command(model, { type: "rerun", run_id: id }),
    }));
    if (live && timer === null) timer = setInterval(redraw, 500);
    if (!live && timer !== null) { clearInterval(timer); timer = null; }
  };
  let shownRun = null;
  const changed = () => {
    const runId = (model.get(trait) || {}).run_id || null;
    if (runId !== shownRun) Object.assign(state, { selected: null, expanded: new Set(), zoom: null });
    shownRun = runId;
    received = Date.now();
    redraw();
  };
  model.on(`change:${trait}`, changed);
  changed();
  return () => {
    model.off(`change:${trait}`, changed);
    if (timer !== null) clearInterval(timer);
  };
}
