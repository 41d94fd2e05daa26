/**
 * `/functions`: every function with its triggers, flow-control configuration, recent run counts by status
 * (last 24 hours) and pause state, with Invoke (with data), Pause and Resume. `/functions/{id}` is the same
 * card for one function.
 */
import { h } from '../../components/dom';
import { renderRunsTable, statusBadge } from '../../components/runsTable';
import { IFunctionInfo, IPauseState, RUN_STATUSES } from '../../tokens';
import { IContext, IPage, coalesce, messageOf } from '../context';
import { api } from '../http';
import { button, openJsonModal } from '../modal';

export function functionsPage(ctx: IContext, only: string | null = null): IPage {
  const list = h('div', { class: 'inngest-lab-cards', 'data-testid': 'functions' });
  const load = async () => {
    try {
      const [fns, stats] = await Promise.all([api.functions(), api.functionStats()]);
      const shown = only === null ? fns : fns.filter(f => f.id === only);
      const pauses = await Promise.all(shown.map(f => api.pauseState(f.id).catch(() => null)));
      list.replaceChildren(
        ...(shown.length === 0
          ? [h('div', { class: 'inngest-lab-empty' }, only ? `No function ${only}.` : 'No functions yet. Serve an app and add it on the Apps page, or let the dev server discover it.')]
          : shown.map((f, i) => card(ctx, f, stats[f.id] ?? {}, pauses[i], load)))
      );
    } catch (error) {
      list.replaceChildren(h('div', { class: 'inngest-lab-error' }, messageOf(error)));
    }
  };
  // One function's page also lists its latest runs.
  const recent = h('div', { class: 'inngest-lab-card', 'data-testid': 'function-runs' });
  const loadRuns = async () => {
    if (only === null) {
      return;
    }
    try {
      const page = await api.runPage({ functionId: only, limit: 20 });
      const href = (id: string) => `/runs/${encodeURIComponent(id)}`;
      recent.replaceChildren(
        h('div', { class: 'inngest-lab-detail-title' }, h('a', { href: `/runs?function_id=${encodeURIComponent(only)}` }, 'Latest runs')),
        renderRunsTable(page.runs, { href, onOpen: id => ctx.navigate(href(id)), empty: 'No runs yet.' })
      );
    } catch (error) {
      recent.replaceChildren(h('div', { class: 'inngest-lab-error' }, messageOf(error)));
    }
  };
  const refresh = coalesce(() => void Promise.all([load(), loadRuns()]), 1000);
  const stop = ctx.onLive(notices => notices.some(n => n.type === 'run' && n.status !== undefined) && refresh());
  void load();
  void loadRuns();
  const el = h(
    'section',
    { class: 'inngest-lab-page', 'data-page': 'functions' },
    h('h1', {}, only ? 'Function' : 'Functions'),
    list,
    only === null ? null : recent
  );
  return { el, dispose: stop };
}

function card(
  ctx: IContext,
  f: IFunctionInfo,
  counts: Record<string, number>,
  pause: IPauseState | null,
  reload: () => Promise<void>
): HTMLElement {
  const act = (label: string, work: () => Promise<unknown>, done: string, cls = '') =>
    button(
      label,
      async () => {
        try {
          await work();
          ctx.toast(done);
          await reload();
        } catch (error) {
          ctx.toast(messageOf(error), true);
        }
      },
      cls
    );
  const paused = pause?.paused ?? false;
  const invoke = button('Invoke', () =>
    openJsonModal<Record<string, unknown>>({
      title: `Invoke ${f.name || f.id}`,
      hint: 'The data the function receives as event.data (a JSON object).',
      initial: '{}',
      action: 'Invoke',
      validate: text => {
        try {
          const value = JSON.parse(text);
          return typeof value === 'object' && value !== null && !Array.isArray(value) ? { value } : { error: 'data must be a JSON object' };
        } catch (error) {
          return { error: `Not valid JSON: ${messageOf(error)}` };
        }
      },
      run: async value => {
        await api.invoke(f.id, value);
        ctx.toast(`Invoked ${f.id}`);
        ctx.navigate(`/runs?function_id=${encodeURIComponent(f.id)}`);
      }
    })
  );
  const triggers = f.triggers.map(t =>
    h('span', { class: 'inngest-lab-pill' }, t.event ? `event ${t.event}${t.expression ? ` if ${t.expression}` : ''}` : `cron ${t.cron}`)
  );
  const flow = Object.entries(f.flow_control).map(([k, v]) => h('span', { class: 'inngest-lab-pill inngest-lab-pill-flow', title: JSON.stringify(v) }, `${k} ${JSON.stringify(v)}`));
  const total = Object.values(counts).reduce((a, b) => a + b, 0);
  return h(
    'div',
    { class: 'inngest-lab-card', 'data-function-id': f.id, 'data-paused': String(paused) },
    h(
      'div',
      { class: 'inngest-lab-run-title' },
      h('a', { class: 'inngest-lab-name inngest-lab-fn', href: `/functions/${encodeURIComponent(f.id)}` }, f.name || f.id),
      h('span', { class: 'inngest-lab-id inngest-lab-muted' }, f.id),
      paused ? h('span', { class: 'inngest-lab-status inngest-lab-status-paused' }, 'Paused') : null,
      h('span', { class: 'inngest-lab-spacer' }),
      invoke,
      paused
        ? act('Resume', () => api.resume(f.id), `Resumed ${f.id}`)
        : act('Pause', () => api.pause(f.id), `Paused ${f.id}: new events start no runs until it is resumed`)
    ),
    h('div', { class: 'inngest-lab-item-sub' }, h('span', { class: 'inngest-lab-muted' }, 'Triggers'), ...triggers),
    flow.length ? h('div', { class: 'inngest-lab-item-sub' }, h('span', { class: 'inngest-lab-muted' }, 'Flow control'), ...flow) : null,
    h(
      'div',
      { class: 'inngest-lab-item-sub', 'data-testid': 'run-counts' },
      h('a', { class: 'inngest-lab-muted', href: `/runs?function_id=${encodeURIComponent(f.id)}` }, `${total} runs in 24 h`),
      ...RUN_STATUSES.filter(s => counts[s]).map(s => h('a', { href: `/runs?function_id=${encodeURIComponent(f.id)}&status=${s}`, class: 'inngest-lab-count-link' }, statusBadge(s), ` ${counts[s]}`))
    ),
    h('div', { class: 'inngest-lab-muted' }, `App ${f.app_id} · retries ${f.retries} · ${f.url}`)
  );
}
