/** The sidebar model against a fake API and a manual clock: no server, no DOM. */
import { COALESCE_MS, InngestLabModel, IScheduler, ModelChange, RECONNECT_MS, curlFor, parseEventInput } from '../model';
import { IEventInfo, IEventInput, IFunctionInfo, IInngestApi, IRunQuery, IRunSummary, ITimeline, LiveNotice } from '../tokens';

class ManualClock implements IScheduler {
  now = 0;
  private timers = new Map<number, { at: number; fn: () => void }>();
  private next = 1;
  setTimeout(fn: () => void, ms: number): unknown {
    const id = this.next++;
    this.timers.set(id, { at: this.now + ms, fn });
    return id;
  }
  clearTimeout(handle: unknown): void {
    this.timers.delete(handle as number);
  }
  /** Move time forward, firing due timers in order. */
  async advance(ms: number): Promise<void> {
    const target = this.now + ms;
    for (;;) {
      const due = [...this.timers.entries()].filter(([, t]) => t.at <= target).sort((a, b) => a[1].at - b[1].at)[0];
      if (!due) {
        break;
      }
      this.timers.delete(due[0]);
      this.now = due[1].at;
      due[1].fn();
      await flush();
    }
    this.now = target;
    await flush();
  }
  get pending(): number {
    return this.timers.size;
  }
}

const flush = () => new Promise(resolve => setTimeout(resolve, 0));

function run(id: string, status: IRunSummary['status'] = 'Running'): IRunSummary {
  return {
    run_id: id,
    function_id: 'app-fn',
    app_id: 'app',
    status,
    event_id: 'e1',
    event_name: 'demo/go',
    queued_at_ms: 1,
    started_at_ms: 2,
    ended_at_ms: null,
    run_started_at: '1970-01-01T00:00:00.002Z',
    ended_at: null
  };
}

class FakeApi implements IInngestApi {
  fns: IFunctionInfo[] = [];
  runList: IRunSummary[] = [];
  eventList: IEventInfo[] = [];
  calls: string[] = [];
  sent: IEventInput[][] = [];
  fail: string | null = null;
  /** Push notices into the open live stream; end() finishes it. */
  push: ((n: LiveNotice[]) => void) | null = null;
  end: (() => void) | null = null;
  liveConnects = 0;

  async functions(): Promise<IFunctionInfo[]> {
    this.calls.push('functions');
    if (this.fail) {
      throw new Error(this.fail);
    }
    return this.fns;
  }
  async runs(query?: IRunQuery): Promise<IRunSummary[]> {
    this.calls.push(`runs:${query?.limit}`);
    return this.runList;
  }
  async events(): Promise<IEventInfo[]> {
    this.calls.push('events');
    return this.eventList;
  }
  async trace(): Promise<ITimeline> {
    throw new Error('unused');
  }
  async cancel(runId: string): Promise<IRunSummary> {
    this.calls.push(`cancel:${runId}`);
    return run(runId, 'Cancelled');
  }
  async send(events: IEventInput[]): Promise<string[]> {
    this.sent.push(events);
    return events.map((_, i) => `id${i}`);
  }
  realtime(): Promise<void> {
    return Promise.resolve(); // the model never follows a run's realtime stream (the panels do)
  }
  live(onNotices: (n: LiveNotice[]) => void, signal: AbortSignal): Promise<void> {
    this.liveConnects++;
    return new Promise(resolve => {
      this.push = onNotices;
      this.end = () => resolve();
      signal.addEventListener('abort', () => resolve());
    });
  }
  count(call: string): number {
    return this.calls.filter(c => c === call).length;
  }
}

function setup(settings = {}) {
  const api = new FakeApi();
  const clock = new ManualClock();
  const model = new InngestLabModel(api, { scheduler: clock, settings, runLimit: 20 });
  const changes: ModelChange[] = [];
  model.changed.connect((_, c) => changes.push(c));
  return { api, clock, model, changes };
}

