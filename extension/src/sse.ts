/** Server-Sent Events parsing for the live stream. No DOM, no JupyterLab. */
import { LiveNotice } from './tokens';

/** Splits a Server-Sent Events byte stream into `data:` payloads (JSON arrays of notices). */
export class SseParser {
  constructor(private onNotices: (notices: LiveNotice[]) => void) {}

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
          this.onNotices(JSON.parse(data) as LiveNotice[]);
        } catch {
          // a malformed block is skipped: notices are hints, the next refresh catches up
        }
      }
    }
  }

  private _buffer = '';
}
