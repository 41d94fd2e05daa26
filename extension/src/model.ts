/**
 * The sidebar's state: functions, recent runs and events, kept fresh by the live stream (with polling
 * as the fallback). State and signals only: no DOM and no JupyterLab imports, so it is unit-tested
 * with a fake API and can serve the headless server's dashboard too.
 */
import { ISignal, Signal } from '@lumino/signaling';

import {
  DEFAULT_SETTINGS,
  IEventInfo,
  IEventInput,
  IFunctionInfo,
  IInngestApi,
  IRunSummary,
  ISettings,
  LiveNotice
} from './tokens';

/** What changed, for views that redraw one section at a time. */
export type ModelChange = 'functions' | 'runs' | 'events' | 'connection' | 'error';

/** How the model follows the server. */
export type Connection = 'idle' | 'live' | 'polling';

/** Timers, injectable so tests control time. */
export interface IScheduler {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

const realScheduler: IScheduler = {
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: handle => clearTimeout(handle as ReturnType<typeof setTimeout>)
};

/** Notices arriving within this window cause one refresh. */
export const COALESCE_MS = 150;
/** Wait before reconnecting a live stream that ended or failed. */
export const RECONNECT_MS = 2000;

export class InngestLabModel {
  constructor(
    readonly api: IInngestApi,
    options: { scheduler?: IScheduler; settings?: Partial<ISettings>; runLimit?: number } = {}
  ) {
    this._scheduler = options.scheduler ?? realScheduler;
    this._settings = { ...DEFAULT_SETTINGS, ...options.settings };
    this._runLimit = options.runLimit ?? 50;
  }

  get functions(): readonly IFunctionInfo[] {
    return this._functions;
  }
  get runs(): readonly IRunSummary[] {
    return this._runs;
  }
  get events(): readonly IEventInfo[] {
    return this._events;
  }
  get connection(): Connection {
    return this._connection;
  }
  /** The last refresh error, or null once a refresh succeeds again. */
  get error(): string | null {
    return this._error;
  }
  get settings(): Readonly<ISettings> {
    return this._settings;
  }
  get isDisposed(): boolean {
    return this._disposed;
  }

  /** Emitted after a section changed. */
  get changed(): ISignal<this, ModelChange> {
    return this._changed;
  }
  /** Emitted with a run id whenever the server reports that run changed (timeline panels listen). */
  get runChanged(): ISignal<this, string> {
    return this._runChanged;
  }

  /** Load everything, then follow the server (live stream or polling, per the settings). */
  async start(): Promise<void> {
    await this.refresh();
    this._follow();
  }

  /** Apply new settings; reconnects or re-arms polling as needed. */
  updateSettings(settings: Partial<ISettings>): void {
    const before = this._settings;
    this._settings = { ...before, ...settings };
    if (this._started && (before.live !== this._settings.live || before.pollInterval !== this._settings.pollInterval)) {
      this._stopFollowing();
      this._follow();
    }
  }

  /** Re-read functions, runs and events. */
  async refresh(): Promise<void> {
    await Promise.all([this.refreshFunctions(), this.refreshRuns(), this.refreshEvents()]);
  }

  async refreshFunctions(): Promise<void> {
    const fns = await this._guard(() => this.api.functions());
    if (fns && !sameJson(fns, this._functions)) {
      this._functions = fns;
      this._changed.emit('functions');
    }
  }

  async refreshRuns(): Promise<void> {
    const runs = await this._guard(() => this.api.runs({ limit: this._runLimit }));
    if (runs && !sameJson(runs, this._runs)) {
      this._runs = runs;
      this._changed.emit('runs');
    }
  }

  async refreshEvents(): Promise<void> {
    const events = await this._guard(() => this.api.events(20));
    if (events && !sameJson(events, this._events)) {
      this._events = events;
      this._changed.emit('events');
    }
  }

  /** Send events; the runs they start arrive through the live stream (or the next poll). */
  async send(events: IEventInput[]): Promise<string[]> {
    const ids = await this.api.send(events);
    this._soon('events');
    this._soon('runs');
    return ids;
  }

  async cancel(runId: string): Promise<void> {
    await this.api.cancel(runId);
    this._soon('runs');
    this._runChanged.emit(runId);
  }

