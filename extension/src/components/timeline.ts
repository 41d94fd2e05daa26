/**
 * The run timeline (Gantt): one row per step, nested rows for attempts, bars placed by time and
 * coloured by status, the hatched part of a bar being queue delay; click a row for its details.
 *
 * Host-agnostic: plain DOM from the server's timeline projection (`ITimeline`). Colours come from CSS
 * classes (`style/base.css`) built on JupyterLab's theme variables, with fallbacks for other hosts.
 */
import { IAttempt, ISpan, ITimeline } from '../tokens';
import { h } from './dom';
import { formatClock, formatDuration, formatJson } from './format';
import { icon } from './icons';

/** A stretch of time in epoch ms. */
export interface IWindow {
  start: number;
  end: number;
}

export interface ITimelineOptions {
  /** Id of the span whose details are shown. */
  selected?: string | null;
  /** Called when a row is clicked (with its span id). */
  onSelect?: (spanId: string | null) => void;
  /** Called by the Cancel button (shown while the run has not ended). */
  onCancel?: () => void;
  /** Called by the Rerun button (shown once the run has ended). */
  onRerun?: () => void;
  /** The zoomed-in window (null or absent: the whole run). */
  zoom?: IWindow | null;
  /** Called with the window to zoom into (drag across the axis, or the zoom buttons), null to reset. */
  onZoom?: (win: IWindow | null) => void;
  /** Extra controls under a selected step's details (the dashboard's "Rerun from this step"). */
  stepActions?: (span: ISpan) => HTMLElement | null;
}

/**
 * What a host keeps between draws of one run's timeline: the selected span and the zoom window. `options`
 * gives `renderTimeline` this state, with handlers that change it and call `redraw`, plus the host's own options.
 */
export class TimelineState {
  selected: string | null = null;
  zoom: IWindow | null = null;

  constructor(private readonly redraw: () => void) {}

  options(extra: ITimelineOptions = {}): ITimelineOptions {
    return {
      ...extra,
      selected: this.selected,
      zoom: this.zoom,
      onSelect: id => {
        this.selected = id;
        this.redraw();
      },
      onZoom: win => {
        this.zoom = win;
        this.redraw();
      }
    };
  }

  /** Back to the whole run with nothing selected (another run is shown). */
  reset(): void {
    this.selected = null;
    this.zoom = null;
  }
}

/** The time window the bars are drawn in: the run's, up to now while it is still going. */
export function timeWindow(t: ITimeline): IWindow {
  const start = t.queued_at_ms;
  let end = t.ended_at_ms ?? t.now_ms;
  for (const s of t.spans) {
    end = Math.max(end, s.started_at_ms ?? 0, s.ended_at_ms ?? 0);
    // A run still sleeping is drawn to the end of its sleep, so the bar shows how long is left.
    const until = s.detail?.['sleep_until_ms'];
    if (t.ended_at_ms === null && s.ended_at_ms === null && typeof until === 'number') {
      end = Math.max(end, until);
    }
  }
  return { start, end: Math.max(end, start + 1) };
}

/** A span's status as drawn: a queued step whose last attempt failed is waiting for its retry. Pure. */
export function shownStatus(span: Pick<ISpan, 'status' | 'attempts'>): string {
  const last = span.attempts[span.attempts.length - 1];
  return span.status === 'queued' && last?.status === 'errored' ? 'retrying' : span.status;
}

/** Left offset and width of [from, to] in percent of the window; at least a sliver so it shows. */
export function barGeometry(
  win: IWindow,
  from: number,
  to: number
): { left: number; width: number } {
  const span = win.end - win.start;
  const left = ((from - win.start) / span) * 100;
  const width = Math.max(((to - from) / span) * 100, 0.4);
  return { left: clamp(left, 0, 99.6), width: Math.min(width, 100 - clamp(left, 0, 99.6)) };
}

/** `win` scaled by `factor` around its middle (factor < 1 zooms in), kept inside `whole`. Pure. */
export function zoomWindow(win: IWindow, whole: IWindow, factor: number): IWindow | null {
  const mid = (win.start + win.end) / 2;
  const half = Math.max(((win.end - win.start) * factor) / 2, 1);
  const start = Math.max(whole.start, mid - half);
  const end = Math.min(whole.end, mid + half);
  return start <= whole.start && end >= whole.end ? null : { start, end };
}

