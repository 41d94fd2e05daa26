/**
 * The inngest-lab HTTP API's types, generated from its OpenAPI spec (inngest_lab/server/openapi.py)
 * by `python -m inngest_lab.server.openapi_ts`. Do not edit: change the spec and regenerate.
 */
/* eslint-disable */

export type ErrorBody = {
  code: 'bad_request' | 'server_kind_mismatch' | 'unauthorized' | 'forbidden' | 'not_found' | 'method_not_allowed' | 'payload_too_large' | 'conflict' | 'internal_error' | 'unavailable';
  error: string;
  status: number;
};

export type EventApiError = {
  ids?: Array<string>;
  status: number;
  error: string;
  message?: string;
};

export type Metadata = {
  fetched_at: string | null;
  cached_until: null;
};

/** run status, as Inngest names it */
export type RunStatus = 'Queued' | 'Running' | 'Completed' | 'Failed' | 'Cancelled' | 'Skipped';

/** what a timeline span is */
export type SpanKind = 'run' | 'sleep' | 'wait' | 'invoke' | 'call' | 'ai' | 'fetch' | 'signal';

/** status of a span or an attempt */
export type SpanStatus = 'queued' | 'running' | 'completed' | 'failed' | 'errored' | 'sleeping' | 'waiting' | 'timed_out' | 'cancelled';

/** kind of a run history entry */
export type HistoryKind = 'run.scheduled' | 'run.started' | 'run.completed' | 'run.failed' | 'run.cancelled' | 'run.skipped' | 'run.rerun' | 'step.started' | 'step.completed' | 'step.errored' | 'step.failed' | 'step.planned' | 'step.sleeping' | 'step.waiting' | 'step.invoking' | 'step.resumed' | 'step.timed_out' | 'call.failed' | 'function.errored' | 'flow.delayed' | 'run.throttled' | 'run.debounced' | 'run.batched';

export type EventInput = {
  name: unknown;
  data?: Record<string, unknown> | null;
  user?: Record<string, unknown> | null;
  id?: string | null;
  ts?: number | 0 | null;
  v?: unknown;
};

export type EventApiReply = {
  ids: Array<string>;
  status: number;
};

export type EventInfo = {
  internal_id: string;
  account_id?: string;
  environment_id?: string;
  source?: string;
  source_id?: null;
  received_at: string;
  id: string;
  name: string;
  data: Record<string, unknown>;
  user: Record<string, unknown>;
  ts: number | null;
  v?: string;
};

export type Run = {
  run_id: string;
  run_started_at: string | null;
  function_id: string;
  function_version?: number;
  environment_id?: string;
  event_id: string | null;
  status: RunStatus;
  ended_at: string | null;
  original_run_id?: string;
  cron?: string;
  skip_reason?: string;
  output?: unknown;
};

export type RunSummary = Run & {
  app_id: string;
  event_name: string | null;
  queued_at_ms: number;
  started_at_ms: number | null;
  ended_at_ms: number | null;
};

export type V0Cancelled = {
  run_id: string;
  status: RunStatus;
};

export type AppInfo = {
  id: string;
  url: string;
  sdk: string;
  framework: string;
  error: string | null;
  synced_at: string | null;
  function_count: number;
};

export type Trigger = {
  event?: string;
  expression?: string;
  cron?: string;
};

export type FunctionInfo = {
  id: string;
  name: string;
  app_id: string;
  url: string;
  triggers: Array<Trigger>;
  retries: number;
  cancel: Array<{
    event: string;
    if: string | null;
    timeout_ms: number | null;
  }>;
  flow_control: Record<string, unknown>;
};

export type Attempt = {
  attempt: number;
  status: SpanStatus;
  queued_at_ms: number;
  started_at_ms: number;
  ended_at_ms: number;
  error: unknown;
  flow_wait_ms: number;
};

