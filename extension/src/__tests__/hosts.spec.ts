/**
 * @jest-environment jsdom
 *
 * The host glue around the components: the dashboard's request helper and URL state, and the notebook
 * widget's bindings to a model (a fake anywidget model here).
 */
import { csrfToken, loginUrl, runPageParams } from '../dashboard/http';
import { queryFromSearch } from '../dashboard/pages/runs';
import { renderTimeline } from '../components/timeline';
import { IModel, bindTimeline, jsonObjectProblem, summaryOfRow } from '../widget/views';

describe('dashboard request helper', () => {
  afterEach(() => {
    document.head.innerHTML = '';
    document.cookie = 'inngest_lab_csrf=; expires=Thu, 01 Jan 1970 00:00:00 GMT';
  });

  it('reads the CSRF token from the meta tag first, else from the cookie', () => {
    expect(csrfToken()).toBeNull();
    document.cookie = 'inngest_lab_csrf=c%3Dookie';
    expect(csrfToken()).toBe('c=ookie');
    document.head.innerHTML = '<meta name="csrf-token" content="from-meta">';
    expect(csrfToken()).toBe('from-meta');
  });

  it('sends a 401 to the login page with the way back', () => {
    expect(loginUrl({ pathname: '/runs/01ABC', search: '?x=1' })).toBe('/login?next=%2Fruns%2F01ABC%3Fx%3D1');
  });

  it('turns the runs page filters into the query and back', () => {
    const params = runPageParams({ status: ['Failed', 'Running'], appId: 'shop', q: 'event.data.n > 1', cursor: null, limit: 20 });
    expect(params.toString()).toBe('limit=20&status=Failed&status=Running&app_id=shop&q=event.data.n+%3E+1');
    expect(queryFromSearch('?status=Failed&status=Bogus&time_field=ended&limit=999')).toMatchObject({
      status: ['Failed'],
      timeField: 'ended',
      limit: 200
    });
  });
});

class FakeModel implements IModel {
  constructor(private traits: Record<string, unknown>) {}
  sent: Record<string, unknown>[] = [];
  private listeners = new Map<string, Set<() => void>>();
  get(name: string): any {
    return this.traits[name];
  }
  set(name: string, value: unknown): void {
    this.traits[name] = value;
    this.listeners.get(`change:${name}`)?.forEach(fn => fn());
  }
  save_changes(): void {}
  on(event: string, fn: () => void): void {
    this.listeners.set(event, (this.listeners.get(event) ?? new Set()).add(fn));
  }
  off(event: string, fn: () => void): void {
    this.listeners.get(event)?.delete(fn);
  }
  send(msg: Record<string, unknown>): void {
    this.sent.push(msg);
  }
}

describe('notebook widget bindings', () => {
  const view = {
    run_id: '01RUN',
    function_id: 'fn',
    app_id: 'app',
    status: 'Completed',
    event_name: 'e',
    event_ids: [],
    queued_at_ms: 0,
    started_at_ms: 0,
    ended_at_ms: 100,
    now_ms: 100,
    output: null,
    error: null,
    spans: []
  };

  it('draws the timeline component and sends Rerun to Python; redraws on change', () => {
    const model = new FakeModel({ data: view, static: false, fake_clock: true });
    const el = document.createElement('div');
    const unbind = bindTimeline(model, el, 'data', 'realtime');
    expect(el.querySelector('.inngest-lab-timeline')?.getAttribute('data-run-id')).toBe('01RUN');
    ([...el.querySelectorAll('button')].find(b => b.textContent === 'Rerun') as HTMLButtonElement).click();
    expect(model.sent).toEqual([{ type: 'rerun', run_id: '01RUN' }]);
    model.set('data', { ...view, run_id: '01OTHER' });
    expect(el.querySelector('.inngest-lab-timeline')?.getAttribute('data-run-id')).toBe('01OTHER');
    unbind();
  });

  it('draws the realtime trait under the timeline once the run published, and stops on unbind', () => {
    const model = new FakeModel({ data: view, static: false, fake_clock: true, realtime: {} });
    const el = document.createElement('div');
    const unbind = bindTimeline(model, el, 'data', 'realtime');
    const host = el.querySelector('.inngest-lab-realtime-host') as HTMLElement;
    expect(host.hidden).toBe(true);
    const message = { channel: 'c', topic: 't', data: { progress: 0.4 }, created_at: '2026-01-01T00:00:00.000Z' };
    model.set('realtime', { run_id: '01RUN', messages: [message], dropped: 0, progress: 0.4, done: false });
    expect(host.hidden).toBe(false);
    expect(el.querySelector('.inngest-lab-timeline-host')?.nextElementSibling).toBe(host); // under the timeline
    expect(host.querySelector('[data-testid="inngest-rt-progress"]')?.getAttribute('aria-valuenow')).toBe('40');
    unbind();
    model.set('realtime', { run_id: '01RUN', messages: [message, message], dropped: 0, progress: 0.4, done: true });
    expect(host.querySelectorAll('[data-testid="inngest-rt-row"]')).toHaveLength(1); // unbound: no redraw
  });

  it('a static snapshot has no buttons', () => {
    const el = document.createElement('div');
    bindTimeline(new FakeModel({ data: view, static: true }), el, 'data', 'realtime')();
    expect([...el.querySelectorAll('button')].map(b => b.textContent)).not.toContain('Rerun');
  });

  it('maps the widget rows to the API shape and checks JSON data', () => {
    const row = { run_id: 'r', fn_id: 'f', status: 'Running', event_name: '', queued_at: 5, started_at: null, ended_at: null };
    expect(summaryOfRow(row)).toMatchObject({ run_id: 'r', function_id: 'f', event_name: null, queued_at_ms: 5, run_started_at: null });
    const ended = summaryOfRow({ ...row, status: 'Completed', started_at: 10, ended_at: 1510 });
    expect([ended.run_started_at, ended.ended_at]).toEqual(['1970-01-01T00:00:00.010Z', '1970-01-01T00:00:01.510Z']);
    expect([jsonObjectProblem(''), jsonObjectProblem('{"a":1}'), jsonObjectProblem('[1]')]).toEqual([null, null, '"data" must be a JSON object']);
    expect(jsonObjectProblem('{oops')).toMatch(/^Not valid JSON/);
  });
});

describe('one component, every host', () => {
  it('the widget draws a run exactly as the bare component the panel and the dashboard use', () => {
    const data = {
      run_id: '01SAME',
      function_id: 'shop-checkout',
      app_id: 'shop',
      status: 'Completed' as const,
      event_name: 'shop/order.placed',
      event_ids: ['01EV'],
      queued_at_ms: 0,
      started_at_ms: 5,
      ended_at_ms: 900,
      now_ms: 900,
      output: { ok: true },
      error: null,
      spans: [
        {
          id: 's',
          name: 'charge-card',
          kind: 'run' as const,
          status: 'completed' as const,
          queued_at_ms: 5,
          started_at_ms: 10,
          ended_at_ms: 600,
          output: 'ch_42',
          error: null,
          input: null,
          detail: {},
          attempts: []
        }
      ],
      skip_reason: null,
      flow: []
    };
    const el = document.createElement('div');
    bindTimeline(new FakeModel({ data, static: true, fake_clock: true }), el, 'data', 'realtime')();
    const bare = renderTimeline(data, { zoom: null, selected: null, onZoom: () => undefined });
    expect(el.querySelector('.inngest-lab-timeline')?.outerHTML).toBe(bare.outerHTML);
  });
});
