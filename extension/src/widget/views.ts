/**
 * The notebook widgets' views (anywidget): the same components the dashboard and the JupyterLab panel draw
 * with, bound to the Python widget's traits. Commands go back to Python as `{"type": …}` messages
 * (inngest_lab/widgets/base.py routes them). Shapes of the traits: inngest_lab/widgets/tables.py,
 * composer.py and timeline.py.
 */
import { h } from '../components/dom';
import { parseEventInput, curlFor } from '../components/events';
import { formatJson } from '../components/format';
import { renderRunsTable, statusBadge } from '../components/runsTable';
import { IRealtimeView, drawRealtime } from '../components/realtime';
import { TimelineState, renderTimeline } from '../components/timeline';
import { IRunSummary, ITimeline, RUN_STATUSES, RunStatus } from '../tokens';

/** What anywidget hands a view: the model's traits, change events and the message channel. */
export interface IModel {
  get(name: string): any;
  set(name: string, value: unknown): void;
  save_changes(): void;
  on(event: string, fn: () => void): void;
  off(event: string, fn: () => void): void;
  send(msg: Record<string, unknown>): void;
}

type Cleanup = () => void;

/** Redraw `draw` whenever one of `traits` changes; returns the unbinding. */
function bind(model: IModel, traits: string[], draw: () => void): Cleanup {
  for (const t of traits) {
    model.on(`change:${t}`, draw);
  }
  draw();
  return () => traits.forEach(t => model.off(`change:${t}`, draw));
}

/** A widget's table row of a run (`run_row` in tables.py) as the API's run summary. Pure. */
export function summaryOfRow(r: {
  run_id: string;
  fn_id: string;
  status: string;
  event_name: string;
  queued_at: number;
  started_at: number | null;
  ended_at: number | null;
}): IRunSummary {
  return {
    run_id: r.run_id,
    function_id: r.fn_id,
    app_id: '',
    status: r.status as RunStatus,
    event_id: null,
    event_name: r.event_name || null,
    queued_at_ms: r.queued_at,
    started_at_ms: r.started_at,
    ended_at_ms: r.ended_at,
    // The REST run's RFC 3339 times (the server's format: milliseconds, UTC, Z), from the row's epoch ms.
    run_started_at: r.started_at == null ? null : new Date(r.started_at).toISOString(),
    ended_at: r.ended_at == null ? null : new Date(r.ended_at).toISOString()
  };
}

const TERMINAL = new Set(['Completed', 'Failed', 'Cancelled', 'Skipped']);

/**
 * The live timeline of the run in `trait` (a `build_timeline` view model); bars grow with the clock. Under it,
 * the run's realtime stream from `realtimeTrait` (widgets/realtime.py), shown once the run published anything.
 */
export function bindTimeline(model: IModel, el: HTMLElement, trait: string, realtimeTrait: string): Cleanup {
  const host = h('div', { class: 'inngest-lab-timeline-host' });
  const stream = h('div', { class: 'inngest-lab-realtime-host', hidden: true });
  el.append(host, stream);
  const unbindRealtime = bind(model, [realtimeTrait], () => drawRealtime(stream, model.get(realtimeTrait) as IRealtimeView | null));
  const view = new TimelineState(() => draw());
  let shown: string | null = null;
  let received = Date.now();
  let timer: ReturnType<typeof setInterval> | null = null;
  const draw = () => {
    const data = model.get(trait) as ITimeline | null;
    if (!data || !data.run_id) {
      host.replaceChildren();
      return;
    }
    const isStatic = Boolean(model.get('static'));
    const live = !TERMINAL.has(data.status) && !model.get('fake_clock') && !isStatic;
    const t = live ? { ...data, now_ms: data.now_ms + (Date.now() - received) } : data;
    host.replaceChildren(
      renderTimeline(
        t,
        view.options({
          onCancel: isStatic ? undefined : () => model.send({ type: 'cancel', run_id: data.run_id }),
          onRerun: isStatic ? undefined : () => model.send({ type: 'rerun', run_id: data.run_id })
        })
      )
    );
    if (live && timer === null) {
      timer = setInterval(draw, 500);
    } else if (!live && timer !== null) {
      clearInterval(timer);
      timer = null;
    }
  };
  const changed = () => {
    const runId = (model.get(trait) as ITimeline | null)?.run_id ?? null;
    if (runId !== shown) {
      view.reset();
      shown = runId;
    }
    received = Date.now();
    draw();
  };
  const unbind = bind(model, [trait], changed);
  return () => {
    unbind();
    unbindRealtime();
    if (timer !== null) {
      clearInterval(timer);
    }
  };
}

