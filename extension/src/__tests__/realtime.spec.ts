/**
 * @jest-environment jsdom
 *
 * A run's realtime stream as every host draws it: the bounded log, the progress rule, the short JSON, and the
 * pane's DOM (hidden until the run publishes, newest row in sight).
 */
import {
  IRealtimeMessage,
  addMessage,
  drawRealtime,
  emptyRealtime,
  followRealtime,
  hasRealtime,
  progressOf,
  renderRealtime,
  shortJson
} from '../components/realtime';

function message(data: unknown, topic = 'tick'): IRealtimeMessage {
  return { kind: 'data', channel: 'progress:a', topic, data, created_at: '2026-01-01T00:00:00.000Z', run_id: '01RUN' };
}

describe('progressOf', () => {
  it('reads a numeric progress of an object, clamped to [0, 1]', () => {
    expect(progressOf({ progress: 0.25 })).toBe(0.25);
    expect(progressOf({ progress: 1.5 })).toBe(1);
    expect(progressOf({ progress: -2 })).toBe(0);
    expect(progressOf({ progress: '0.5' })).toBeNull();
    expect(progressOf({ progress: NaN })).toBeNull();
    expect(progressOf([0.5])).toBeNull();
    expect(progressOf(0.5)).toBeNull();
    expect(progressOf(null)).toBeNull();
  });
});

describe('addMessage', () => {
  it('keeps the newest rows, counts the dropped ones, and keeps the last progress reported', () => {
    let view = emptyRealtime('01RUN');
    for (let i = 0; i < 5; i++) {
      view = addMessage(view, message({ i, progress: (i + 1) / 5 }), 3);
    }
    view = addMessage(view, message('a log line', 'log'), 3);
    expect(view.messages.map(m => m.data)).toEqual([{ i: 3, progress: 0.8 }, { i: 4, progress: 1 }, 'a log line']);
    expect(view.dropped).toBe(3);
    expect(view.progress).toBe(1);
  });

  it('does not change the view it was given', () => {
    const view = emptyRealtime('01RUN');
    addMessage(view, message({ progress: 0.5 }));
    expect(view).toEqual(emptyRealtime('01RUN'));
  });
});

describe('shortJson', () => {
  it('is one line, cut with an ellipsis; strings as they are', () => {
    expect(shortJson({ a: [1, 2] })).toBe('{"a":[1,2]}');
    expect(shortJson('plain text')).toBe('plain text');
    expect(shortJson({ text: 'x'.repeat(50) }, 20)).toBe('{"text":"xxxxxxxxxx…');
    expect(shortJson(undefined)).toBe('undefined');
  });
});

describe('the realtime pane', () => {
  it('shows the progress bar, the channel and topic of each row, newest last', () => {
    let view = emptyRealtime('01RUN');
    view = addMessage(view, message({ progress: 0.5 }));
    view = addMessage(view, message({ line: 'second' }, 'log'));
    const el = renderRealtime(view);
    const bar = el.querySelector('[data-testid="inngest-rt-progress"]')!;
    expect(bar.getAttribute('aria-valuenow')).toBe('50');
    expect((bar.firstElementChild as HTMLElement).style.width).toBe('50%');
    const rows = [...el.querySelectorAll('[data-testid="inngest-rt-row"]')];
    expect(rows.map(r => r.querySelector('.inngest-lab-pill')!.textContent)).toEqual(['progress:a · tick', 'progress:a · log']);
    expect(rows[1].querySelector('code')!.textContent).toBe('{"line":"second"}');
    expect(rows[1].querySelector('code')!.getAttribute('title')).toBe('{\n  "line": "second"\n}');
    expect(el.textContent).toContain('2 messages');
  });

  it('has no bar when no message reported progress, and says when older rows were dropped and the run ended', () => {
    const view = { ...addMessage(emptyRealtime('01RUN'), message('x'), 1), dropped: 4, done: true };
    const el = renderRealtime(view);
    expect(el.querySelector('[data-testid="inngest-rt-progress"]')).toBeNull();
    expect(el.textContent).toContain('4 older messages not shown');
    expect(el.textContent).toContain('5 messages · run ended');
    expect(el.hasAttribute('data-done')).toBe(true);
  });

  it('stays hidden until the run published something', () => {
    const host = document.createElement('div');
    drawRealtime(host, emptyRealtime('01RUN'));
    expect(host.hidden).toBe(true);
    expect(hasRealtime(null)).toBe(false);
    drawRealtime(host, addMessage(emptyRealtime('01RUN'), message({ progress: 0.1 })));
    expect(host.hidden).toBe(false);
    expect(host.querySelectorAll('[data-testid="inngest-rt-row"]')).toHaveLength(1);
  });
});

describe('followRealtime', () => {
  it('reconnects after a drop, says when it is connected, and stops when aborted', async () => {
    const controller = new AbortController();
    const states: boolean[] = [];
    const seen: unknown[] = [];
    let opens = 0;
    const open = async (onMessage: (m: IRealtimeMessage) => void, signal: AbortSignal, onOpen: () => void) => {
      opens++;
      if (opens === 1) {
        throw new Error('refused'); // a failed connect is retried
      }
      onOpen();
      onMessage(message({ progress: opens / 4 }));
      if (opens === 3) {
        controller.abort(); // the host is gone: no further connect
      }
      expect(signal).toBe(controller.signal);
    };
    await followRealtime(open, controller.signal, m => seen.push(m.data), c => states.push(c), 1);
    expect(opens).toBe(3);
    expect(seen).toEqual([{ progress: 0.5 }, { progress: 0.75 }]);
    expect(states).toEqual([false, true, false, true]);
  });
});
