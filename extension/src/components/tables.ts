/**
 * The sidebar's sections as plain DOM: functions, runs (live) and events. Host-agnostic: callbacks
 * instead of commands, theme variables instead of JupyterLab widgets.
 */
import { IEventInfo, IFunctionInfo, IRunSummary } from '../tokens';
import { h } from './dom';
import { formatClock, formatDuration, shortId } from './format';

export interface ISectionOptions {
  title: string;
  count?: number;
  /** Extra element in the header (a status dot, a button). */
  extra?: HTMLElement | null;
}

/** A titled, collapsible section. */
export function section(options: ISectionOptions, body: HTMLElement): HTMLElement {
  const details = h('details', { class: 'inngest-lab-section', open: true });
  details.append(
    h(
      'summary',
      { class: 'inngest-lab-section-title' },
      h('span', {}, options.title),
      options.count !== undefined ? h('span', { class: 'inngest-lab-count' }, String(options.count)) : null,
      options.extra ?? null
    ),
    body
  );
  return details;
}

/** `empty` replaces the text shown when there are no functions (a host explains where they might be). */
export function renderFunctions(fns: readonly IFunctionInfo[], options: { empty?: HTMLElement } = {}): HTMLElement {
  if (fns.length === 0) {
    return options.empty ?? h('div', { class: 'inngest-lab-empty' }, 'No functions yet. Serve some from a notebook with Lab().');
  }
  const list = h('ul', { class: 'inngest-lab-list inngest-lab-functions' });
  for (const fn of fns) {
    const triggers = fn.triggers.map(t => t.event ?? (t.cron ? `cron ${t.cron}` : '')).filter(Boolean);
    const flow = Object.keys(fn.flow_control);
    list.append(
      h(
        'li',
        { class: 'inngest-lab-item', 'data-function-id': fn.id, title: fn.url },
        h('div', { class: 'inngest-lab-item-main' }, h('span', { class: 'inngest-lab-name' }, fn.name), h('span', { class: 'inngest-lab-muted' }, fn.app_id)),
        h(
          'div',
          { class: 'inngest-lab-item-sub' },
          ...triggers.map(t => h('span', { class: 'inngest-lab-pill' }, t)),
          ...flow.map(f => h('span', { class: 'inngest-lab-pill inngest-lab-pill-flow' }, f))
        )
      )
    );
  }
  return list;
}

export interface IRunsOptions {
  onOpen?: (runId: string) => void;
  now?: number;
}

export function renderRuns(runs: readonly IRunSummary[], options: IRunsOptions = {}): HTMLElement {
  if (runs.length === 0) {
    return h('div', { class: 'inngest-lab-empty' }, 'No runs yet. Send an event to start one.');
  }
  const now = options.now ?? Date.now();
  const list = h('ul', { class: 'inngest-lab-list inngest-lab-runs' });
  for (const run of runs) {
    const took = (run.ended_at_ms ?? now) - run.queued_at_ms;
    const item = h(
      'li',
      { class: 'inngest-lab-item inngest-lab-clickable', 'data-run-id': run.run_id, 'data-status': run.status, title: `Open the timeline of run ${run.run_id}` },
      h(
        'div',
        { class: 'inngest-lab-item-main' },
        h('span', { class: `inngest-lab-status inngest-lab-status-${run.status.toLowerCase()}` }, run.status),
        h('span', { class: 'inngest-lab-name' }, run.function_id)
      ),
      h(
        'div',
        { class: 'inngest-lab-item-sub inngest-lab-muted' },
        h('span', {}, formatClock(run.queued_at_ms)),
        h('span', {}, formatDuration(took)),
        h('span', {}, run.event_name ?? ''),
        h('span', { class: 'inngest-lab-id' }, shortId(run.run_id))
      )
    );
    if (options.onOpen) {
      const open = options.onOpen;
      item.addEventListener('click', () => open(run.run_id));
    }
    list.append(item);
  }
  return list;
}

/** Events, newest first; the server's own `inngest/…` events are left out unless `showInternal`. */
export function renderEvents(all: readonly IEventInfo[], options: { showInternal?: boolean } = {}): HTMLElement {
  const events = options.showInternal ? all : all.filter(e => !e.name.startsWith('inngest/'));
  if (events.length === 0) {
    return h('div', { class: 'inngest-lab-empty' }, 'No events yet.');
  }
  const list = h('ul', { class: 'inngest-lab-list inngest-lab-events' });
  for (const ev of events) {
    list.append(
      h(
        'li',
        { class: 'inngest-lab-item', 'data-event-id': ev.internal_id, title: JSON.stringify(ev.data) },
        h('div', { class: 'inngest-lab-item-main' }, h('span', { class: 'inngest-lab-name' }, ev.name)),
        h(
          'div',
          { class: 'inngest-lab-item-sub inngest-lab-muted' },
          h('span', {}, formatClock(Date.parse(ev.received_at))),
          h('span', { class: 'inngest-lab-id' }, shortId(ev.internal_id))
        )
      )
    );
  }
  return list;
}

/**
 * What the sidebar says while the engine this Jupyter server hosts has no functions: notebooks that embed
 * their own engine (the tutorials' `Lab(":memory:", fake_clock=True)`) keep their functions and runs in their
 * kernel, so the sidebar says so and how to see them, instead of looking empty next to them.
 */
export function whereAreMyRuns(): HTMLElement {
  const code = (text: string) => h('code', {}, text);
  return h(
    'div',
    { class: 'inngest-lab-empty inngest-lab-hint', 'data-testid': 'where-are-my-runs' },
    h('p', {}, 'No functions in the engine this Jupyter server hosts yet. A notebook\'s plain ', code('Lab()'), ' attaches to it: its functions and runs show up here.'),
    h(
      'p',
      {},
      'A notebook that makes its own engine (',
      code('Lab(":memory:")'),
      ', ',
      code('Lab("file.db")'),
      ', ',
      code('fake_clock=True'),
      ') keeps its functions and runs in its kernel: a cell ending in a run draws its timeline there, and ',
      code('RunsTable()'),
      ' and ',
      code('FunctionTable()'),
      ' from ',
      code('inngest_lab.widgets'),
      ' list them in the notebook.'
    )
  );
}
