/**
 * `/runs`: every run, newest first, with filters (status, app, function, a time range on queued, started or
 * ended time), a CEL search over the trigger event and the output, keyset paging ("Load more") and live
 * updates from the SSE feed. The filters live in the URL, so a filtered view is a link.
 */
import { h } from '../../components/dom';
import { renderRunsTable } from '../../components/runsTable';
import { IRunPageQuery, IRunSummary, RUN_STATUSES, RunStatus } from '../../tokens';
import { api } from '../http';
import { IContext, IPage, coalesce, messageOf } from '../context';

const PAGE = 50;

/** The filters of a `/runs?…` URL. Pure. */
export function queryFromSearch(search: string): IRunPageQuery {
  const p = new URLSearchParams(search);
  const field = p.get('time_field');
  return {
    status: p.getAll('status').filter((s): s is RunStatus => (RUN_STATUSES as string[]).includes(s)),
    appId: p.get('app_id') ?? undefined,
    functionId: p.get('function_id') ?? undefined,
    timeField: field === 'started' || field === 'ended' ? field : 'queued',
    from: p.get('from') ?? undefined,
    to: p.get('to') ?? undefined,
    q: p.get('q') ?? undefined,
    limit: Math.min(Math.max(Number(p.get('limit')) || PAGE, 1), 200)
  };
}

/** `datetime-local` value (local wall time) to RFC 3339, and back. */
function toIso(local: string): string | undefined {
  return local ? new Date(local).toISOString() : undefined;
}
function toLocal(iso: string | undefined): string {
  if (!iso) {
    return '';
  }
  const d = new Date(iso);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

export function runsPage(ctx: IContext, search: string): IPage {
  const query = queryFromSearch(search);
  let runs: IRunSummary[] = [];
  let cursor: string | null = null;
  let scanned = 0;

  const table = h('div', { class: 'inngest-lab-table-wrap', 'data-testid': 'runs-table' });
  const status = h('div', { class: 'inngest-lab-muted inngest-lab-page-status', role: 'status' });
  const more = h('button', { class: 'inngest-lab-button', type: 'button', 'data-testid': 'load-more' }, 'Load more');
  const draw = () => {
    table.replaceChildren(
      renderRunsTable(runs, { href: id => `/runs/${encodeURIComponent(id)}`, onOpen: id => ctx.navigate(`/runs/${encodeURIComponent(id)}`) })
    );
    more.hidden = cursor === null;
    status.textContent =
      cursor === null
        ? `${runs.length} run${runs.length === 1 ? '' : 's'}`
        : `${runs.length} runs shown${query.q || query.appId ? `, ${scanned} searched so far` : ''}; more below`;
  };

  const load = async (append: boolean) => {
    try {
      const page = await api.runPage({ ...query, cursor: append ? cursor : null });
      scanned = append ? scanned + page.scanned : page.scanned;
      if (append) {
        runs = [...runs, ...page.runs];
        cursor = page.nextCursor;
      } else if (runs.length <= (query.limit ?? PAGE)) {
        runs = page.runs;
        cursor = page.nextCursor;
      } else {
        // A live refresh while more pages are shown: the fresh first page, then the older runs kept.
        const fresh = new Set(page.runs.map(r => r.run_id));
        const oldest = page.runs[page.runs.length - 1];
        const kept = runs.filter(r => !fresh.has(r.run_id) && oldest && r.queued_at_ms <= oldest.queued_at_ms);
        runs = [...page.runs, ...kept];
      }
      draw();
    } catch (error) {
      status.textContent = messageOf(error);
      status.classList.add('inngest-lab-form-error');
    }
  };
  more.addEventListener('click', () => void load(true));

  const el = h(
    'section',
    { class: 'inngest-lab-page', 'data-page': 'runs' },
    h('h1', {}, 'Runs'),
    filters(ctx, query),
    status,
    table,
    h('div', { class: 'inngest-lab-more' }, more)
  );
  const refresh = coalesce(() => void load(false), 250);
  const stop = ctx.onLive(notices => {
    if (notices.some(n => n.type === 'run' || n.type === 'resync')) {
      refresh();
    }
  });
  void load(false);
  return { el, dispose: stop };
}

function filters(ctx: IContext, query: IRunPageQuery): HTMLElement {
  const form = h('form', { class: 'inngest-lab-filters', 'data-testid': 'run-filters' });
  const statusBoxes = RUN_STATUSES.map(s => {
    const box = h('input', { type: 'checkbox', name: 'status', value: s, checked: (query.status ?? []).includes(s) });
    return h('label', { class: 'inngest-lab-check' }, box, s);
  });
  const app = h('select', { name: 'app_id', 'aria-label': 'App' }, h('option', { value: '' }, 'All apps'));
  const fn = h('select', { name: 'function_id', 'aria-label': 'Function' }, h('option', { value: '' }, 'All functions'));
  const field = h(
    'select',
    { name: 'time_field', 'aria-label': 'Time field' },
    ...(['queued', 'started', 'ended'] as const).map(v => h('option', { value: v, selected: query.timeField === v }, v))
  );
  const from = h('input', { type: 'datetime-local', name: 'from', 'aria-label': 'From', value: toLocal(query.from) });
  const to = h('input', { type: 'datetime-local', name: 'to', 'aria-label': 'To', value: toLocal(query.to) });
  const q = h('input', {
    type: 'search',
    name: 'q',
    class: 'inngest-lab-search',
    placeholder: 'CEL search, e.g. event.data.userId == "u1" || output.ok == false',
    'aria-label': 'Search',
    value: query.q ?? ''
  });
  void fillChoices(app, fn, query);
  form.append(
    h('div', { class: 'inngest-lab-filter-row' }, ...statusBoxes),
    h('div', { class: 'inngest-lab-filter-row' }, app, fn, field, from, to),
    h('div', { class: 'inngest-lab-filter-row' }, q, h('button', { class: 'inngest-lab-button inngest-lab-primary', type: 'submit' }, 'Apply'))
  );
  const apply = () => {
    const p = new URLSearchParams();
    if (query.limit !== PAGE) {
      p.set('limit', String(query.limit));
    }
    for (const box of form.querySelectorAll<HTMLInputElement>('input[name=status]:checked')) {
      p.append('status', box.value);
    }
    const set = (k: string, v: string | undefined) => v && p.set(k, v);
    set('app_id', app.value);
    set('function_id', fn.value);
    if (field.value !== 'queued') {
      set('time_field', field.value);
    }
    set('from', toIso(from.value));
    set('to', toIso(to.value));
    set('q', q.value.trim());
    ctx.navigate(`/runs${p.toString() ? `?${p}` : ''}`);
  };
  form.addEventListener('submit', ev => {
    ev.preventDefault();
    apply();
  });
  for (const input of [...form.querySelectorAll('input[type=checkbox]'), app, fn, field]) {
    input.addEventListener('change', apply);
  }
  return form;
}

async function fillChoices(app: HTMLSelectElement, fn: HTMLSelectElement, query: IRunPageQuery): Promise<void> {
  try {
    const [apps, fns] = await Promise.all([api.apps(), api.functions()]);
    app.append(...apps.map(a => h('option', { value: a.id, selected: a.id === query.appId }, a.id)));
    fn.append(...fns.map(f => h('option', { value: f.id, selected: f.id === query.functionId }, f.name || f.id)));
  } catch {
    // the page itself reports request errors; the filters keep "All"
  }
}