export function renderTimeline(t: ITimeline, options: ITimelineOptions = {}): HTMLElement {
  const whole = timeWindow(t);
  const win = options.zoom ?? whole;
  const root = h('div', { class: 'inngest-lab-timeline', 'data-run-id': t.run_id, 'data-status': t.status });
  root.append(header(t, options));
  const zoom = zoomBar(win, whole, options);
  if (zoom) {
    root.append(zoom);
  }
  root.append(axis(win, t.queued_at_ms, options));
  const rows = h('div', { class: 'inngest-lab-timeline-rows' });
  rows.append(runRow(t, win));
  for (const span of t.spans) {
    rows.append(spanRow(span, win, t.now_ms, options));
    if (span.attempts.length > 1) {
      for (const a of span.attempts) {
        rows.append(attemptRow(span, a, win));
      }
    }
  }
  if (t.spans.length === 0) {
    rows.append(h('div', { class: 'inngest-lab-empty' }, 'No steps yet.'));
  }
  root.append(rows);
  const picked = t.spans.find(s => s.id === options.selected);
  root.append(picked ? spanDetail(picked, options.stepActions?.(picked) ?? null) : runDetail(t));
  root.append(legend());
  return root;
}

function header(t: ITimeline, options: ITimelineOptions): HTMLElement {
  const ended = t.ended_at_ms !== null;
  const took = (t.ended_at_ms ?? t.now_ms) - t.queued_at_ms;
  const cancel =
    !ended && options.onCancel
      ? h('button', { class: 'inngest-lab-button inngest-lab-cancel', type: 'button' }, 'Cancel run')
      : null;
  if (cancel && options.onCancel) {
    const onCancel = options.onCancel;
    cancel.addEventListener('click', () => onCancel());
  }
  const onRerun = options.onRerun;
  const rerun = ended && onRerun ? h('button', { class: 'inngest-lab-button inngest-lab-cancel', type: 'button' }, 'Rerun') : null;
  rerun?.addEventListener('click', () => onRerun?.());
  return h(
    'div',
    { class: 'inngest-lab-timeline-header' },
    h('span', { class: 'inngest-lab-fn' }, t.function_id),
    h('span', { class: `inngest-lab-status inngest-lab-status-${t.status.toLowerCase()}` }, t.status),
    h('span', { class: 'inngest-lab-muted' }, t.event_name ? `on ${t.event_name}` : ''),
    h('span', { class: 'inngest-lab-muted' }, `${ended ? 'took' : 'running for'} ${formatDuration(took)}`),
    h('span', { class: 'inngest-lab-muted inngest-lab-runid', title: 'Run ID' }, t.run_id),
    cancel,
    rerun
  );
}

function zoomBar(win: IWindow, whole: IWindow, options: ITimelineOptions): HTMLElement | null {
  const onZoom = options.onZoom;
  if (!onZoom) {
    return null;
  }
  const button = (label: string, factor: number | null, disabled: boolean) => {
    const b = h('button', { class: 'inngest-lab-button', type: 'button', disabled }, label);
    b.addEventListener('click', () => onZoom(factor === null ? null : zoomWindow(win, whole, factor)));
    return b;
  };
  const zoomed = win.start > whole.start || win.end < whole.end;
  return h(
    'div',
    { class: 'inngest-lab-zoom', title: 'Drag across the time axis to zoom into that stretch' },
    button('Zoom in', 0.5, win.end - win.start <= 2),
    button('Zoom out', 2, !zoomed),
    button('Reset zoom', null, !zoomed),
    zoomed ? h('span', { class: 'inngest-lab-muted' }, `showing ${formatDuration(win.end - win.start)} of ${formatDuration(whole.end - whole.start)}`) : null
  );
}

function axis(win: IWindow, origin: number, options: ITimelineOptions): HTMLElement {
  const track = h('div', { class: 'inngest-lab-track inngest-lab-axis-track' });
  const onZoom = options.onZoom;
  if (onZoom) {
    // Drag across the axis: the stretch between press and release becomes the window.
    track.addEventListener('mousedown', down => {
      const box = track.getBoundingClientRect();
      const at = (x: number) => win.start + ((x - box.left) / Math.max(box.width, 1)) * (win.end - win.start);
      const from = at(down.clientX);
      const up = (ev: MouseEvent) => {
        window.removeEventListener('mouseup', up);
        const to = at(ev.clientX);
        const [a, b] = from < to ? [from, to] : [to, from];
        if (b - a > (win.end - win.start) / 100) {
          onZoom({ start: Math.max(a, win.start), end: Math.min(b, win.end) });
        }
      };
      window.addEventListener('mouseup', up);
    });
  }
  for (const pct of [0, 25, 50, 75, 100]) {
    const at = (win.end - win.start) * (pct / 100);
    track.append(
      h(
        'span',
        { class: 'inngest-lab-tick', style: `left:${pct}%` },
        win.start + at === origin ? '0' : formatDuration(win.start + at - origin)
      )
    );
  }
  return h('div', { class: 'inngest-lab-timeline-axis' }, h('div', { class: 'inngest-lab-label' }), track);
}

