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

export interface ITimelineOptions {
  /** Id of the span whose details are shown. */
  selected?: string | null;
  /** Called when a row is clicked (with its span id). */
  onSelect?: (spanId: string | null) => void;
  /** Called by the Cancel button (shown while the run has not ended). */
  onCancel?: () => void;
}

const KIND_ICON: Record<string, string> = {
  run: '▶',
  sleep: '⏾',
  wait: '✉',
  invoke: '↗',
  call: '⚠'
};

/** The time window the bars are drawn in: the run's, up to now while it is still going. */
export function timeWindow(t: ITimeline): { start: number; end: number } {
  const start = t.queued_at_ms;
  let end = t.ended_at_ms ?? t.now_ms;
  for (const s of t.spans) {
    end = Math.max(end, s.ended_at_ms ?? 0);
  }
  return { start, end: Math.max(end, start + 1) };
}

/** Left offset and width of [from, to] in percent of the window; at least a sliver so it shows. */
export function barGeometry(
  win: { start: number; end: number },
  from: number,
  to: number
): { left: number; width: number } {
  const span = win.end - win.start;
  const left = ((from - win.start) / span) * 100;
  const width = Math.max(((to - from) / span) * 100, 0.4);
  return { left: clamp(left, 0, 99.6), width: Math.min(width, 100 - clamp(left, 0, 99.6)) };
}

export function renderTimeline(t: ITimeline, options: ITimelineOptions = {}): HTMLElement {
  const win = timeWindow(t);
  const root = h('div', { class: 'inngest-lab-timeline', 'data-run-id': t.run_id, 'data-status': t.status });
  root.append(header(t, options));
  root.append(axis(win));
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
  root.append(picked ? spanDetail(picked) : runDetail(t));
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
  return h(
    'div',
    { class: 'inngest-lab-timeline-header' },
    h('span', { class: 'inngest-lab-fn' }, t.function_id),
    h('span', { class: `inngest-lab-status inngest-lab-status-${t.status.toLowerCase()}` }, t.status),
    h('span', { class: 'inngest-lab-muted' }, t.event_name ? `on ${t.event_name}` : ''),
    h('span', { class: 'inngest-lab-muted' }, `${ended ? 'took' : 'running for'} ${formatDuration(took)}`),
    h('span', { class: 'inngest-lab-muted inngest-lab-runid', title: 'Run ID' }, t.run_id),
    cancel
  );
}

function axis(win: { start: number; end: number }): HTMLElement {
  const track = h('div', { class: 'inngest-lab-track' });
  for (const pct of [0, 25, 50, 75, 100]) {
    const at = (win.end - win.start) * (pct / 100);
    track.append(
      h(
        'span',
        { class: 'inngest-lab-tick', style: `left:${pct}%` },
        pct === 0 ? '0' : formatDuration(at)
      )
    );
  }
  return h('div', { class: 'inngest-lab-timeline-axis' }, h('div', { class: 'inngest-lab-label' }), track);
}

function runRow(t: ITimeline, win: { start: number; end: number }): HTMLElement {
  const end = t.ended_at_ms ?? t.now_ms;
  const track = h('div', { class: 'inngest-lab-track' });
  track.append(bar(win, t.queued_at_ms, t.started_at_ms ?? end, end, t.status.toLowerCase()));
  return h(
    'div',
    { class: 'inngest-lab-timeline-row inngest-lab-run-row', 'data-status': t.status.toLowerCase() },
    h(
      'div',
      { class: 'inngest-lab-label' },
      h('span', { class: 'inngest-lab-icon' }, 'ƒ'),
      h('span', { class: 'inngest-lab-name' }, 'Run'),
      h('span', { class: 'inngest-lab-dur' }, formatDuration(end - t.queued_at_ms))
    ),
    track
  );
}

function spanRow(span: ISpan, win: { start: number; end: number }, now: number, options: ITimelineOptions): HTMLElement {
  const end = span.ended_at_ms ?? now;
  const started = span.started_at_ms ?? end;
  const track = h('div', { class: 'inngest-lab-track' });
  track.append(bar(win, span.queued_at_ms, started, end, span.status));
  const row = h(
    'div',
    {
      class: `inngest-lab-timeline-row${options.selected === span.id ? ' inngest-lab-selected' : ''}`,
      'data-span-id': span.id,
      'data-kind': span.kind,
      'data-status': span.status,
      title: `${span.name}: ${span.status.replace('_', ' ')}`
    },
    h(
      'div',
      { class: 'inngest-lab-label' },
      h('span', { class: 'inngest-lab-icon' }, KIND_ICON[span.kind] ?? '•'),
      h('span', { class: 'inngest-lab-name' }, span.name),
      span.attempts.length > 1 ? h('span', { class: 'inngest-lab-badge' }, `${span.attempts.length} attempts`) : null,
      h('span', { class: 'inngest-lab-dur' }, formatDuration(end - started))
    ),
    track
  );
  row.addEventListener('click', () => options.onSelect?.(options.selected === span.id ? null : span.id));
  return row;
}

function attemptRow(span: ISpan, a: IAttempt, win: { start: number; end: number }): HTMLElement {
  const track = h('div', { class: 'inngest-lab-track' });
  track.append(bar(win, a.queued_at_ms, a.started_at_ms, a.ended_at_ms, a.status));
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

/** A bar: the hatched queue-delay part, then the execution part coloured by status. */
function bar(win: { start: number; end: number }, queued: number, started: number, ended: number, status: string): HTMLElement {
  const whole = barGeometry(win, queued, Math.max(ended, queued));
  const el = h('div', {
    class: `inngest-lab-bar inngest-lab-bar-${status}`,
    style: `left:${whole.left}%;width:${whole.width}%`
  });
  const total = Math.max(ended - queued, 1);
  const delay = Math.min(Math.max(started - queued, 0), total);
  if (delay > 0) {
    el.append(h('div', { class: 'inngest-lab-bar-queue', style: `width:${(delay / total) * 100}%`, title: `queued ${formatDuration(delay)}` }));
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

function spanDetail(s: ISpan): HTMLElement {
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
      rows.push([key.replace(/_/g, ' '), key.endsWith('_ms') ? formatClock(value as number) : String(value)]);
    }
  }
  return h(
    'div',
    { class: 'inngest-lab-detail', 'data-span-id': s.id },
    h('div', { class: 'inngest-lab-detail-title' }, s.name),
    facts(rows),
    s.error ? errorBlock(s.error) : null,
    s.output !== null && s.output !== undefined ? jsonBlock('Output', s.output) : null
  );
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

function errorBlock(error: unknown): HTMLElement {
  const e = (typeof error === 'object' && error !== null ? error : { message: String(error) }) as {
    name?: string;
    message?: string;
    stack?: string;
  };
  return h(
    'div',
    { class: 'inngest-lab-error' },
    h('div', { class: 'inngest-lab-error-title' }, `${e.name ?? 'Error'}: ${e.message ?? ''}`),
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
    h('span', { class: 'inngest-lab-legend-item' }, h('span', { class: 'inngest-lab-swatch inngest-lab-bar-queue' }), 'queue delay')
  );
}

function clamp(v: number, lo: number, hi: number): number {
  return Math.min(Math.max(v, lo), hi);
}