function select(model: IModel, trait: string, options: [string | number, string][], testid: string): HTMLSelectElement {
  const el = h('select', { 'data-testid': testid, 'aria-label': testid.replace('inngest-filter-', '') });
  el.append(...options.map(([value, label]) => h('option', { value: String(value) }, label)));
  el.value = String(model.get(trait));
  el.addEventListener('change', () => {
    model.set(trait, typeof model.get(trait) === 'number' ? Number(el.value) : el.value);
    model.save_changes();
  });
  return el;
}

const AGES: [number, string][] = [
  [0, 'any time'],
  [5, 'last 5 min'],
  [60, 'last hour'],
  [1440, 'last day'],
  [10080, 'last week']
];

/** `RunsTable`: filters, the runs (live), and the opened run's timeline under them. */
export function bindRuns(model: IModel, el: HTMLElement): Cleanup {
  const head = h('div', {});
  const body = h('div', {});
  const timeline = h('div', { class: 'inngest-lab-section-body' });
  el.append(head, body, timeline);
  const open = (runId: string) => {
    const current = (model.get('timeline') as ITimeline | null)?.run_id;
    model.send({ type: 'open', run_id: runId === current ? null : runId });
  };
  const draw = () => {
    const ev = model.get('event') as { id?: string; name?: string; payload?: { data?: unknown } } | null;
    const runs = (model.get('runs') as Parameters<typeof summaryOfRow>[0][]).map(summaryOfRow);
    if (ev && ev.id) {
      head.replaceChildren(
        h('div', { class: 'inngest-lab-toolbar' }, h('b', {}, ev.name ?? ''), h('span', { class: 'inngest-lab-id inngest-lab-muted' }, ev.id)),
        h('pre', { class: 'inngest-lab-pre' }, formatJson(ev.payload?.data))
      );
    } else {
      const refresh = h('button', { class: 'inngest-lab-button', type: 'button' }, 'Refresh');
      refresh.addEventListener('click', () => model.send({ type: 'refresh' }));
      head.replaceChildren(
        h(
          'div',
          { class: 'inngest-lab-toolbar' },
          select(model, 'status', [['', 'all statuses'], ...RUN_STATUSES.map((s): [string, string] => [s, s])], 'inngest-filter-status'),
          select(model, 'fn_id', [['', 'all functions'], ...(model.get('functions') as string[]).map((f): [string, string] => [f, f])], 'inngest-filter-function'),
          select(model, 'since_minutes', AGES, 'inngest-filter-age'),
          refresh,
          h('span', { class: 'inngest-lab-muted' }, `${runs.length} runs`)
        )
      );
    }
    // The kernel's engine may run on a fake clock: the browser's clock cannot time runs in progress.
    const now = model.get('fake_clock') ? null : undefined;
    const table = renderRunsTable(runs, { onOpen: open, empty: 'No runs.', now });
    table.setAttribute('data-testid', 'inngest-runs');
    body.replaceChildren(table);
  };
  const unbind = bind(model, ['runs', 'functions', 'event', 'status', 'fn_id', 'since_minutes'], draw);
  const unbindTimeline = bindTimeline(model, timeline, 'timeline', 'timeline_realtime');
  return () => {
    unbind();
    unbindTimeline();
  };
}

interface IFunctionRow {
  fn_id: string;
  name: string;
  triggers: string[];
  retries: number;
  cancel: string[];
  flow: Record<string, unknown>;
}

