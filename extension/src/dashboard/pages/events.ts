/**
 * `/events`: received events, newest first (the server's own `inngest/…` events behind a toggle), paged by
 * cursor and updated live; `/events/{id}`: one event's payload, the runs it triggered, and Replay.
 */
import { h } from '../../components/dom';
import { formatClock, formatJson } from '../../components/format';
import { statusBadge } from '../../components/runsTable';
import { IEventInfo } from '../../tokens';
import { IContext, IPage, coalesce, messageOf } from '../context';
import { api } from '../http';
import { button } from '../modal';

const PAGE = 50;

export function eventsPage(ctx: IContext, search: string): IPage {
  const params = new URLSearchParams(search);
  const name = params.get('name') ?? '';
  let showInternal = params.get('internal') === '1';
  let events: IEventInfo[] = [];
  let cursor: string | null = null;
  let more = false;
  const list = h('div', { class: 'inngest-lab-table-wrap', 'data-testid': 'events-table' });
  const moreButton = button('Load more', () => void load(true));
  const toggle = h('input', { type: 'checkbox', checked: showInternal });
  toggle.addEventListener('change', () => {
    showInternal = toggle.checked;
    draw();
  });
  const filter = h('input', { type: 'search', placeholder: 'Event name, e.g. app/user.created', 'aria-label': 'Event name', value: name });
  filter.addEventListener('change', () => ctx.navigate(`/events${filter.value.trim() ? `?name=${encodeURIComponent(filter.value.trim())}` : ''}`));

  const draw = () => {
    const shown = showInternal ? events : events.filter(e => !e.name.startsWith('inngest/'));
    moreButton.hidden = !more;
    if (shown.length === 0) {
      list.replaceChildren(h('div', { class: 'inngest-lab-empty' }, 'No events yet. Send one with "Send event".'));
      return;
    }
    const body = h('tbody', {});
    for (const ev of shown) {
      const href = `/events/${encodeURIComponent(ev.internal_id)}`;
      const row = h(
        'tr',
        { class: 'inngest-lab-clickable', 'data-event-id': ev.internal_id },
        h('td', {}, h('a', { class: 'inngest-lab-name', href }, ev.name)),
        h('td', {}, h('span', { class: 'inngest-lab-id' }, ev.internal_id)),
        h('td', { class: 'inngest-lab-muted' }, formatClock(Date.parse(ev.received_at))),
        h('td', { class: 'inngest-lab-muted inngest-lab-payload' }, JSON.stringify(ev.data))
      );
      row.addEventListener('click', e => {
        if (!(e.metaKey || e.ctrlKey) && !window.getSelection()?.toString()) {
          e.preventDefault();
          ctx.navigate(href);
        }
      });
      body.append(row);
    }
    list.replaceChildren(
      h('table', { class: 'inngest-lab-table' }, h('thead', {}, h('tr', {}, ...['Name', 'Event ID', 'Received', 'Data'].map(t => h('th', {}, t)))), body)
    );
  };
  const load = async (append: boolean) => {
    try {
      const page = await api.events({ cursor: append ? cursor : null, name, limit: PAGE });
      if (append || events.length <= PAGE) {
        events = append ? [...events, ...page] : page;
        more = page.length === PAGE;
      } else {
        // A live refresh with older pages shown: put the new events on top and keep the rest.
        const known = new Set(events.map(e => e.internal_id));
        events = [...page.filter(e => !known.has(e.internal_id)), ...events];
      }
      cursor = events.length ? events[events.length - 1].internal_id : null;
      draw();
    } catch (error) {
      list.replaceChildren(h('div', { class: 'inngest-lab-error' }, messageOf(error)));
    }
  };
  const refresh = coalesce(() => void load(false), 250);
  const stop = ctx.onLive(notices => notices.some(n => n.type === 'event' || n.type === 'resync') && refresh());
  void load(false);
  const el = h(
    'section',
    { class: 'inngest-lab-page', 'data-page': 'events' },
    h('div', { class: 'inngest-lab-run-title' }, h('h1', {}, 'Events'), h('span', { class: 'inngest-lab-spacer' }), button('Send event', () => ctx.sendEvent(), 'inngest-lab-primary')),
    h('div', { class: 'inngest-lab-filter-row' }, filter, h('label', { class: 'inngest-lab-check' }, toggle, 'Show inngest/ events')),
    list,
    h('div', { class: 'inngest-lab-more' }, moreButton)
  );
  return { el, dispose: stop };
}

export function eventPage(ctx: IContext, id: string): IPage {
  const body = h('div', {});
  const runs = h('div', { class: 'inngest-lab-card', 'data-testid': 'event-runs' });
  const el = h('section', { class: 'inngest-lab-page', 'data-page': 'event', 'data-event-id': id }, body, runs);
  const loadRuns = async () => {
    try {
      const found = await api.eventRuns(id);
      runs.replaceChildren(
        h('div', { class: 'inngest-lab-detail-title' }, `Runs triggered (${found.length})`),
        found.length === 0
          ? h('div', { class: 'inngest-lab-empty' }, 'This event started no run.')
          : h(
              'ul',
              { class: 'inngest-lab-list' },
              ...found.map(r =>
                h(
                  'li',
                  { class: 'inngest-lab-item', 'data-run-id': r.run_id },
                  statusBadge(r.status),
                  ' ',
                  h('a', { class: 'inngest-lab-id', href: `/runs/${encodeURIComponent(r.run_id)}` }, r.run_id),
                  ' ',
                  h('span', { class: 'inngest-lab-name' }, r.function_id)
                )
              )
            )
      );
    } catch (error) {
      runs.replaceChildren(h('div', { class: 'inngest-lab-error' }, messageOf(error)));
    }
  };
  void (async () => {
    try {
      const ev = await api.event(id);
      const replay = button(
        'Replay',
        async () => {
          try {
            const { id: newId } = await api.replay(id);
            ctx.toast(`Replayed as ${newId}`);
            ctx.navigate(`/events/${encodeURIComponent(newId)}`);
          } catch (error) {
            ctx.toast(messageOf(error), true);
          }
        },
        'inngest-lab-primary'
      );
      const again = button('Send a copy', () => ctx.sendEvent(formatJson({ name: ev.name, data: ev.data })));
      body.replaceChildren(
        h('div', { class: 'inngest-lab-run-title' }, h('h1', {}, ev.name), h('span', { class: 'inngest-lab-id' }, ev.internal_id), h('span', { class: 'inngest-lab-spacer' }), again, replay),
        h('div', { class: 'inngest-lab-muted' }, `Received ${new Date(ev.received_at).toLocaleString()}`),
        h('pre', { class: 'inngest-lab-pre', 'data-testid': 'event-payload' }, formatJson({ name: ev.name, data: ev.data, user: ev.user, id: ev.id, ts: ev.ts }))
      );
    } catch (error) {
      body.replaceChildren(h('div', { class: 'inngest-lab-error' }, messageOf(error)));
    }
  })();
  void loadRuns();
  const refresh = coalesce(() => void loadRuns(), 250);
  const stop = ctx.onLive(notices => notices.some(n => n.type === 'run') && refresh());
  return { el, dispose: stop };
}
