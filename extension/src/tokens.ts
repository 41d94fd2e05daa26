/**
 * Shapes of the inngest-lab REST API (the same under Jupyter's `<base_url>/inngest-lab/` and on the
 * headless server) and the interfaces the model and the components depend on. No DOM, no JupyterLab.
 *
 * The API's shapes are the server's own: aliases of the types generated from its OpenAPI spec (`api.gen.ts`,
 * `python -m inngest_lab.server.openapi_ts`), so a change on the server that the UI does not follow stops
 * the build. Only the client's own shapes (queries, pages, live notices, settings) are written here.
 */

import type * as api from './api.gen';
import type { IRealtimeMessage } from './components/realtime';

/** Run statuses, as the server names them. */
export type RunStatus = api.RunStatus;

export const RUN_STATUSES: RunStatus[] = [
  'Queued',
  'Running',
  'Completed',
  'Failed',
  'Cancelled',
  'Skipped'
];

/** `GET /lab/functions` item. */
export type IFunctionInfo = api.FunctionInfo;

/** `GET /lab/runs` item. */
export type IRunSummary = api.RunSummary;

/** `GET /v1/events` item. */
export type IEventInfo = api.EventInfo;

/** `GET /lab/apps` item. */
export type IAppInfo = api.AppInfo;

/** `GET /lab/runs/page`: one page of runs and where the next one starts. */
export interface IRunPage {
  runs: IRunSummary[];
  nextCursor: string | null;
  scanned: number;
}

/** Query of `GET /lab/runs/page` (the runs page's filters; every field is optional). */
export interface IRunPageQuery {
  status?: RunStatus[];
  appId?: string;
  functionId?: string;
  timeField?: 'queued' | 'started' | 'ended';
  from?: string;
  to?: string;
  q?: string;
  cursor?: string | null;
  limit?: number;
}

/** `GET /lab/crons` item: a cron trigger with its next ticks (`local` is ISO 8601 in `zone`). */
export type ICronInfo = api.CronInfo;

/** `GET /v1/functions/{id}/pause`. */
export type IPauseState = api.PauseState;

/** `GET /v1/cancellations` item. */
export type ICancellation = api.Cancellation;

/** Body of `POST /v1/cancellations` (and of the dashboard's preview). */
export type ICancellationInput = api.CancellationInput;

/** What a timeline span is, and its status (and an attempt's). */
export type SpanKind = api.SpanKind;
export type SpanStatus = api.SpanStatus;

/** One attempt of a step; `flow_wait_ms` is how long flow control (concurrency) held it, of the queue delay. */
export type IAttempt = api.Attempt;

export type ISpan = api.Span;

/** `GET /lab/runs/{id}/trace`: the server's timeline projection (inngest_lab/engine/timeline.py). */
export type ITimeline = api.Timeline;

/** One notice of `GET /lab/live` (Server-Sent Events). */
export type LiveNotice =
  | { type: 'run'; run_id: string; function_id?: string; status?: RunStatus }
  | { type: 'event'; id: string; name: string }
  | { type: 'resync' };

/** An event to send: what the Send event form produces (a body of the Event API). */
export type IEventInput = api.EventInput;

/** Query of `GET /lab/runs`. */
export interface IRunQuery {
  status?: RunStatus[];
  functionId?: string;
  limit?: number;
}

/**
 * What the model needs from a host: the REST API and the live stream. JupyterLab implements it in
 * `request.ts`; the headless server's dashboard can implement it with plain `fetch`.
 */
export interface IInngestApi {
  functions(): Promise<IFunctionInfo[]>;
  runs(query?: IRunQuery): Promise<IRunSummary[]>;
  events(limit?: number): Promise<IEventInfo[]>;
  trace(runId: string): Promise<ITimeline>;
  cancel(runId: string): Promise<IRunSummary>;
  send(events: IEventInput[]): Promise<string[]>;
  /** Stream live notices until `signal` aborts or the stream ends (then the promise settles). */
  live(onNotices: (notices: LiveNotice[]) => void, signal: AbortSignal): Promise<void>;
  /** Stream a run's realtime messages (`GET /lab/runs/{id}/realtime`) until `signal` aborts or the stream ends;
   * `onOpen` once subscribed. */
  realtime(runId: string, onMessage: (message: IRealtimeMessage) => void, signal: AbortSignal, onOpen?: () => void): Promise<void>;
}

/** User settings (schema/plugin.json). */
export interface ISettings {
  /** Seconds between refreshes of the function list, and of everything while the live stream is down. */
  pollInterval: number;
  /** Follow the live stream (Server-Sent Events) for runs and events. */
  live: boolean;
  /** Timeline colours: follow JupyterLab's theme, or force light or dark. */
  theme: 'auto' | 'light' | 'dark';
}

export const DEFAULT_SETTINGS: ISettings = {
  pollInterval: 10,
  live: true,
  theme: 'auto'
};

/** Command ids. */
export namespace CommandIDs {
  export const sendEvent = 'inngest-lab:send-event';
  export const openTimeline = 'inngest-lab:open-timeline';
  export const openSidebar = 'inngest-lab:open-sidebar';
  export const refresh = 'inngest-lab:refresh';
}