/** `FunctionTable`: triggers, flow control, and Invoke with JSON data (validated before it is sent). */
export function bindFunctions(model: IModel, el: HTMLElement): Cleanup {
  const body = h('div', {});
  const timeline = h('div', { class: 'inngest-lab-section-body' });
  el.append(body, timeline);
  let editing: string | null = null;
  const draw = () => {
    const rows: HTMLElement[] = [];
    for (const f of model.get('functions') as IFunctionRow[]) {
      const invoke = h('button', { class: 'inngest-lab-button', type: 'button', 'data-testid': 'inngest-invoke' }, 'Invoke');
      invoke.addEventListener('click', () => {
        editing = editing === f.fn_id ? null : f.fn_id;
        draw();
      });
      rows.push(
        h(
          'tr',
          { 'data-fn-id': f.fn_id },
          h('td', {}, h('div', { class: 'inngest-lab-name' }, f.name), h('div', { class: 'inngest-lab-id inngest-lab-muted' }, f.fn_id)),
          h('td', {}, ...f.triggers.map(t => h('span', { class: 'inngest-lab-pill' }, t))),
          h('td', {}, String(f.retries)),
          h(
            'td',
            {},
            ...Object.entries(f.flow).map(([k, v]) => h('span', { class: 'inngest-lab-pill inngest-lab-pill-flow', title: JSON.stringify(v) }, k)),
            ...f.cancel.map(c => h('span', { class: 'inngest-lab-pill' }, `cancel on ${c}`))
          ),
          h('td', {}, invoke)
        )
      );
      if (editing === f.fn_id) {
        rows.push(h('tr', {}, h('td', { colspan: 5 }, invokeForm(model, f.fn_id, () => ((editing = null), draw())))));
      }
    }
    body.replaceChildren(
      h(
        'table',
        { class: 'inngest-lab-table', 'data-testid': 'inngest-functions' },
        h('thead', {}, h('tr', {}, ...['Function', 'Triggers', 'Retries', 'Flow control', ''].map(c => h('th', {}, c)))),
        h('tbody', {}, ...(rows.length ? rows : [h('tr', {}, h('td', { colspan: 5, class: 'inngest-lab-empty' }, 'No functions registered.'))]))
      )
    );
  };
  const unbind = bind(model, ['functions'], draw);
  const unbindTimeline = bindTimeline(model, timeline, 'timeline', 'timeline_realtime');
  return () => {
    unbind();
    unbindTimeline();
  };
}

function invokeForm(model: IModel, fnId: string, done: () => void): HTMLElement {
  const area = h('textarea', { class: 'inngest-lab-json', rows: 4, spellcheck: false, 'aria-label': `data for ${fnId}` });
  area.value = '{}';
  const message = h('div', { class: 'inngest-lab-form-message inngest-lab-form-error' });
  const go = h('button', { class: 'inngest-lab-button inngest-lab-primary', type: 'button' }, 'Invoke function');
  go.addEventListener('click', () => {
    try {
      const data = JSON.parse(area.value || '{}');
      if (typeof data !== 'object' || data === null || Array.isArray(data)) {
        throw new Error('data must be a JSON object');
      }
      model.send({ type: 'invoke', fn_id: fnId, data });
      done();
    } catch (error) {
      message.textContent = error instanceof Error ? error.message : String(error);
    }
  });
  return h('div', { class: 'inngest-lab-send-form' }, h('div', { class: 'inngest-lab-muted' }, `data for ${fnId}`), area, message, go);
}