export type Span = {
  id: string;
  name: string;
  kind: SpanKind;
  status: SpanStatus;
  queued_at_ms: number;
  started_at_ms: number | null;
  ended_at_ms: number | null;
  output: unknown;
  error: unknown;
  input: unknown;
  detail: Record<string, unknown>;
  attempts: Array<Attempt>;
};

export type Timeline = {
  run_id: string;
  function_id: string;
  app_id: string;
  status: RunStatus;
  event_name: string | null;
  event_ids: Array<string>;
  queued_at_ms: number;
  started_at_ms: number | null;
  ended_at_ms: number | null;
  now_ms: number;
  output: unknown;
  error: unknown;
  spans: Array<Span>;
  skip_reason: string | null;
  flow: Array<Record<string, unknown>>;
};

export type Cancellation = {
  id: string;
  environment_id: string;
  app_id: string;
  function_id: string;
  started_after: string | null;
  started_before: string;
  if: string | null;
  created_at: string;
  cancelled: number;
  done: boolean;
};

export type CancellationInput = {
  app_id: string;
  function_id: string;
  started_before: string | number;
  started_after?: (string | number) | null;
  if?: string | null;
};

export type PauseState = {
  function_id: string;
  paused: boolean;
  paused_at: string | null;
};

export type PauseInput = {
  cancel_running?: boolean;
};

export type RerunInput = {
  fromStep?: {
    stepId: string;
    input?: Array<unknown> | null;
  } | null;
};

export type RerunReply = {
  data: {
    runId: string;
  };
  metadata: {
    fetchedAt: string | null;
  };
};

export type Replayed = {
  id: string;
  replay_of: string;
};

export type HistoryEntry = {
  run_id: string;
  at_ms: number;
  kind: HistoryKind;
  step_id?: string | null;
  name?: string | null;
  attempt: number;
  data?: unknown;
};

export type RunState = {
  meta: Record<string, unknown>;
  steps: Record<string, unknown>;
  stack: Array<string>;
};

export type RunStateWithHistory = {
  run: RunState;
  history: Array<HistoryEntry>;
};

export type FunctionState = {
  fn_id: string;
  app_id: string;
  name: string;
  url: string;
  triggers: Array<Record<string, unknown>>;
  retries?: number | null;
  cancel?: Array<Record<string, unknown>>;
  config: Record<string, unknown>;
  version?: number;
};

export type DevInfo = {
  version: string;
  startOpts: {
    sdkURLs?: Array<string>;
    autodiscover?: boolean;
    poll?: boolean;
    pollInterval?: number;
  };
  apps: Array<Record<string, unknown>>;
  functions: Array<Record<string, unknown>>;
  syncs?: Record<string, unknown>;
};

export type CronInfo = {
  function_id: string;
  name: string;
  app_id: string;
  cron: string;
  zone: string | null;
  next: Array<{
    at_ms: number;
    local: string;
  }>;
  error: string | null;
};

export type Health = {
  status: number;
  message: string;
};

export type Deleted = {
  ok: boolean;
};

export type V2Error = {
  errors: Array<{
    code: 'invalid_request' | 'missing_field' | 'invalid_field_format' | 'authorization_header_missing' | 'invalid_signing_key' | 'not_found' | 'run_already_cancelled' | 'run_already_ended' | 'internal_error';
    message: string;
  }>;
};

export type V2Metadata = {
  fetchedAt: string;
};

export type V2Page = {
  cursor?: string;
  hasMore: boolean;
  limit: number;
};

export type V2FunctionRun = {
  id: string;
  function: {
    id: string;
    name: string;
    app: {
      id: string;
    };
  };
  app: {
    id: string;
  };
  status: 'CANCELLED' | 'COMPLETED' | 'FAILED' | 'QUEUED' | 'RUNNING';
  queuedAt: string;
  startedAt?: string;
  endedAt?: string;
  durationMs?: number;
  trigger: {
    eventIds: Array<string>;
    isBatch: boolean;
    eventName?: string;
    cronSchedule?: string;
  };
  output?: unknown;
};

