/** The live stream parser: data blocks across chunk boundaries, comments ignored. */
import { SseParser } from '../sse';
import { LiveNotice } from '../tokens';

describe('SseParser', () => {
  it('emits each data block once, however the bytes arrive', () => {
    const seen: LiveNotice[][] = [];
    const p = new SseParser(n => seen.push(n));
    p.feed(': connected\n\ndata: [{"type":"run","run_id":"r1"}]');
    expect(seen).toEqual([]);
    p.feed('\n\n: keepalive\n\ndata: [{"type":"resync"}]\n\n');
    expect(seen).toEqual([[{ type: 'run', run_id: 'r1' }], [{ type: 'resync' }]]);
  });

  it('skips a malformed block and keeps going', () => {
    const seen: LiveNotice[][] = [];
    const p = new SseParser(n => seen.push(n));
    p.feed('data: {nope\n\ndata: [{"type":"event","id":"e","name":"a/b"}]\n\n');
    expect(seen).toEqual([[{ type: 'event', id: 'e', name: 'a/b' }]]);
  });

  it('parses any JSON payload: the realtime stream sends one message object per block', () => {
    const seen: { topic: string }[] = [];
    const p = new SseParser<{ topic: string }>(m => seen.push(m));
    p.feed(': connected\n\ndata: {"topic":"a"}\n\ndata: {"topic":"b"}\n\n');
    expect(seen.map(m => m.topic)).toEqual(['a', 'b']);
  });
});
