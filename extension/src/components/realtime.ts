/**
 * A run's realtime stream: a streaming log of the messages it published (newest last, bounded), each with its
 * channel and topic and its data as short JSON, and a progress bar once a message's data is an object with a
 * numeric `progress` in [0, 1] (the rule of `inngest_lab/workbench/realtime_view.py`).
 *
 * Host-agnostic: the notebook widget gets the view model from the kernel (`realtime` trait, built by
 * `RealtimeLog.view()`), the dashboard builds the same one from `GET /lab/runs/{id}/realtime` with
 * `addMessage`. Colours come from the shared theme variables (`style/base.css`).
 */
import { h } from './dom';
import { formatClock, formatJson } from './format';
import { icon } from './icons';

/** One message as a subscriber receives it (the server's `RealtimeMessage.wire()`). */
export interface IRealtimeMessage {
  kind?: string;
  channel: string;
  topic: string;
  data: unknown;
  created_at: string;
  run_id?: string;
}

/** What the component draws: the newest messages, how many older ones were dropped, the latest progress. */
export interface IRealtimeView {
  run_id: string;
  messages: IRealtimeMessage[];
  dropped: number;
  progress: number | null;
  /** The run ended: no more messages will come. */
  done: boolean;
}

/** Rows kept, as the kernel's `MAX_ROWS`: a long stream does not grow the page without bound. */
export const MAX_ROWS = 200;

/** Characters of a message's data shown in its row (the full JSON is the row's tooltip). */
export const DATA_CHARS = 160;

/** An empty view of `runId`'s stream. Pure. */
export function emptyRealtime(runId: string): IRealtimeView {
  return { run_id: runId, messages: [], dropped: 0, progress: null, done: false };
}

/** The progress a message's data reports, clamped to [0, 1]; null when it reports none. Pure. */
export function progressOf(data: unknown): number | null {
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    return null;
  }
  const p = (data as Record<string, unknown>).progress;
  if (typeof p !== 'number' || !isFinite(p)) {
    return null;
  }
  return Math.min(1, Math.max(0, p));
}

/** `view` with `message` appended (the oldest dropped beyond `max`) and its progress taken. Pure. */
export function addMessage(view: IRealtimeView, message: IRealtimeMessage, max: number = MAX_ROWS): IRealtimeView {
  const messages = [...view.messages, message];
  const over = Math.max(0, messages.length - max);
  const progress = progressOf(message.data);
  return {
    ...view,
    messages: over ? messages.slice(over) : messages,
    dropped: view.dropped + over,
    progress: progress ?? view.progress
  };
}

/** A message's data on one line, cut to `max` characters with an ellipsis. Pure. */
export function shortJson(data: unknown, max: number = DATA_CHARS): string {
  let text: string;
  try {
    text = typeof data === 'string' ? data : (JSON.stringify(data) ?? String(data));
  } catch {
    text = String(data);
  }
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/** Local clock time of a message's RFC 3339 `created_at` (empty when unreadable). Pure. */
export function messageTime(createdAt: string): string {
  const ms = Date.parse(createdAt);
  return isNaN(ms) ? '' : formatClock(ms);
}

/** Whether the view has anything to show (the pane stays hidden for a run that published nothing). Pure. */
export function hasRealtime(view: IRealtimeView | null | undefined): view is IRealtimeView {
  return Boolean(view && view.run_id && (view.messages.length > 0 || view.dropped > 0));
}

function progressBar(progress: number): HTMLElement {
  const pct = Math.round(progress * 1000) / 10;
  return h(
    'div',
    {
      class: 'inngest-lab-rt-progress',
      role: 'progressbar',
      'aria-valuemin': 0,
      'aria-valuemax': 100,
      'aria-valuenow': pct,
      'data-testid': 'inngest-rt-progress'
    },
    h('div', { class: 'inngest-lab-rt-progress-fill', style: `width:${pct}%` }),
    h('span', { class: 'inngest-lab-rt-progress-label' }, `${pct}%`)
  );
}

function row(m: IRealtimeMessage): HTMLElement {
  return h(
    'div',
    { class: 'inngest-lab-rt-row', 'data-testid': 'inngest-rt-row' },
    h('span', { class: 'inngest-lab-rt-time inngest-lab-muted' }, messageTime(m.created_at)),
    h('span', { class: 'inngest-lab-pill', title: `channel ${m.channel}, topic ${m.topic}` }, `${m.channel} · ${m.topic}`),
    h('code', { class: 'inngest-lab-rt-data', title: formatJson(m.data) }, shortJson(m.data))
  );
}

/** The realtime pane of `view` (hosts draw it with `drawRealtime`, which keeps the newest row in sight). */
export function renderRealtime(view: IRealtimeView): HTMLElement {
  const count = view.messages.length + view.dropped;
  const log = h(
    'div',
    { class: 'inngest-lab-rt-log', 'data-testid': 'inngest-rt-log' },
    view.dropped ? h('div', { class: 'inngest-lab-muted inngest-lab-rt-dropped' }, `… ${view.dropped} older messages not shown`) : null,
    ...view.messages.map(row)
  );
  return h(
    'div',
    { class: 'inngest-lab-rt', 'data-testid': 'inngest-realtime', 'data-run-id': view.run_id, 'data-done': view.done },
    h(
      'div',
      { class: 'inngest-lab-rt-head' },
      h('span', { class: `inngest-lab-live${view.done ? '' : ' inngest-lab-live-live'}` }),
      icon('flow'),
      h('b', {}, 'Realtime'),
      h('span', { class: 'inngest-lab-muted' }, `${count} message${count === 1 ? '' : 's'}${view.done ? ' · run ended' : ''}`)
    ),
    view.progress === null ? null : progressBar(view.progress),
    log
  );
}

/** Replace `host`'s pane with `view`'s, keeping the log at the bottom unless the reader scrolled up. */
export function drawRealtime(host: HTMLElement, view: IRealtimeView | null | undefined): void {
  if (!hasRealtime(view)) {
    host.replaceChildren();
    host.hidden = true;
    return;
  }
  const old = host.querySelector<HTMLElement>('.inngest-lab-rt-log');
  const pinned = !old || old.scrollTop + old.clientHeight >= old.scrollHeight - 4;
  const kept = old ? old.scrollTop : 0;
  host.hidden = false;
  host.replaceChildren(renderRealtime(view));
  const log = host.querySelector<HTMLElement>('.inngest-lab-rt-log');
  if (log) {
    log.scrollTop = pinned ? log.scrollHeight : kept;
  }
}

/** How a host opens a run's realtime stream: resolves when it ends, calls `onOpen` once subscribed. */
export type RealtimeOpener = (onMessage: (message: IRealtimeMessage) => void, signal: AbortSignal, onOpen: () => void) => Promise<void>;

/**
 * Follow a run's realtime stream with the host's `open` until `signal` aborts, reconnecting `retryMs` after a
 * drop (delivery is best effort: what was published while disconnected is gone, as for any realtime
 * subscriber). `onState` says whether the stream is connected.
 */
export async function followRealtime(
  open: RealtimeOpener,
  signal: AbortSignal,
  onMessage: (message: IRealtimeMessage) => void,
  onState: (connected: boolean) => void = () => undefined,
  retryMs = 2000
): Promise<void> {
  while (!signal.aborted) {
    try {
      await open(onMessage, signal, () => onState(true));
    } catch {
      // dropped or refused: try again shortly unless the host is gone
    }
    if (!signal.aborted) {
      onState(false);
      await new Promise(resolve => setTimeout(resolve, retryMs));
    }
  }
}
