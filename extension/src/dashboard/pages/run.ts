/**
 * `/runs/{id}`: a run's trigger event(s) with their payloads, its output or error, run info, the timeline
 * (nested steps and attempts, queue delay versus execution, flow-control waits, zoom), the step panel, and
 * Rerun, Rerun from a step with edited input, and Cancel. It follows the live feed: a sleeping or retrying
 * run redraws as it moves, and the bars of a run in progress grow with the clock between notices. Under the
 * timeline, the run's realtime stream (`GET /lab/runs/{id}/realtime`) arrives live once it publishes anything.
 */
import { h } from '../../components/dom';
import { formatClock, formatJson } from '../../components/format';
import { IRealtimeView, addMessage, drawRealtime, emptyRealtime, followRealtime } from '../../components/realtime';
import { statusBadge } from '../../components/runsTable';
import { TimelineState, renderTimeline } from '../../components/timeline';
import { IEventInfo, ISpan, ITimeline } from '../../tokens';
import { IContext, IPage, coalesce, messageOf } from '../context';
import { api } from '../http';
import { button, openJsonModal } from '../modal';

export function runPage(ctx: IContext, runId: string): IPage {
  let trace: ITimeline | null = null;
  let fetchedAt = 0; // local clock when `trace` arrived, to advance its now_ms while it runs
  const view = new TimelineState(() => draw());
  const head = h('div', { class: 'inngest-lab-run-head' });
  const timeline = h('div', { class: 'inngest-lab-card', 'data-testid': 'run-timeline' });
  const stream = h('div', { class: 'inngest-lab-card', 'data-testid': 'run-realtime', hidden: true });
  const trigger = h('div', { class: 'inngest-lab-card', 'data-testid': 'run-trigger' });
  const el = h('section', { class: 'inngest-lab-page', 'data-page': 'run', 'data-run-id': runId }, head, timeline, stream, trigger);
  let realtime: IRealtimeView = emptyRealtime(runId);

  const draw = () => {
    if (!trace) {
      return;
    }
    const now = trace.ended_at_ms === null ? trace.now_ms + (Date.now() - fetchedAt) : trace.now_ms;
    const t = { ...trace, now_ms: now };
    head.replaceChildren(header(ctx, t));
    timeline.replaceChildren(
      renderTimeline(t, view.options({ stepActions: span => stepActions(ctx, t, span) }))
    );
  };

  const load = async () => {
    try {
      trace = await api.trace(runId);
      fetchedAt = Date.now();
      el.dataset.status = trace.status;
      draw();
      if (trace.ended_at_ms !== null && !realtime.done) {
        realtime = { ...realtime, done: true };
        drawRealtime(stream, realtime);
      }
    } catch (error) {
      head.replaceChildren(h('div', { class: 'inngest-lab-error' }, messageOf(error)));
    }
  };
  const refresh = coalesce(() => void load(), 150);
  const stop = ctx.onLive(notices => {
    if (notices.some(n => n.type === 'resync' || (n.type === 'run' && n.run_id === runId))) {
      refresh();
    }
  });
  const tick = setInterval(() => trace && trace.ended_at_ms === null && draw(), 1000);
  const following = new AbortController();
  // Opened before the run is read: what it publishes while the page loads is shown too.
  void followRealtime(
    (onMessage, signal, onOpen) => api.runRealtime(runId, onMessage, signal, onOpen),
    following.signal,
    message => {
      realtime = addMessage(realtime, message);
      drawRealtime(stream, realtime);
    },
    connected => (el.dataset.realtime = connected ? 'connected' : 'reconnecting')
  );
  void load().then(() => trace && void drawTrigger(trigger, trace));
  return {
    el,
    dispose: () => {
      stop();
      clearInterval(tick);
      following.abort();
    }
  };
}

