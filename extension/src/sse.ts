/** Server-Sent Events parsing for the live stream. No DOM, no JupyterLab. */
import { LiveNotice } from './tokens';

/** Splits a Server-Sent Events byte stream into `data:` payloads, each parsed as JSON (`/lab/live` sends arrays
 * of notices, `/lab/runs/{id}/realtime` one message object per block). */
export class SseParser<T = LiveNotice[]> {
  constructor(private onNotices: (payload: T) => void) {}

  feed(text: string): void {
    this._buffer += text;
    let end: number;
    while ((end = this._buffer.indexOf('\n\n')) >= 0) {
      const block = this._buffer.slice(0, end);
      this._buffer = this._buffer.slice(end + 2);
      const data = block
        .split('\n')
        .filter(line => line.startsWith('data: '))
        .map(line => line.slice(6))
        .join('\n');
      if (data) {
        try {
          this.onNotices(JSON.parse(data) as T);
        } catch {
          // a malformed block is skipped: notices are hints, the next refresh catches up
        }
      }
    }
  }

  private _buffer = '';
}

/** Read a `text/event-stream` response to its end, handing each block's notices to `onNotices` (every host's
 * `live()` uses this; they differ only in how they make the request). */
export async function followStream<T = LiveNotice[]>(response: Response, onNotices: (payload: T) => void): Promise<void> {
  if (!response.body) {
    return;
  }
  const reader = response.body.getReader();
  const parser = new SseParser<T>(onNotices);
  const decoder = new TextDecoder();
  for (;;) {
    const { value, done } = await reader.read();
    if (done) {
      return;
    }
    parser.feed(decoder.decode(value, { stream: true }));
  }
}
