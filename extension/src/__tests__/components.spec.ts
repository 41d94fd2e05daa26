/**
 * @jest-environment jsdom
 *
 * The shared components, as every host draws them (JupyterLab panel, notebook widget, dashboard): pure
 * helpers and the DOM they build.
 */
import { formatDuration } from '../components/format';
import { icon } from '../components/icons';
import { renderRunsTable } from '../components/runsTable';
import { renderFunctions, whereAreMyRuns } from '../components/tables';
import { TimelineState, renderTimeline, shownStatus, timeWindow, zoomWindow } from '../components/timeline';
import { IRunSummary, ISpan, ITimeline } from '../tokens';

function span(over: Partial<ISpan> = {}): ISpan {
  return {
    id: 's1',
    name: 'charge-card',
    kind: 'run',
    status: 'completed',
    queued_at_ms: 1000,
    started_at_ms: 1100,
    ended_at_ms: 1500,
    output: 'ch_42',
    error: null,
    input: null,
    detail: {},
    attempts: [],
    ...over
  };
}

function timeline(over: Partial<ITimeline> = {}): ITimeline {
  return {
    run_id: '01RUN',
    function_id: 'shop-checkout',
    app_id: 'shop',
    status: 'Completed',
    event_name: 'shop/order.placed',
    event_ids: ['01EV'],
    queued_at_ms: 1000,
    started_at_ms: 1000,
    ended_at_ms: 2000,
    now_ms: 2000,
    output: { ok: true },
    error: null,
    spans: [span()],
    skip_reason: null,
    flow: [],
    ...over
  };
}

describe('formatDuration', () => {
  it('reads like the Python fallback renderer', () => {
    expect([5, 1500, 61000, 3600000, 90061000].map(formatDuration)).toEqual(['5ms', '1.5s', '1m 1s', '1h', '1d 1h']);
    expect(formatDuration(null)).toBe('');
  });
});

describe('timeline geometry', () => {
  it('draws a sleeping run to the end of its sleep', () => {
    const t = timeline({
      ended_at_ms: null,
      status: 'Running',
      now_ms: 2000,
      spans: [span({ kind: 'sleep', status: 'sleeping', ended_at_ms: null, detail: { sleep_until_ms: 61000 } })]
    });
    expect(timeWindow(t)).toEqual({ start: 1000, end: 61000 });
  });

  it('reads a queued step whose last attempt failed as retrying', () => {
    const errored = { attempt: 0, status: 'errored' as const, queued_at_ms: 0, started_at_ms: 0, ended_at_ms: 1, error: null, flow_wait_ms: 0 };
    expect(shownStatus({ status: 'queued', attempts: [errored] })).toBe('retrying');
    expect(shownStatus({ status: 'queued', attempts: [] })).toBe('queued');
  });

  it('zooms around the middle and resets when the whole run fits', () => {
    const whole = { start: 0, end: 1000 };
    expect(zoomWindow(whole, whole, 0.5)).toEqual({ start: 250, end: 750 });
    expect(zoomWindow({ start: 250, end: 750 }, whole, 2)).toBeNull();
  });
});

describe('renderTimeline', () => {
  it('draws a row per step with SVG icons (no font-dependent glyphs) and attempts nested under it', () => {
    const attempts = [
      { attempt: 0, status: 'errored' as const, queued_at_ms: 1000, started_at_ms: 1010, ended_at_ms: 1050, error: { name: 'Error', message: 'timeout' }, flow_wait_ms: 0 },
      { attempt: 1, status: 'completed' as const, queued_at_ms: 1050, started_at_ms: 1100, ended_at_ms: 1500, error: null, flow_wait_ms: 0 }
    ];
    const el = renderTimeline(timeline({ spans: [span({ attempts }), span({ id: 's2', name: 'cool-down', kind: 'sleep' })] }));
    const rows = el.querySelectorAll('.inngest-lab-timeline-row[data-span-id]');
    expect([...rows].map(r => r.getAttribute('data-kind'))).toEqual(['run', null, null, 'sleep']); // the attempts have no kind
    expect(el.querySelectorAll('.inngest-lab-attempt-row')).toHaveLength(2);
    expect(el.querySelector('[data-kind=sleep] svg')?.getAttribute('data-icon')).toBe('sleep');
    expect(el.textContent).not.toContain('\u23fe');
    expect(el.textContent).toContain('2 attempts');
  });

  it('draws the flow-control wait inside the queue delay', () => {
    const el = renderTimeline(timeline({ spans: [span({ queued_at_ms: 1000, started_at_ms: 1400, detail: { flow_wait_ms: 300 } })] }));
    expect(el.querySelector('[data-span-id=s1] .inngest-lab-bar-flow')).not.toBeNull();
    expect(el.querySelector('[data-span-id=s1] .inngest-lab-bar-queue')).not.toBeNull();
  });

  it('hides bars outside a zoomed window and offers Reset zoom', () => {
    const zoomed: { start: number; end: number }[] = [];
    const el = renderTimeline(timeline({ spans: [span(), span({ id: 'late', queued_at_ms: 1900, started_at_ms: 1900, ended_at_ms: 2000 })] }), {
      zoom: { start: 1000, end: 1600 },
      onZoom: w => w && zoomed.push(w)
    });
    expect(el.querySelector('[data-span-id=late] .inngest-lab-bar')).toBeNull();
    expect(el.querySelector('[data-span-id=s1] .inngest-lab-bar')).not.toBeNull();
    const buttons = [...el.querySelectorAll('.inngest-lab-zoom button')].map(b => b.textContent);
    expect(buttons).toEqual(['Zoom in', 'Zoom out', 'Reset zoom']);
    (el.querySelector('.inngest-lab-zoom button') as HTMLButtonElement).click();
    expect(zoomed).toEqual([{ start: 1150, end: 1450 }]);
  });

  it('shows the selected step with its output, errors and the host\'s actions', () => {
    const seen: string[] = [];
    const el = renderTimeline(timeline(), {
      selected: 's1',
      stepActions: s => {
        seen.push(s.id);
        return document.createElement('button');
      }
    });
    expect(el.querySelector('.inngest-lab-detail')?.textContent).toContain('ch_42');
    expect(el.querySelector('.inngest-lab-detail')?.textContent).not.toContain('Input');
    expect(seen).toEqual(['s1']);
  });

  it('shows the arguments a step ran with when its SDK reported them', () => {
    const el = renderTimeline(timeline({ spans: [span({ input: [{ sku: 'matcha' }, 2] })] }), { selected: 's1' });
    const detail = el.querySelector('.inngest-lab-detail')?.textContent ?? '';
    expect(detail).toContain('Input');
    expect(detail).toContain('matcha');
    expect(detail.indexOf('Input')).toBeLessThan(detail.indexOf('ch_42'));
  });

  it('offers Cancel while running and Rerun once ended', () => {
    const calls: string[] = [];
    const running = renderTimeline(timeline({ ended_at_ms: null, status: 'Running' }), { onCancel: () => calls.push('cancel'), onRerun: () => calls.push('rerun') });
    const ended = renderTimeline(timeline(), { onCancel: () => calls.push('cancel'), onRerun: () => calls.push('rerun') });
    const click = (el: HTMLElement, text: string) => ([...el.querySelectorAll('button')].find(b => b.textContent === text) as HTMLButtonElement).click();
    click(running, 'Cancel run');
    click(ended, 'Rerun');
    expect(calls).toEqual(['cancel', 'rerun']);
    expect([...running.querySelectorAll('button')].map(b => b.textContent)).not.toContain('Rerun');
  });
});

