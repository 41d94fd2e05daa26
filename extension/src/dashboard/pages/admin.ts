/**
 * The operator pages: `/apps` (synced apps with their sync errors; Add by URL, Resync, Remove), `/crons`
 * (every cron trigger with its next ticks in its time zone) and `/cancel` (bulk cancel over
 * `/v1/cancellations`, with a preview count first).
 */
import { h } from '../../components/dom';
import { formatClock } from '../../components/format';
import { IAppInfo, ICancellationInput, IFunctionInfo } from '../../tokens';
import { IContext, IPage, messageOf } from '../context';
import { api } from '../http';
import { button } from '../modal';

function table(headers: string[], rows: HTMLElement[]): HTMLElement {
  return h('table', { class: 'inngest-lab-table' }, h('thead', {}, h('tr', {}, ...headers.map(t => h('th', {}, t)))), h('tbody', {}, ...rows));
}

export function appsPage(ctx: IContext): IPage {
  const list = h('div', { class: 'inngest-lab-table-wrap', 'data-testid': 'apps' });
  const url = h('input', { type: 'url', required: true, placeholder: 'http://localhost:3000/api/inngest', 'aria-label': 'App URL', class: 'inngest-lab-search' });
  const form = h('form', { class: 'inngest-lab-filter-row' }, url, h('button', { class: 'inngest-lab-button inngest-lab-primary', type: 'submit' }, 'Add app'));
  const report = (r: { ok: boolean; error: string | null }, what: string) => ctx.toast(r.ok ? `${what}: synced` : `${what}: ${r.error}`, !r.ok);
  form.addEventListener('submit', async ev => {
    ev.preventDefault();
    try {
      report(await api.addApp(url.value.trim()), url.value.trim());
      await load();
    } catch (error) {
      ctx.toast(messageOf(error), true);
    }
  });
  const row = (a: IAppInfo) =>
    h(
      'tr',
      { 'data-app-id': a.id },
      h('td', {}, h('span', { class: 'inngest-lab-name' }, a.id)),
      h('td', {}, h('span', { class: 'inngest-lab-id' }, a.url)),
      h('td', { class: 'inngest-lab-muted' }, [a.sdk, a.framework].filter(Boolean).join(' · ')),
      h('td', {}, a.error ? h('span', { class: 'inngest-lab-error' }, a.error) : h('span', { class: 'inngest-lab-status inngest-lab-status-completed' }, 'synced')),
      h('td', { class: 'inngest-lab-muted' }, a.synced_at ? formatClock(Date.parse(a.synced_at)) : ''),
      h('td', {}, h('a', { href: '/functions' }, String(a.function_count))),
      h(
        'td',
        {},
        button('Resync', async () => {
          try {
            report(await api.resyncApp(a.id), a.id);
            await load();
          } catch (error) {
            ctx.toast(messageOf(error), true);
          }
        }),
        button(
          'Remove',
          async () => {
            if (!window.confirm(`Remove app ${a.id} and its functions? Its URL is no longer synced.`)) {
              return;
            }
            try {
              await api.removeApp(a.id);
              ctx.toast(`Removed ${a.id}`);
              await load();
            } catch (error) {
              ctx.toast(messageOf(error), true);
            }
          },
          'inngest-lab-danger'
        )
      )
    );
  const load = async () => {
    try {
      const apps = await api.apps();
      list.replaceChildren(
        apps.length === 0
          ? h('div', { class: 'inngest-lab-empty' }, 'No apps yet. Add one by the URL it serves Inngest on.')
          : table(['App', 'URL', 'SDK', 'Sync', 'Synced at', 'Functions', ''], apps.map(row))
      );
    } catch (error) {
      list.replaceChildren(h('div', { class: 'inngest-lab-error' }, messageOf(error)));
    }
  };
  void load();
  return { el: h('section', { class: 'inngest-lab-page', 'data-page': 'apps' }, h('h1', {}, 'Apps'), form, list) };
}

export function cronsPage(): IPage {
  const list = h('div', { class: 'inngest-lab-table-wrap', 'data-testid': 'crons' });
  void (async () => {
    try {
      const crons = await api.crons();
      list.replaceChildren(
        crons.length === 0
          ? h('div', { class: 'inngest-lab-empty' }, 'No function has a cron trigger.')
          : table(
              ['Function', 'Schedule', 'Time zone', 'Next ticks (in its time zone)'],
              crons.map(c =>
                h(
                  'tr',
                  { 'data-function-id': c.function_id },
                  h('td', {}, h('a', { class: 'inngest-lab-name', href: `/functions/${encodeURIComponent(c.function_id)}` }, c.name || c.function_id)),
                  h('td', {}, h('code', {}, c.cron)),
                  h('td', {}, c.zone ?? ''),
                  h('td', {}, c.error ? h('span', { class: 'inngest-lab-error' }, c.error) : h('ul', { class: 'inngest-lab-ticks' }, ...c.next.map(n => h('li', { title: new Date(n.at_ms).toString() }, n.local.replace('T', ' ')))))
                )
              )
            )
      );
    } catch (error) {
      list.replaceChildren(h('div', { class: 'inngest-lab-error' }, messageOf(error)));
    }
  })();
  return { el: h('section', { class: 'inngest-lab-page', 'data-page': 'crons' }, h('h1', {}, 'Crons'), list) };
}