describe('InngestLabModel', () => {
  it('loads functions, runs and events on start and goes live', async () => {
    const { api, model, changes } = setup();
    api.runList = [run('r1')];
    await model.start();
    expect(model.runs.map(r => r.run_id)).toEqual(['r1']);
    expect(api.calls.sort()).toEqual(['events', 'functions', 'runs:20']);
    expect(model.connection).toBe('live');
    expect(changes).toContain('runs');
    model.dispose();
  });

  it('refreshes runs once for a burst of run notices, and tells panels which runs changed', async () => {
    const { api, clock, model } = setup();
    await model.start();
    const changed: string[] = [];
    model.runChanged.connect((_, id) => changed.push(id));
    api.runList = [run('r1', 'Completed')];
    api.push!([{ type: 'run', run_id: 'r1' }]);
    api.push!([{ type: 'run', run_id: 'r1', status: 'Completed' }, { type: 'run', run_id: 'r2' }]);
    expect(changed).toEqual(['r1', 'r1', 'r2']);
    const before = api.count('runs:20');
    await clock.advance(COALESCE_MS);
    expect(api.count('runs:20')).toBe(before + 1);
    expect(model.runs[0].status).toBe('Completed');
    model.dispose();
  });

  it('a run of a function it does not know yet refreshes the functions too', async () => {
    const { api, clock, model } = setup();
    await model.start();
    api.calls = [];
    api.push!([{ type: 'run', run_id: 'r9', function_id: 'nb-new', status: 'Running' }]);
    await clock.advance(COALESCE_MS);
    expect(api.calls.sort()).toEqual(['functions', 'runs:20']);
    model.dispose();
  });

  it('an event notice refreshes events only; resync refreshes everything', async () => {
    const { api, clock, model } = setup();
    await model.start();
    api.calls = [];
    api.push!([{ type: 'event', id: 'e1', name: 'demo/go' }]);
    await clock.advance(COALESCE_MS);
    expect(api.calls).toEqual(['events']);
    api.calls = [];
    api.push!([{ type: 'resync' }]);
    await clock.advance(COALESCE_MS);
    expect(api.calls.sort()).toEqual(['events', 'functions', 'runs:20']);
    model.dispose();
  });

  it('falls back to polling when the stream ends, catches up, and reconnects', async () => {
    const { api, clock, model } = setup();
    await model.start();
    api.calls = [];
    api.end!();
    await flush();
    expect(model.connection).toBe('polling');
    await clock.advance(COALESCE_MS);
    expect(api.calls.sort()).toEqual(['events', 'runs:20']);
    await clock.advance(RECONNECT_MS);
    expect(api.liveConnects).toBe(2);
    expect(model.connection).toBe('live');
    model.dispose();
  });

  it('polls functions on the configured interval, and everything when live is off', async () => {
    const { api, clock, model } = setup({ pollInterval: 5, live: false });
    await model.start();
    expect(model.connection).toBe('polling');
    expect(api.liveConnects).toBe(0);
    api.calls = [];
    await clock.advance(5000);
    expect(api.calls.sort()).toEqual(['events', 'functions', 'runs:20']);
    model.dispose();
    expect(clock.pending).toBe(0);
  });

  it('reports a failing read as an error and clears it when reads succeed again', async () => {
    const { api, model } = setup();
    api.fail = 'server went away';
    await model.refreshFunctions();
    expect(model.error).toBe('server went away');
    api.fail = null;
    await model.refreshFunctions();
    expect(model.error).toBeNull();
    model.dispose();
  });

  it('sends events and refreshes runs and events shortly after', async () => {
    const { api, clock, model } = setup();
    await model.start();
    api.calls = [];
    const ids = await model.send([{ name: 'demo/go', data: { a: 1 } }]);
    expect(ids).toEqual(['id0']);
    expect(api.sent).toEqual([[{ name: 'demo/go', data: { a: 1 } }]]);
    await clock.advance(COALESCE_MS);
    expect(api.calls.sort()).toEqual(['events', 'runs:20']);
    model.dispose();
  });

  it('turning live off in the settings closes the stream', async () => {
    const { api, model } = setup();
    await model.start();
    model.updateSettings({ live: false });
    expect(model.connection).toBe('polling');
    expect(api.liveConnects).toBe(1);
    model.dispose();
  });
});

describe('parseEventInput', () => {
  it('accepts one event or an array, defaulting data to {}', () => {
    expect(parseEventInput('{"name": "a/b"}')).toEqual({ events: [{ name: 'a/b', data: {} }] });
    expect(parseEventInput('[{"name": "a/b", "data": {"x": 1}}, {"name": "c/d"}]')).toEqual({
      events: [
        { name: 'a/b', data: { x: 1 } },
        { name: 'c/d', data: {} }
      ]
    });
  });

  it.each([
    ['{', /Not valid JSON/],
    ['[]', /at least one/],
    ['"x"', /JSON object/],
    ['{"data": {}}', /"name" must be/],
    ['{"name": "  "}', /"name" must be/],
    ['{"name": "inngest/function.failed"}', /reserved/],
    ['{"name": "a/b", "data": [1]}', /"data" must be a JSON object/],
    ['[{"name": "a/b"}, {"name": 3}]', /event 2: "name"/]
  ])('rejects %s', (text, message) => {
    const result = parseEventInput(text);
    expect('error' in result && result.error).toMatch(message);
  });
});

describe('curlFor', () => {
  it('quotes the body for a POSIX shell', () => {
    expect(curlFor('http://h/e/k', [{ name: "it's", data: {} }])).toBe(
      `curl -X POST 'http://h/e/k' -H 'Content-Type: application/json' -d '{"name":"it'\\''s","data":{}}'`
    );
  });
});