export type V2App = {
  id: string;
  name: string;
  method: 'SERVE';
  isArchived: boolean;
  functionCount: number;
  createdAt?: string;
  latestSync: {
    status: 'error' | 'success';
    url: string;
    syncedAt?: string;
    sdkLanguage?: string;
    sdkVersion?: string;
    framework?: string;
    error?: string;
  };
};

export type V2Function = {
  id: string;
  name: string;
  slug: string;
  isPaused: boolean;
  isArchived: boolean;
  app: {
    id: string;
  };
  triggers: Array<{
    type: 'CRON' | 'EVENT';
    value: string;
    if?: string;
  }>;
  configuration: {
    cancellations: Array<{
      event: string;
      condition?: string;
      timeout?: string;
    }>;
    retries: {
      value: number;
    };
  };
};

export type V2Span = {
  id: string;
  name: string;
  status: 'CANCELLED' | 'COMPLETED' | 'FAILED' | 'RUNNING' | 'UNKNOWN' | 'WAITING';
  stepId?: string;
  stepOp?: 'INVOKE' | 'RUN' | 'SLEEP' | 'WAIT_FOR_EVENT';
  queuedAt: string;
  startedAt?: string;
  endedAt?: string;
  durationMs?: number;
  output?: Record<string, unknown>;
  children: Array<V2Span>;
};

export type V2Trace = {
  runId: string;
  rootSpan: V2Span;
};