export function cancelPage(ctx: IContext): IPage {
  const fnSelect = h('select', { 'aria-label': 'Function', required: true }, h('option', { value: '' }, 'Choose a function'));
  const after = h('input', { type: 'datetime-local', 'aria-label': 'Started after' });
  const before = h('input', { type: 'datetime-local', 'aria-label': 'Started before' });
  const cond = h('input', { type: 'text', class: 'inngest-lab-search', 'aria-label': 'If', placeholder: 'optional CEL over the event, e.g. event.data.userId == "u1"' });
  const preview = h('div', { class: 'inngest-lab-form-message', role: 'status', 'data-testid': 'cancel-preview' });
  const past = h('div', { class: 'inngest-lab-table-wrap' });
  let fns: IFunctionInfo[] = [];

  const input = (): ICancellationInput | null => {
    const fn = fns.find(f => f.id === fnSelect.value);
    if (!fn) {
      preview.textContent = 'Choose a function.';
      return null;
    }
    return {
      app_id: fn.app_id,
      function_id: fn.id.startsWith(`${fn.app_id}-`) ? fn.id.slice(fn.app_id.length + 1) : fn.id,
      started_before: before.value ? new Date(before.value).toISOString() : new Date().toISOString(),
      ...(after.value ? { started_after: new Date(after.value).toISOString() } : {}),
      ...(cond.value.trim() ? { if: cond.value.trim() } : {})
    };
  };
  const previewButton = button('Preview', async () => {
    const body = input();
    if (!body) {
      return;
    }
    try {
      const { count, at_least } = await api.previewCancellation(body);
      preview.textContent = `${at_least ? 'At least ' : ''}${count} queued or running run${count === 1 ? '' : 's'} would be cancelled.`;
      go.disabled = count === 0;
    } catch (error) {
      preview.textContent = messageOf(error);
    }
  });
  const go = button(
    'Cancel runs',
    async () => {
      const body = input();
      if (!body || !window.confirm(`${preview.textContent} Cancel them?`)) {
        return;
      }
      try {
        const c = await api.createCancellation(body);
        ctx.toast(`Cancellation ${c.id} started`);
        await loadPast();
      } catch (error) {
        ctx.toast(messageOf(error), true);
      }
    },
    'inngest-lab-danger'
  );
  go.disabled = true;
  for (const field of [fnSelect, after, before, cond]) {
    field.addEventListener('change', () => {
      go.disabled = true;
      preview.textContent = 'Preview to see how many runs match.';
    });
  }
  const loadPast = async () => {
    try {
      const all = await api.cancellations();
      past.replaceChildren(
        all.length === 0
          ? h('div', { class: 'inngest-lab-empty' }, 'No bulk cancellations yet.')
          : table(
              ['ID', 'Function', 'Started between', 'If', 'Cancelled', 'State'],
              all.map(c =>
                h(
                  'tr',
                  {},
                  h('td', {}, h('span', { class: 'inngest-lab-id' }, c.id)),
                  h('td', {}, `${c.app_id}-${c.function_id}`),
                  h('td', { class: 'inngest-lab-muted' }, `${c.started_after ?? '…'} → ${c.started_before}`),
                  h('td', {}, c.if ?? ''),
                  h('td', {}, String(c.cancelled)),
                  h('td', {}, c.done ? 'done' : 'working')
                )
              )
            )
      );
    } catch (error) {
      past.replaceChildren(h('div', { class: 'inngest-lab-error' }, messageOf(error)));
    }
  };
  void (async () => {
    try {
      fns = await api.functions();
      fnSelect.append(...fns.map(f => h('option', { value: f.id }, f.name ? `${f.name} (${f.id})` : f.id)));
    } catch (error) {
      preview.textContent = messageOf(error);
    }
  })();
  void loadPast();
  const form = h(
    'div',
    { class: 'inngest-lab-card inngest-lab-form' },
    h('label', {}, 'Function ', fnSelect),
    h('label', {}, 'Started after ', after),
    h('label', {}, 'Started before (default: now) ', before),
    h('label', {}, 'If ', cond),
    h('div', { class: 'inngest-lab-filter-row' }, previewButton, go),
    preview
  );
  return {
    el: h('section', { class: 'inngest-lab-page', 'data-page': 'cancel' }, h('h1', {}, 'Bulk cancel'), form, h('h2', {}, 'Cancellations'), past)
  };
}
