/**
 * The dashboard's one request path: every call to the server goes through `request`, which
 * - sends the session cookie (`credentials: 'same-origin'`),
 * - adds `X-CSRF-Token` to state-changing requests, from `<meta name="csrf-token">` or the `inngest_lab_csrf`
 *   cookie (whichever the server set; the login that sets them is the auth module's),
 * - sends the browser to `/login?next=<this page>` on a 401,
 * - turns an error reply into an `ApiError` with the server's message.
 */
import type { ApiOperations } from '../api.gen';
import { followStream } from '../sse';
import type { IRealtimeMessage } from '../components/realtime';
import { ICancellationInput, IEventInput, IRunPage, IRunPageQuery, LiveNotice } from '../tokens';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string
  ) {
    super(message);
  }
}

const SAFE = new Set(['GET', 'HEAD', 'OPTIONS']);

/** The CSRF token the server handed this page, if any. */
export function csrfToken(doc: Document = document): string | null {
  const meta = doc.querySelector('meta[name="csrf-token"]')?.getAttribute('content');
  if (meta) {
    return meta;
  }
  for (const part of doc.cookie.split(';')) {
    const [key, ...rest] = part.trim().split('=');
    if (key === 'inngest_lab_csrf') {
      return decodeURIComponent(rest.join('='));
    }
  }
  return null;
}

/** Where a 401 sends the browser: the login page, coming back here afterwards. */
export function loginUrl(loc: { pathname: string; search: string }): string {
  return `/login?next=${encodeURIComponent(loc.pathname + loc.search)}`;
}

export async function request(path: string, init: RequestInit = {}): Promise<Response> {
  const method = (init.method ?? 'GET').toUpperCase();
  const headers = new Headers(init.headers);
  if (!SAFE.has(method)) {
    const token = csrfToken();
    if (token) {
      headers.set('X-CSRF-Token', token);
    }
    if (init.body !== undefined && !headers.has('Content-Type')) {
      headers.set('Content-Type', 'application/json');
    }
  }
  const response = await fetch(path, { ...init, method, headers, credentials: 'same-origin' });
  if (response.status === 401) {
    window.location.assign(loginUrl(window.location));
    throw new ApiError(401, 'Sign in to continue.');
  }
  if (!response.ok) {
    let message = `${response.status} ${response.statusText}`;
    try {
      const body = await response.json();
      message = body.message ?? body.error ?? message;
    } catch {
      // not JSON: keep the status line
    }
    throw new ApiError(response.status, message);
  }
  return response;
}

/** The `data` of the 200 reply of `method` on `path`, as the server's OpenAPI spec says (`api.gen.ts`). */
export type Data<P extends keyof ApiOperations, M extends keyof ApiOperations[P]> = ApiOperations[P][M] extends {
  reply: { data: infer D };
}
  ? D
  : never;

async function data<T>(path: string, init: RequestInit = {}): Promise<T> {
  return (await (await request(path, init)).json()).data as T;
}

function post(body: unknown = {}, method = 'POST'): RequestInit {
  return { method, body: JSON.stringify(body) };
}

const enc = encodeURIComponent;