function header(ctx: IContext, t: ITimeline): HTMLElement {
  const ended = t.ended_at_ms !== null;
  const rerun = button('Rerun', async () => {
    try {
      const { runId } = await api.rerun(t.run_id);
      ctx.toast(`Rerun started: ${runId}`);
      ctx.navigate(`/runs/${encodeURIComponent(runId)}`);
    } catch (error) {
      ctx.toast(messageOf(error), true);
    }
  });
  const cancel = button(
    'Cancel run',
    async () => {
      try {
        await api.cancel(t.run_id);
        ctx.toast('Run cancelled.');
      } catch (error) {
        ctx.toast(messageOf(error), true);
      }
    },
    'inngest-lab-danger'
  );
  cancel.disabled = ended;
  return h(
    'div',
    { class: 'inngest-lab-run-title' },
    h('h1', {}, h('a', { href: `/runs?function_id=${encodeURIComponent(t.function_id)}` }, t.function_id)),
    statusBadge(t.status),
    h('span', { class: 'inngest-lab-id', title: 'Run ID' }, t.run_id),
    h('span', { class: 'inngest-lab-spacer' }),
    rerun,
    cancel
  );
}

/** The trigger events with payloads, and the run's output or error. */
async function drawTrigger(el: HTMLElement, t: ITimeline): Promise<void> {
  const events: IEventInfo[] = [];
  for (const id of t.event_ids.slice(0, 10)) {
    try {
      events.push(await api.event(id));
    } catch {
      // an event past retention: listed by id only
    }
  }
  el.replaceChildren(
    h('div', { class: 'inngest-lab-detail-title' }, t.event_ids.length > 1 ? `Trigger events (${t.event_ids.length})` : 'Trigger event'),
    ...t.event_ids.map(id => {
      const ev = events.find(e => e.internal_id === id);
      return h(
        'div',
        { class: 'inngest-lab-event-block' },
        h(
          'div',
          {},
          h('a', { class: 'inngest-lab-name', href: `/events/${encodeURIComponent(id)}` }, ev?.name ?? id),
          ' ',
          h('span', { class: 'inngest-lab-id inngest-lab-muted' }, id),
          ev ? h('span', { class: 'inngest-lab-muted' }, ` received ${formatClock(Date.parse(ev.received_at))}`) : null
        ),
        ev ? h('pre', { class: 'inngest-lab-pre' }, formatJson({ name: ev.name, data: ev.data, user: ev.user, id: ev.id, ts: ev.ts })) : null
      );
    })
  );
}

/** Under a selected step: Rerun from this step, with its input editable (a JSON array of arguments). */
function stepActions(ctx: IContext, t: ITimeline, span: ISpan): HTMLElement | null {
  if (span.kind !== 'run' || t.ended_at_ms === null) {
    return null;
  }
  return h(
    'div',
    { class: 'inngest-lab-actions' },
    button('Rerun from this step', () =>
      openJsonModal<unknown[] | undefined>({
        title: `Rerun from step "${span.name}"`,
        hint:
          'The step and everything after it run again; earlier steps keep their results. Leave the input empty to run ' +
          'the step with its own arguments, or give a JSON array of replacement arguments, e.g. ["new note"].',
        initial: '',
        action: 'Rerun',
        validate: text => {
          if (!text.trim()) {
            return { value: undefined };
          }
          try {
            const value = JSON.parse(text);
            return Array.isArray(value) ? { value } : { error: 'The input is a JSON array of the step\'s arguments, e.g. [] or [{"id": 1}].' };
          } catch (error) {
            return { error: `Not valid JSON: ${messageOf(error)}` };
          }
        },
        run: async value => {
          const { runId } = await api.rerun(t.run_id, value === undefined ? { stepId: span.id } : { stepId: span.id, input: value });
          ctx.toast(`Rerun from "${span.name}" started: ${runId}`);
          ctx.navigate(`/runs/${encodeURIComponent(runId)}`);
        }
      })
    )
  );
}