/** `EventComposer`: name and JSON data, validated as the Event API will; sent events list the runs they started. */
export function bindComposer(model: IModel, el: HTMLElement): Cleanup {
  const listId = `inngest-lab-names-${Math.random().toString(36).slice(2)}`;
  const name = h('input', { type: 'text', list: listId, placeholder: 'app/user.created', 'data-testid': 'inngest-event-name', 'aria-label': 'Event name' });
  const names = h('datalist', { id: listId });
  const data = h('textarea', { class: 'inngest-lab-json', rows: 6, spellcheck: false, 'data-testid': 'inngest-event-data', 'aria-label': 'Event data' });
  const problem = h('div', { class: 'inngest-lab-form-message inngest-lab-form-error', 'data-testid': 'inngest-event-problem' });
  const note = h('span', { class: 'inngest-lab-muted' });
  const send = h('button', { class: 'inngest-lab-button inngest-lab-primary', type: 'button', 'data-testid': 'inngest-send' }, 'Send event');
  const curl = h('button', { class: 'inngest-lab-button', type: 'button', 'data-testid': 'inngest-copy-curl' }, 'Copy as cURL');
  name.value = model.get('name');
  data.value = model.get('data');
  const parsed = () => parseEventInput(JSON.stringify({ name: name.value.trim(), data: safeJson(data.value) }));
  const check = (): boolean => {
    const dataProblem = jsonObjectProblem(data.value);
    const result = parsed();
    const why = dataProblem ?? ('error' in result ? result.error : '');
    problem.textContent = why;
    send.disabled = curl.disabled = why !== '';
    return why === '';
  };
  name.addEventListener('input', check);
  data.addEventListener('input', check);
  send.addEventListener('click', () => check() && model.send({ type: 'send', name: name.value, data: data.value }));
  curl.addEventListener('click', async () => {
    const result = parsed();
    if (!check() || 'error' in result) {
      return;
    }
    note.textContent = (await copy(curlFor(model.get('event_url'), result.events))) ? 'copied' : 'copy failed';
  });
  const sent = h('div', { class: 'inngest-lab-section-body', 'data-testid': 'inngest-sent' });
  const timeline = h('div', { class: 'inngest-lab-section-body' });
  el.append(
    h('div', { class: 'inngest-lab-send-form' }, h('label', {}, 'Name ', name, names), h('label', {}, 'Data'), data, problem, h('div', { class: 'inngest-lab-toolbar' }, send, curl, note)),
    sent,
    timeline
  );
  const drawNames = () => names.replaceChildren(...(model.get('suggestions') as string[]).map(n => h('option', { value: n })));
  const drawSent = () => {
    const items = model.get('sent') as { name: string; event_id: string; runs: { run_id: string; fn_id: string; status: string }[] }[];
    sent.replaceChildren(
      ...items.map(s =>
        h(
          'div',
          { class: 'inngest-lab-item' },
          h('div', {}, 'sent ', h('b', {}, s.name), ' ', h('span', { class: 'inngest-lab-id inngest-lab-muted' }, s.event_id), h('span', { class: 'inngest-lab-muted' }, s.runs.length ? ` started ${s.runs.length} run${s.runs.length > 1 ? 's' : ''}` : ' started no run')),
          ...s.runs.map(r => {
            const row = h('div', { class: 'inngest-lab-clickable', 'data-run-id': r.run_id }, statusBadge(r.status), ' ', r.fn_id, ' ', h('span', { class: 'inngest-lab-id inngest-lab-muted' }, r.run_id));
            row.addEventListener('click', () => model.send({ type: 'open', run_id: r.run_id }));
            return row;
          })
        )
      )
    );
  };
  check();
  const unbinds = [bind(model, ['suggestions'], drawNames), bind(model, ['sent'], drawSent), bindTimeline(model, timeline, 'timeline', 'timeline_realtime')];
  return () => unbinds.forEach(u => u());
}

/** Why `text` is not a JSON object (empty counts as `{}`), or null. Pure. */
export function jsonObjectProblem(text: string): string | null {
  if (!text.trim()) {
    return null;
  }
  try {
    const value = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? null : '"data" must be a JSON object';
  } catch (error) {
    return `Not valid JSON: ${error instanceof Error ? error.message : String(error)}`;
  }
}

function safeJson(text: string): unknown {
  try {
    return text.trim() ? JSON.parse(text) : {};
  } catch {
    return {};
  }
}

async function copy(text: string): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    return false;
  }
}