/** Every server route the pages use, each in one place, with the reply's type from the spec. */
export const api = {
  apps: () => data<Data<'/lab/apps', 'get'>>('/lab/apps'),
  addApp: (url: string) => data<Data<'/lab/apps/sync', 'post'>>('/lab/apps/sync', post({ url })),
  resyncApp: (id: string) => data<Data<'/lab/apps/{appId}/resync', 'post'>>(`/lab/apps/${enc(id)}/resync`, post()),
  removeApp: (id: string) => data<Data<'/lab/apps/{appId}', 'delete'>>(`/lab/apps/${enc(id)}`, { method: 'DELETE' }),

  functions: () => data<Data<'/lab/functions', 'get'>>('/lab/functions'),
  /** Run counts by status per function. Written by hand: the spec's nested map is `Record<string, unknown>` in
   * the generated types. */
  functionStats: () => data<Record<string, Record<string, number>>>('/lab/functions/stats'),
  pauseState: (fnId: string) => data<Data<'/v1/functions/{functionId}/pause', 'get'>>(`/v1/functions/${enc(fnId)}/pause`),
  pause: (fnId: string) => data<Data<'/v1/functions/{functionId}/pause', 'post'>>(`/v1/functions/${enc(fnId)}/pause`, post()),
  resume: (fnId: string) => data<Data<'/v1/functions/{functionId}/resume', 'post'>>(`/v1/functions/${enc(fnId)}/resume`, post()),
  invoke: (fnId: string, payload: Record<string, unknown>) =>
    data<Data<'/lab/functions/{functionId}/invoke', 'post'>>(`/lab/functions/${enc(fnId)}/invoke`, post({ data: payload })),
  crons: () => data<Data<'/lab/crons', 'get'>>('/lab/crons'),

  async runPage(query: IRunPageQuery): Promise<IRunPage> {
    const params = runPageParams(query);
    const body = (await (await request(`/lab/runs/page?${params}`)).json()) as ApiOperations['/lab/runs/page']['get']['reply'];
    return { runs: body.data, nextCursor: body.metadata.next_cursor, scanned: body.metadata.scanned };
  },
  run: (runId: string) => data<Data<'/v1/runs/{runId}', 'get'>>(`/v1/runs/${enc(runId)}`),
  trace: (runId: string) => data<Data<'/lab/runs/{runId}/trace', 'get'>>(`/lab/runs/${enc(runId)}/trace`),
  cancel: (runId: string) => data<Data<'/lab/runs/{runId}/cancel', 'post'>>(`/lab/runs/${enc(runId)}/cancel`, post()),
  /** Rerun, optionally from a step with replacement input (Inngest's REST v2 rerun route). */
  rerun: (runId: string, fromStep?: { stepId: string; input?: unknown[] }) =>
    data<Data<'/v2/runs/{runId}/rerun', 'post'>>(`/v2/runs/${enc(runId)}/rerun`, post(fromStep ? { fromStep } : {})),

  events: (query: { cursor?: string | null; name?: string; limit?: number }) => {
    const params = new URLSearchParams({ limit: String(query.limit ?? 50) });
    if (query.cursor) {
      params.set('cursor', query.cursor);
    }
    if (query.name) {
      params.set('name', query.name);
    }
    return data<Data<'/v1/events', 'get'>>(`/v1/events?${params}`);
  },
  event: (id: string) => data<Data<'/v1/events/{eventId}', 'get'>>(`/v1/events/${enc(id)}`),
  eventRuns: (id: string) => data<Data<'/v1/events/{eventId}/runs', 'get'>>(`/v1/events/${enc(id)}/runs`),
  replay: (id: string) => data<Data<'/v1/events/{eventId}/replay', 'post'>>(`/v1/events/${enc(id)}/replay`, post()),
  send: (events: IEventInput[]) => data<Data<'/lab/events/send', 'post'>>('/lab/events/send', post(events)),

  cancellations: () => data<Data<'/v1/cancellations', 'get'>>('/v1/cancellations'),
  previewCancellation: (input: ICancellationInput) =>
    data<Data<'/lab/cancellations/preview', 'post'>>('/lab/cancellations/preview', post(input)),
  createCancellation: (input: ICancellationInput) => data<Data<'/v1/cancellations', 'post'>>('/v1/cancellations', post(input)),

  /** Per-minute throughput, failures and step latency of this server process (`GET /lab/metrics/series`). */
  metricsSeries: (minutes: number) => data<Data<'/lab/metrics/series', 'get'>>(`/lab/metrics/series?minutes=${minutes}`),

  /** Follow `GET /lab/live` until `signal` aborts or the stream ends. */
  async live(onNotices: (notices: LiveNotice[]) => void, signal: AbortSignal): Promise<void> {
    const response = await request('/lab/live', { signal, headers: { Accept: 'text/event-stream' } });
    await followStream(response, onNotices);
  },

  /** Follow a run's realtime messages (`GET /lab/runs/{id}/realtime`, one message per block) until `signal`
   * aborts or the stream ends; `onOpen` once subscribed. The session cookie authenticates it like any read. */
  async runRealtime(runId: string, onMessage: (message: IRealtimeMessage) => void, signal: AbortSignal, onOpen?: () => void): Promise<void> {
    const response = await request(`/lab/runs/${enc(runId)}/realtime`, { signal, headers: { Accept: 'text/event-stream' } });
    onOpen?.(); // subscribed: the server answers once the subscription exists
    await followStream<IRealtimeMessage>(response, onMessage);
  }
};

export function runPageParams(query: IRunPageQuery): URLSearchParams {
  const params = new URLSearchParams({ limit: String(query.limit ?? 50) });
  for (const s of query.status ?? []) {
    params.append('status', s);
  }
  const optional: [string, string | null | undefined][] = [
    ['app_id', query.appId],
    ['function_id', query.functionId],
    ['time_field', query.timeField],
    ['from', query.from],
    ['to', query.to],
    ['q', query.q],
    ['cursor', query.cursor]
  ];
  for (const [key, value] of optional) {
    if (value) {
      params.set(key, value);
    }
  }
  return params;
}