describe('renderRunsTable', () => {
  const run: IRunSummary = {
    run_id: '01RUNID',
    function_id: 'shop-checkout',
    app_id: 'shop',
    status: 'Completed',
    event_id: '01EV',
    event_name: 'shop/order.placed',
    queued_at_ms: 0,
    started_at_ms: 10,
    ended_at_ms: 1510,
    run_started_at: '1970-01-01T00:00:00.010Z',
    ended_at: '1970-01-01T00:00:01.510Z'
  };

  it('puts ids and function names in links and opens a run on a row click', () => {
    const opened: string[] = [];
    const el = renderRunsTable([run], { href: id => `/runs/${id}`, onOpen: id => opened.push(id) });
    const links = [...el.querySelectorAll('a')].map(a => [a.textContent, a.getAttribute('href')]);
    expect(links).toEqual([
      ['01RUNID', '/runs/01RUNID'],
      ['shop-checkout', '/runs/01RUNID']
    ]);
    expect(el.textContent).toContain('1.5s');
    (el.querySelector('tr[data-run-id]') as HTMLElement).dispatchEvent(new MouseEvent('click', { bubbles: true, button: 0 }));
    expect(opened).toEqual(['01RUNID']);
  });

  it('leaves the duration of a run in progress blank when the host has no clock for it', () => {
    const running = { ...run, ended_at_ms: null, status: 'Running' as const };
    const cells = (now: number | null | undefined) =>
      [...renderRunsTable([running], { now: now as number | null }).querySelectorAll('td')].map(td => td.textContent);
    expect(cells(null)[5]).toBe('');
    expect(cells(2010)[5]).toBe('2.0s');
  });

  it('says so when there is nothing to show', () => {
    expect(renderRunsTable([], { empty: 'No runs match.' }).textContent).toBe('No runs match.');
  });
});

describe('icon', () => {
  it('is an SVG that follows the text colour, hidden from screen readers unless labelled', () => {
    const plain = icon('wait');
    expect(plain.tagName.toLowerCase()).toBe('svg');
    expect(plain.getAttribute('aria-hidden')).toBe('true');
    expect(plain.querySelector('path')?.getAttribute('stroke')).toBe('currentColor');
    expect(icon('nope', 'unknown').getAttribute('data-icon')).toBe('dot');
  });
});

describe('the JupyterLab sidebar', () => {
  it('says where runs are when the hosted engine has none, instead of looking empty', () => {
    const el = renderFunctions([], { empty: whereAreMyRuns() });
    expect(el.textContent).toContain('keeps its functions and runs in its kernel');
    expect(el.textContent).toContain('RunsTable()');
  });
});

describe('TimelineState', () => {
  it('keeps the selection and zoom between draws, redraws on each change, and resets for another run', () => {
    let draws = 0;
    const state = new TimelineState(() => {
      draws += 1;
    });
    const rerun = (): void => undefined;
    const first = state.options({ onRerun: rerun });
    expect(first.onRerun).toBe(rerun);
    first.onSelect?.('s1');
    first.onZoom?.({ start: 10, end: 20 });
    expect(draws).toBe(2);
    expect(state.options()).toMatchObject({ selected: 's1', zoom: { start: 10, end: 20 } });
    state.reset();
    expect(state.options()).toMatchObject({ selected: null, zoom: null });
  });
});