function runRow(t: ITimeline, win: IWindow): HTMLElement {
  const end = t.ended_at_ms ?? t.now_ms;
  const track = h('div', { class: 'inngest-lab-track' });
  appendBar(track, bar(win, t.queued_at_ms, t.started_at_ms ?? end, end, t.status.toLowerCase(), 0));
  return h(
    'div',
    { class: 'inngest-lab-timeline-row inngest-lab-run-row', 'data-status': t.status.toLowerCase() },
    h(
      'div',
      { class: 'inngest-lab-label' },
      h('span', { class: 'inngest-lab-icon' }, icon('fn')),
      h('span', { class: 'inngest-lab-name' }, 'Run'),
      h('span', { class: 'inngest-lab-dur' }, formatDuration(end - t.queued_at_ms))
    ),
    track
  );
}

function spanRow(span: ISpan, win: IWindow, now: number, options: ITimelineOptions): HTMLElement {
  const end = span.ended_at_ms ?? now;
  const started = span.started_at_ms ?? end;
  const track = h('div', { class: 'inngest-lab-track' });
  const flowWait = Number(span.detail['flow_wait_ms'] ?? 0);
  const status = shownStatus(span);
  appendBar(track, bar(win, span.queued_at_ms, started, end, status, flowWait));
  const row = h(
    'div',
    {
      class: `inngest-lab-timeline-row${options.selected === span.id ? ' inngest-lab-selected' : ''}`,
      'data-span-id': span.id,
      'data-kind': span.kind,
      'data-status': status,
      title: `${span.name}: ${status.replace('_', ' ')}`
    },
    h(
      'div',
      { class: 'inngest-lab-label' },
      h('span', { class: 'inngest-lab-icon', title: span.kind }, icon(span.kind, span.kind)),
      h('span', { class: 'inngest-lab-name' }, span.name),
      span.attempts.length > 1 ? h('span', { class: 'inngest-lab-badge' }, `${span.attempts.length} attempts`) : null,
      h('span', { class: 'inngest-lab-dur' }, formatDuration(end - started))
    ),
    track
  );
  row.addEventListener('click', () => options.onSelect?.(options.selected === span.id ? null : span.id));
  return row;
}

function attemptRow(span: ISpan, a: IAttempt, win: IWindow): HTMLElement {
  const track = h('div', { class: 'inngest-lab-track' });
  appendBar(track, bar(win, a.queued_at_ms, a.started_at_ms, a.ended_at_ms, a.status, a.flow_wait_ms ?? 0));
  return h(
    'div',
    { class: 'inngest-lab-timeline-row inngest-lab-attempt-row', 'data-status': a.status, 'data-span-id': span.id },
    h(
      'div',
      { class: 'inngest-lab-label' },
      h('span', { class: 'inngest-lab-name' }, `attempt ${a.attempt + 1}`),
      h('span', { class: 'inngest-lab-dur' }, formatDuration(a.ended_at_ms - a.started_at_ms))
    ),
    track
  );
}

function appendBar(track: HTMLElement, el: HTMLElement | null): void {
  if (el) {
    track.append(el);
  }
}

/**
 * A bar: the queue-delay part (hatched; its last `flowWait` ms, when flow control held the step, drawn as a
 * flow-wait segment), then the execution part coloured by status. Null when it lies outside a zoomed window.
 */
function bar(win: IWindow, queued: number, started: number, ended: number, status: string, flowWait: number): HTMLElement | null {
  const stop = Math.max(ended, queued);
  if (stop < win.start || queued > win.end) {
    return null;
  }
  const from = Math.max(queued, win.start);
  const to = Math.min(stop, win.end);
  const whole = barGeometry(win, from, to);
  const el = h('div', {
    class: `inngest-lab-bar inngest-lab-bar-${status}`,
    style: `left:${whole.left}%;width:${whole.width}%`
  });
  const total = Math.max(to - from, 1);
  const wait = Math.min(Math.max(flowWait, 0), Math.max(started - queued, 0));
  const queueEnd = Math.min(Math.max(started - wait, from), to);
  const delay = queueEnd - from;
  if (delay > 0) {
    el.append(h('div', { class: 'inngest-lab-bar-queue', style: `width:${(delay / total) * 100}%`, title: `queued ${formatDuration(started - queued - wait)}` }));
  }
  const flowEnd = Math.min(Math.max(started, from), to);
  if (wait > 0 && flowEnd > queueEnd) {
    el.append(h('div', { class: 'inngest-lab-bar-flow', style: `width:${((flowEnd - queueEnd) / total) * 100}%`, title: `held by flow control ${formatDuration(wait)}` }));
  }
  return el;
}