/** Per path and method: path parameters, query, body and the 200 reply. */
export interface ApiOperations {
  '/e/{key}': {
    post: {
      path: { key: string };
      body: EventInput | Array<EventInput>;
      reply: EventApiReply;
    };
  };
  '/health': {
    get: {
      reply: Health;
    };
  };
  '/dev': {
    get: {
      reply: DevInfo;
    };
  };
  '/ready': {
    get: {
      reply: {
        status: 200;
        message: 'ready';
      };
    };
  };
  '/metrics': {
    get: {
      reply: string;
    };
  };
  '/openapi.json': {
    get: {
      reply: Record<string, unknown>;
    };
  };
  '/docs': {
    get: {
      reply: string;
    };
  };
  '/login': {
    get: {
      query: { next?: string };
      reply: string;
    };
    post: {
      body?: {
        password?: string;
        next?: string;
      };
      reply: never;
    };
  };
  '/logout': {
    post: {
      body?: {
        csrf_token?: string;
      };
      reply: Deleted;
    };
  };
  '/v0/runs/{runId}': {
    delete: {
      path: { runId: string };
      reply: V0Cancelled;
    };
  };
  '/v1/events': {
    get: {
      query: { name?: string; cursor?: string; limit?: number; received_after?: string | number; received_before?: string | number };
      reply: {
        data: Array<EventInfo>;
        metadata: Metadata;
      };
    };
  };
  '/v1/events/{eventId}': {
    get: {
      path: { eventId: string };
      reply: {
        data: EventInfo;
        metadata: Metadata;
      };
    };
  };
  '/v1/events/{eventId}/runs': {
    get: {
      path: { eventId: string };
      reply: {
        data: Array<Run>;
        metadata: Metadata;
      };
    };
  };
  '/v1/runs/{runId}': {
    get: {
      path: { runId: string };
      reply: {
        data: Run;
        metadata: Metadata;
      };
    };
    delete: {
      path: { runId: string };
      reply: {
        data: Run;
        metadata: Metadata;
      };
    };
  };
  '/v1/cancellations': {
    post: {
      body: CancellationInput;
      reply: {
        data: Cancellation;
        metadata: Metadata;
      };
    };
    get: {
      reply: {
        data: Array<Cancellation>;
        metadata: Metadata;
      };
    };
  };
  '/v1/cancellations/{cancellationId}': {
    get: {
      path: { cancellationId: string };
      reply: {
        data: Cancellation;
        metadata: Metadata;
      };
    };
    delete: {
      path: { cancellationId: string };
      reply: {
        data: Deleted;
        metadata: Metadata;
      };
    };
  };
  '/v1/functions/{functionId}/pause': {
    get: {
      path: { functionId: string };
      reply: {
        data: PauseState;
        metadata: Metadata;
      };
    };
    post: {
      path: { functionId: string };
      body?: PauseInput;
      reply: {
        data: PauseState;
        metadata: Metadata;
      };
    };
  };
  '/v1/functions/{functionId}/resume': {
    post: {
      path: { functionId: string };
      reply: {
        data: PauseState;
        metadata: Metadata;
      };
    };
  };
  '/v1/events/{eventId}/replay': {
    post: {
      path: { eventId: string };
      reply: {
        data: Replayed;
        metadata: Metadata;
      };
    };
  };
  '/lab/apps': {
    get: {
      reply: {
        data: Array<AppInfo>;
        metadata: Metadata;
      };
    };
  };
  '/lab/functions': {
    get: {
      reply: {
        data: Array<FunctionInfo>;
        metadata: Metadata;
      };
    };
  };
  '/lab/runs': {
    get: {
      query: { status?: Array<RunStatus>; function_id?: string; event_id?: string; limit?: number };
      reply: {
        data: Array<RunSummary>;
        metadata: Metadata;
      };
    };
  };
  '/lab/runs/{runId}/trace': {
    get: {
      path: { runId: string };
      reply: {
        data: Timeline;
        metadata: Metadata;
      };
    };
  };
  '/lab/runs/{runId}/cancel': {
    post: {
      path: { runId: string };
      reply: {
        data: RunSummary;
        metadata: Metadata;
      };
    };
  };
  '/lab/live': {
    get: {
      reply: string;
    };
  };
  '/lab/runs/{runId}/state': {
    get: {
      path: { runId: string };
      reply: {
        data: RunStateWithHistory;
        metadata: Metadata;
      };
    };
  };
  '/lab/state/runs': {
    get: {
      query: { status?: Array<RunStatus>; function_id?: string; event_id?: string; limit?: number; since_ms?: number };
      reply: {
        data: Array<RunState>;
        metadata: Metadata;
      };
    };
  };
  '/lab/state/functions': {
    get: {
      reply: {
        data: Array<FunctionState>;
        metadata: Metadata;
      };
    };
  };
  '/lab/runs/page': {
    get: {
      query: { status?: Array<RunStatus>; app_id?: string; function_id?: string; time_field?: 'queued' | 'started' | 'ended'; from?: string | number; to?: string | number; q?: string; cursor?: string; limit?: number };
      reply: {
        data: Array<RunSummary>;
        metadata: {
          fetched_at: string | null;
          next_cursor: string | null;
          scanned: number;
        };
      };
    };
  };
  '/lab/functions/stats': {
    get: {
      query: { hours?: number };
      reply: {
        data: Record<string, unknown>;
        metadata: {
          fetched_at: string | null;
          hours: number;
          capped: Array<string>;
        };
      };
    };
  };
  '/lab/metrics/series': {
    get: {
      query: { minutes?: number };
      reply: {
        data: {
          bucket_s: number;
          buckets: Array<{
            start_ms: number;
            started: number;
            completed: number;
            failed: number;
            cancelled: number;
            steps: number;
            step_p50_ms: number | null;
            step_p99_ms: number | null;
          }>;
          retention: string;
        };
        metadata: Metadata;
      };
    };
  };
  '/lab/functions/{functionId}/invoke': {
    post: {
      path: { functionId: string };
      body?: {
        data?: Record<string, unknown>;
      };
      reply: {
        data: {
          ids: Array<string>;
        };
        metadata: {
          fetched_at: string | null;
        };
      };
    };
  };
  '/lab/crons': {
    get: {
      query: { count?: number };
      reply: {
        data: Array<CronInfo>;
        metadata: {
          fetched_at: string | null;
        };
      };
    };
  };
  '/lab/cancellations/preview': {
    post: {
      body: {
        app_id: string;
        function_id: string;
        started_after?: (string | number) | '' | null;
        started_before?: (string | number) | '' | null;
        if?: string | null;
      };
      reply: {
        data: {
          count: number;
          at_least: boolean;
        };
        metadata: {
          fetched_at: string | null;
        };
      };
    };
  };
  '/lab/events/send': {
    post: {
      body: EventInput | Array<EventInput>;
      reply: {
        data: {
          ids: Array<string>;
        };
        metadata: {
          fetched_at: string | null;
        };
      };
    };
  };
  '/lab/apps/sync': {
    post: {
      body: {
        url: string;
      };
      reply: {
        data: {
          url: string;
          ok: boolean;
          error: string | null;
        };
        metadata: {
          fetched_at: string | null;
        };
      };
    };
  };
  '/lab/apps/{appId}/resync': {
    post: {
      path: { appId: string };
      reply: {
        data: {
          url: string;
          ok: boolean;
          error: string | null;
        };
        metadata: {
          fetched_at: string | null;
        };
      };
    };
  };
  '/lab/apps/{appId}': {
    delete: {
      path: { appId: string };
      reply: {
        data: {
          id: string;
          removed: boolean;
        };
        metadata: {
          fetched_at: string | null;
        };
      };
    };
  };
  '/': {
    get: {
      reply: string;
    };
  };
  '/runs': {
    get: {
      reply: string;
    };
  };
  '/events': {
    get: {
      reply: string;
    };
  };
  '/functions': {
    get: {
      reply: string;
    };
  };
  '/apps': {
    get: {
      reply: string;
    };
  };
  '/crons': {
    get: {
      reply: string;
    };
  };
  '/cancel': {
    get: {
      reply: string;
    };
  };
  '/charts': {
    get: {
      reply: string;
    };
  };
  '/runs/{runId}': {
    get: {
      path: { runId: string };
      reply: string;
    };
  };
  '/events/{eventId}': {
    get: {
      path: { eventId: string };
      reply: string;
    };
  };
  '/functions/{functionId}': {
    get: {
      path: { functionId: string };
      reply: string;
    };
  };
  '/ui/{asset}': {
    get: {
      path: { asset: string };
      reply: string;
    };
    head: {
      path: { asset: string };
      reply: string;
    };
  };
  '/v1/signals': {
    post: {
      body: {
        signal: string;
        data?: unknown;
      };
      reply: {
        data: {
          run_id: string;
        };
        metadata: Metadata;
      };
    };
  };
  '/v1/realtime/publish': {
    post: {
      query: { channel?: string; topic?: string; run_id?: string };
      body?: unknown;
      reply: never;
    };
  };
  '/v1/realtime/token': {
    post: {
      body: Array<{
        channel: string;
        name: string;
        kind?: string | null;
      }>;
      reply: {
        jwt: string;
      };
    };
  };
  '/v1/realtime/sse': {
    get: {
      query: { token?: string };
      reply: string;
    };
  };
  '/v1/realtime/connect': {
    get: {
      query: { token?: string };
      reply: never;
    };
  };
  '/lab/runs/{runId}/realtime': {
    get: {
      path: { runId: string };
      reply: string;
    };
  };
  '/v2/health': {
    get: {
      reply: {
        data: {
          status: 'ok';
        };
        metadata: V2Metadata;
      };
    };
  };
  '/v2/events': {
    post: {
      body: EventInput;
      reply: {
        data: {
          eventId: string;
        };
        metadata: V2Metadata;
      };
    };
  };
  '/v2/events/{eventId}/runs': {
    get: {
      path: { eventId: string };
      query: { status?: Array<'CANCELLED' | 'COMPLETED' | 'FAILED' | 'QUEUED' | 'RUNNING'>; appId?: Array<string>; functionId?: Array<string>; from?: string | number; until?: string | number; timeField?: 'queuedAt'; order?: 'DESC'; includeOutput?: boolean; cursor?: string; limit?: number };
      reply: {
        data: Array<V2FunctionRun>;
        metadata: V2Metadata;
        page: V2Page;
      };
    };
  };
  '/v2/runs': {
    get: {
      query: { status?: Array<'CANCELLED' | 'COMPLETED' | 'FAILED' | 'QUEUED' | 'RUNNING'>; appId?: Array<string>; functionId?: Array<string>; from?: string | number; until?: string | number; timeField?: 'queuedAt'; order?: 'DESC'; includeOutput?: boolean; cursor?: string; limit?: number };
      reply: {
        data: Array<V2FunctionRun>;
        metadata: V2Metadata;
        page: V2Page;
      };
    };
  };
  '/v2/runs/{runId}': {
    get: {
      path: { runId: string };
      query: { includeOutput?: boolean };
      reply: {
        data: V2FunctionRun;
        metadata: V2Metadata;
      };
    };
  };
  '/v2/runs/{runId}/cancel': {
    post: {
      path: { runId: string };
      reply: {
        data: {
          runId: string;
        };
        metadata: V2Metadata;
      };
    };
  };
  '/v2/runs/{runId}/rerun': {
    post: {
      path: { runId: string };
      body?: RerunInput;
      reply: {
        data: {
          runId: string;
        };
        metadata: V2Metadata;
      };
    };
  };
  '/v2/runs/{runId}/trace': {
    get: {
      path: { runId: string };
      query: { includeOutput?: boolean };
      reply: {
        data: V2Trace;
        metadata: V2Metadata;
      };
    };
  };
  '/v2/apps': {
    get: {
      query: { cursor?: string; limit?: number };
      reply: {
        data: Array<V2App>;
        metadata: V2Metadata;
        page: V2Page;
      };
    };
  };
  '/v2/apps/{appId}': {
    get: {
      path: { appId: string };
      reply: {
        data: V2App;
        metadata: V2Metadata;
      };
    };
  };
  '/v2/apps/{appId}/functions': {
    get: {
      path: { appId: string };
      query: { cursor?: string; limit?: number };
      reply: {
        data: Array<V2Function>;
        metadata: V2Metadata;
        page: V2Page;
      };
    };
  };
  '/v2/apps/{appId}/functions/{functionId}': {
    get: {
      path: { appId: string; functionId: string };
      reply: {
        data: V2Function;
        metadata: V2Metadata;
      };
    };
  };
  '/v2/apps/{appId}/functions/{functionId}/runs': {
    get: {
      path: { appId: string; functionId: string };
      query: { status?: Array<'CANCELLED' | 'COMPLETED' | 'FAILED' | 'QUEUED' | 'RUNNING'>; appId?: Array<string>; functionId?: Array<string>; from?: string | number; until?: string | number; timeField?: 'queuedAt'; order?: 'DESC'; includeOutput?: boolean; cursor?: string; limit?: number };
      reply: {
        data: Array<V2FunctionRun>;
        metadata: V2Metadata;
        page: V2Page;
      };
    };
  };
  '/v2/apps/{appId}/functions/{functionId}/invoke': {
    post: {
      path: { appId: string; functionId: string };
      body?: {
        data?: Record<string, unknown> | null;
        idempotencyKey?: string | null;
      };
      reply: {
        data: {
          runId: string;
          queuedAt: string;
        };
        metadata: V2Metadata;
      };
    };
  };
  '/api/v2/health': {
    get: {
      reply: {
        data: {
          status: 'ok';
        };
        metadata: V2Metadata;
      };
    };
  };
  '/api/v2/events': {
    post: {
      body: EventInput;
      reply: {
        data: {
          eventId: string;
        };
        metadata: V2Metadata;
      };
    };
  };
  '/api/v2/events/{eventId}/runs': {
    get: {
      path: { eventId: string };
      query: { status?: Array<'CANCELLED' | 'COMPLETED' | 'FAILED' | 'QUEUED' | 'RUNNING'>; appId?: Array<string>; functionId?: Array<string>; from?: string | number; until?: string | number; timeField?: 'queuedAt'; order?: 'DESC'; includeOutput?: boolean; cursor?: string; limit?: number };
      reply: {
        data: Array<V2FunctionRun>;
        metadata: V2Metadata;
        page: V2Page;
      };
    };
  };
  '/api/v2/runs': {
    get: {
      query: { status?: Array<'CANCELLED' | 'COMPLETED' | 'FAILED' | 'QUEUED' | 'RUNNING'>; appId?: Array<string>; functionId?: Array<string>; from?: string | number; until?: string | number; timeField?: 'queuedAt'; order?: 'DESC'; includeOutput?: boolean; cursor?: string; limit?: number };
      reply: {
        data: Array<V2FunctionRun>;
        metadata: V2Metadata;
        page: V2Page;
      };
    };
  };
  '/api/v2/runs/{runId}': {
    get: {
      path: { runId: string };
      query: { includeOutput?: boolean };
      reply: {
        data: V2FunctionRun;
        metadata: V2Metadata;
      };
    };
  };
  '/api/v2/runs/{runId}/cancel': {
    post: {
      path: { runId: string };
      reply: {
        data: {
          runId: string;
        };
        metadata: V2Metadata;
      };
    };
  };
  '/api/v2/runs/{runId}/rerun': {
    post: {
      path: { runId: string };
      body?: RerunInput;
      reply: {
        data: {
          runId: string;
        };
        metadata: V2Metadata;
      };
    };
  };
  '/api/v2/runs/{runId}/trace': {
    get: {
      path: { runId: string };
      query: { includeOutput?: boolean };
      reply: {
        data: V2Trace;
        metadata: V2Metadata;
      };
    };
  };
  '/api/v2/apps': {
    get: {
      query: { cursor?: string; limit?: number };
      reply: {
        data: Array<V2App>;
        metadata: V2Metadata;
        page: V2Page;
      };
    };
  };
  '/api/v2/apps/{appId}': {
    get: {
      path: { appId: string };
      reply: {
        data: V2App;
        metadata: V2Metadata;
      };
    };
  };
  '/api/v2/apps/{appId}/functions': {
    get: {
      path: { appId: string };
      query: { cursor?: string; limit?: number };
      reply: {
        data: Array<V2Function>;
        metadata: V2Metadata;
        page: V2Page;
      };
    };
  };
  '/api/v2/apps/{appId}/functions/{functionId}': {
    get: {
      path: { appId: string; functionId: string };
      reply: {
        data: V2Function;
        metadata: V2Metadata;
      };
    };
  };
  '/api/v2/apps/{appId}/functions/{functionId}/runs': {
    get: {
      path: { appId: string; functionId: string };
      query: { status?: Array<'CANCELLED' | 'COMPLETED' | 'FAILED' | 'QUEUED' | 'RUNNING'>; appId?: Array<string>; functionId?: Array<string>; from?: string | number; until?: string | number; timeField?: 'queuedAt'; order?: 'DESC'; includeOutput?: boolean; cursor?: string; limit?: number };
      reply: {
        data: Array<V2FunctionRun>;
        metadata: V2Metadata;
        page: V2Page;
      };
    };
  };
  '/api/v2/apps/{appId}/functions/{functionId}/invoke': {
    post: {
      path: { appId: string; functionId: string };
      body?: {
        data?: Record<string, unknown> | null;
        idempotencyKey?: string | null;
      };
      reply: {
        data: {
          runId: string;
          queuedAt: string;
        };
        metadata: V2Metadata;
      };
    };
  };
}