  /** Handle notices from the live stream (public for hosts that deliver them another way). */
  handleNotices(notices: LiveNotice[]): void {
    for (const n of notices) {
      if (n.type === 'run') {
        this._soon('runs');
        if (n.function_id && !this._functions.some(f => f.id === n.function_id)) {
          this._soon('functions'); // a function synced since the last poll: show it now
        }
        this._runChanged.emit(n.run_id);
      } else if (n.type === 'event') {
        this._soon('events');
      } else {
        this._soon('runs');
        this._soon('events');
        this._soon('functions');
      }
    }
  }

  dispose(): void {
    if (this._disposed) {
      return;
    }
    this._disposed = true;
    this._stopFollowing();
    for (const handle of this._pending.values()) {
      this._scheduler.clearTimeout(handle);
    }
    this._pending.clear();
    Signal.clearData(this);
  }

  // ------------------------------------------------------------ following the server

  private _follow(): void {
    if (this._disposed) {
      return;
    }
    this._started = true;
    this._armPoll();
    if (this._settings.live) {
      this._connectLive();
    } else {
      this._setConnection('polling');
    }
  }

  private _stopFollowing(): void {
    this._abort?.abort();
    this._abort = null;
    if (this._pollHandle !== null) {
      this._scheduler.clearTimeout(this._pollHandle);
      this._pollHandle = null;
    }
    if (this._reconnectHandle !== null) {
      this._scheduler.clearTimeout(this._reconnectHandle);
      this._reconnectHandle = null;
    }
  }

  private _connectLive(): void {
    const abort = new AbortController();
    this._abort = abort;
    this._setConnection('live');
    this.api
      .live(notices => this.handleNotices(notices), abort.signal)
      .catch(() => undefined)
      .then(() => {
        if (abort.signal.aborted || this._disposed) {
          return;
        }
        // The stream ended: poll until it is back, and catch up on what was missed.
        this._setConnection('polling');
        this._soon('runs');
        this._soon('events');
        this._reconnectHandle = this._scheduler.setTimeout(() => {
          this._reconnectHandle = null;
          if (!abort.signal.aborted && !this._disposed) {
            this._connectLive();
          }
        }, RECONNECT_MS);
      });
  }

  /** Functions are not in the live stream (apps sync out of band): poll them; poll all while not live. */
  private _armPoll(): void {
    const seconds = Math.max(1, this._settings.pollInterval);
    this._pollHandle = this._scheduler.setTimeout(() => {
      this._pollHandle = null;
      if (this._disposed) {
        return;
      }
      void this.refreshFunctions();
      if (this._connection !== 'live') {
        void this.refreshRuns();
        void this.refreshEvents();
      }
      this._armPoll();
    }, seconds * 1000);
  }

  private _setConnection(c: Connection): void {
    if (c !== this._connection) {
      this._connection = c;
      this._changed.emit('connection');
    }
  }

  /** Refresh a section once, after notices stop arriving for COALESCE_MS. */
  private _soon(section: 'runs' | 'events' | 'functions'): void {
    if (this._pending.has(section) || this._disposed) {
      return;
    }
    const handle = this._scheduler.setTimeout(() => {
      this._pending.delete(section);
      if (section === 'runs') {
        void this.refreshRuns();
      } else if (section === 'events') {
        void this.refreshEvents();
      } else {
        void this.refreshFunctions();
      }
    }, COALESCE_MS);
    this._pending.set(section, handle);
  }

  private async _guard<T>(read: () => Promise<T>): Promise<T | null> {
    try {
      const value = await read();
      if (this._error !== null) {
        this._error = null;
        this._changed.emit('error');
      }
      return value;
    } catch (reason) {
      const message = reason instanceof Error ? reason.message : String(reason);
      if (message !== this._error) {
        this._error = message;
        this._changed.emit('error');
      }
      return null;
    }
  }

  private _scheduler: IScheduler;
  private _settings: ISettings;
  private _runLimit: number;
  private _functions: IFunctionInfo[] = [];
  private _runs: IRunSummary[] = [];
  private _events: IEventInfo[] = [];
  private _connection: Connection = 'idle';
  private _error: string | null = null;
  private _started = false;
  private _disposed = false;
  private _abort: AbortController | null = null;
  private _pollHandle: unknown = null;
  private _reconnectHandle: unknown = null;
  private _pending = new Map<string, unknown>();
  private _changed = new Signal<this, ModelChange>(this);
  private _runChanged = new Signal<this, string>(this);
}

export { curlFor, parseEventInput } from './components/events';

function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}