function runDetail(t: ITimeline): HTMLElement {
  return h(
    'div',
    { class: 'inngest-lab-detail' },
    h('div', { class: 'inngest-lab-detail-title' }, 'Run'),
    facts([
      ['Function', t.function_id],
      ['Trigger', t.event_name ?? ''],
      ['Queued', formatClock(t.queued_at_ms)],
      ['Started', formatClock(t.started_at_ms)],
      ['Ended', formatClock(t.ended_at_ms)]
    ]),
    t.error ? errorBlock(t.error) : null,
    t.output !== null && t.output !== undefined ? jsonBlock('Output', t.output) : null,
    h('div', { class: 'inngest-lab-muted' }, 'Click a step for its output or error.')
  );
}

function spanDetail(s: ISpan, actions: HTMLElement | null): HTMLElement {
  const rows: [string, string][] = [
    ['Type', s.kind],
    ['Status', s.status.replace('_', ' ')],
    ['Queued', formatClock(s.queued_at_ms)],
    ['Started', formatClock(s.started_at_ms)],
    ['Ended', formatClock(s.ended_at_ms)]
  ];
  if (s.started_at_ms !== null) {
    rows.push(['Delay', formatDuration(s.started_at_ms - s.queued_at_ms)]);
  }
  for (const [key, value] of Object.entries(s.detail)) {
    if (value !== null && value !== undefined) {
      rows.push([key.replace(/_(at_)?ms$/, '').replace(/_/g, ' '), detailValue(key, value)]);
    }
  }
  return h(
    'div',
    { class: 'inngest-lab-detail', 'data-span-id': s.id },
    h('div', { class: 'inngest-lab-detail-title' }, s.name),
    facts(rows),
    s.input !== null && s.input !== undefined ? jsonBlock('Input', s.input) : null,
    s.error ? errorBlock(s.error) : null,
    s.output !== null && s.output !== undefined ? jsonBlock('Output', s.output) : null,
    ...s.attempts.filter(a => a.error).map(a => errorBlock(a.error, `Attempt ${a.attempt + 1}`)),
    actions
  );
}

/** A detail value: `*_at_ms` are instants, other `*_ms` durations, anything else as text. */
function detailValue(key: string, value: unknown): string {
  if (typeof value === 'number' && key.endsWith('_at_ms')) {
    return formatClock(value);
  }
  if (typeof value === 'number' && key.endsWith('_ms')) {
    return formatDuration(value);
  }
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}

function facts(rows: [string, string][]): HTMLElement {
  const dl = h('dl', { class: 'inngest-lab-facts' });
  for (const [k, v] of rows) {
    if (v) {
      dl.append(h('dt', {}, k), h('dd', {}, v));
    }
  }
  return dl;
}

function errorBlock(error: unknown, label = ''): HTMLElement {
  const e = (typeof error === 'object' && error !== null ? error : { message: String(error) }) as {
    name?: string;
    message?: string;
    stack?: string;
  };
  return h(
    'div',
    { class: 'inngest-lab-error' },
    h('div', { class: 'inngest-lab-error-title' }, `${label ? label + ': ' : ''}${e.name ?? 'Error'}: ${e.message ?? ''}`),
    e.stack ? h('pre', { class: 'inngest-lab-pre' }, e.stack) : null
  );
}

function jsonBlock(title: string, value: unknown): HTMLElement {
  return h('div', {}, h('div', { class: 'inngest-lab-muted' }, title), h('pre', { class: 'inngest-lab-pre' }, formatJson(value)));
}

function legend(): HTMLElement {
  const item = (status: string, label: string) =>
    h('span', { class: 'inngest-lab-legend-item' }, h('span', { class: `inngest-lab-swatch inngest-lab-bar-${status}` }), label);
  return h(
    'div',
    { class: 'inngest-lab-legend' },
    item('completed', 'completed'),
    item('failed', 'failed'),
    item('errored', 'retried'),
    item('running', 'running'),
    item('sleeping', 'sleeping / waiting'),
    item('cancelled', 'cancelled'),
    h('span', { class: 'inngest-lab-legend-item' }, h('span', { class: 'inngest-lab-swatch inngest-lab-bar-flow' }), 'held by flow control'),
    h('span', { class: 'inngest-lab-legend-item' }, h('span', { class: 'inngest-lab-swatch inngest-lab-bar-queue' }), 'queue delay')
  );
}

function clamp(v: number, lo: number, hi: number): number {
  return Math.min(Math.max(v, lo), hi);
}
