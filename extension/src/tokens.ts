/**
 * Shapes of the inngest-lab REST API (the same under Jupyter's `<base_url>/inngest-lab/` and on the
 * headless server) and the interfaces the model and the components depend on. No DOM, no JupyterLab.
 */

/** Run statuses, as the server names them. */
export type RunStatus =
  | 'Queued'
  | 'Running'
  | 'Completed'
  | 'Failed'
  | 'Cancelled'
  | 'Skipped';

export const RUN_STATUSES: RunStatus[] = [
  'Queued',
  'Running',
  'Completed',
  'Failed',
  'Cancelled',
  'Skipped'
];

/** `GET /lab/functions` item. */
export interface IFunctionInfo {
  id: string;
  name: string;
  app_id: string;
  url: string;
  triggers: { event?: string; expression?: string; cron?: string }[];
  retries: number;
  cancel: { event: string; if: string | null; timeout_ms: number | null }[];
  flow_control: Record<string, unknown>;
}

/** `GET /lab/runs` item. */
export interface IRunSummary {
  run_id: string;
  function_id: string;
  app_id: string;
  status: RunStatus;
  event_id: string | null;
  event_name: string | null;
  queued_at_ms: number;
  started_at_ms: number | null;
  ended_at_ms: number | null;
  output?: unknown;
}

/** `GET /v1/events` item. */
export interface IEventInfo {
  internal_id: string;
  id: string;
  name: string;
  data: unknown;
  user?: unknown;
  received_at: string;
  ts: number | null;
}

/** `GET /lab/apps` item. */
export interface IAppInfo {
  id: string;
  url: string;
  sdk: string;
  framework: string | null;
  error: string | null;
  synced_at: string | null;
  function_count: number;
}

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
export interface ICronInfo {
  function_id: string;
  name: string;
  app_id: string;
  cron: string;
  zone: string | null;
  next: { at_ms: number; local: string }[];
  error: string | null;
}

/** `GET /v1/functions/{id}/pause`. */
export interface IPauseState {
  function_id: string;
  paused: boolean;
  paused_at: string | null;
}

/** `GET /v1/cancellations` item. */
export interface ICancellation {
  id: string;
  app_id: string;
  function_id: string;
  started_after: string | null;
  started_before: string;
  if: string | null;
  created_at: string;
  cancelled: number;
  done: boolean;
}

/** Body of `POST /v1/cancellations` (and of the dashboard's preview). */
export interface ICancellationInput {
  app_id: string;
  function_id: string;
  started_after?: string;
  started_before: string;
  if?: string;
}

export type SpanKind = 'run' | 'sleep' | 'wait' | 'invoke' | 'call';
export type SpanStatus =
  | 'queued'
  | 'running'
  | 'completed'
  | 'failed'
  | 'errored'
  | 'sleeping'
  | 'waiting'
  | 'timed_out'
  | 'cancelled';

export interface IAttempt {
  attempt: number;
  status: SpanStatus;
  queued_at_ms: number;
  started_at_ms: number;
  ended_at_ms: number;
  error: unknown;
  /** Of the queue delay, how long flow control (concurrency) held the attempt. */
  flow_wait_ms?: number;
}

export interface ISpan {
  id: string;
  name: string;
  kind: SpanKind;
  status: SpanStatus;
  queued_at_ms: number;
  started_at_ms: number | null;
  ended_at_ms: number | null;
  output: unknown;
  error: unknown;
  detail: Record<string, unknown>;
  attempts: IAttempt[];
}

/** `GET /lab/runs/{id}/trace`: the server's timeline projection (inngest_lab/engine/timeline.py). */
export interface ITimeline {
  run_id: string;
  function_id: string;
  app_id: string;
  status: RunStatus;
  event_name: string | null;
  event_ids: string[];
  queued_at_ms: number;
  started_at_ms: number | null;
  ended_at_ms: number | null;
  now_ms: number;
  output: unknown;
  error: unknown;
  spans: ISpan[];
}

/** One notice of `GET /lab/live` (Server-Sent Events). */
export type LiveNotice =
  | { type: 'run'; run_id: string; function_id?: string; status?: RunStatus }
  | { type: 'event'; id: string; name: string }
  | { type: 'resync' };

/** An event to send: what the Send event form produces. */
export interface IEventInput {
  name: string;
  data: Record<string, unknown>;
  user?: Record<string, unknown>;
  id?: string;
  ts?: number;
}

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
