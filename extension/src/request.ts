/**
 * The one request path to the server extension: every call goes through `requestAPI`, to
 * `<base_url>/inngest-lab/<path>`, with Jupyter's auth (token header, XSRF) from ServerConnection.
 */
import { URLExt } from '@jupyterlab/coreutils';
import { ServerConnection } from '@jupyterlab/services';

import type { IRealtimeMessage } from './components/realtime';
import {
  IEventInfo,
  IEventInput,
  IFunctionInfo,
  IInngestApi,
  IRunQuery,
  IRunSummary,
  ITimeline,
  LiveNotice
} from './tokens';
import { followStream } from './sse';

/** The API mount under Jupyter's base URL. */
export const MOUNT = 'inngest-lab';

/** Call `<base_url>/inngest-lab/<path>` and return the raw Response (errors raise `ResponseError`). */
export async function requestAPI(
  path: string,
  init: RequestInit = {},
  settings: ServerConnection.ISettings = ServerConnection.makeSettings()
): Promise<Response> {
  const url = URLExt.join(settings.baseUrl, MOUNT, path);
  let response: Response;
  try {
    response = await ServerConnection.makeRequest(url, init, settings);
  } catch (error) {
    throw new ServerConnection.NetworkError(error as TypeError);
  }
  if (!response.ok) {
    let message = response.statusText;
    try {
      const body = await response.json();
      message = body.error ?? body.message ?? message;
    } catch {
      // not JSON: keep the status text
    }
    throw new ServerConnection.ResponseError(response, message);
  }
  return response;
}

async function getData<T>(path: string, settings: ServerConnection.ISettings, init: RequestInit = {}): Promise<T> {
  const response = await requestAPI(path, init, settings);
  return (await response.json()).data as T;
}

/** The inngest-lab REST API as hosted by the Jupyter server extension. */
export class JupyterApi implements IInngestApi {
  constructor(readonly settings: ServerConnection.ISettings = ServerConnection.makeSettings()) {}

  /** The Event API URL, for "Copy as cURL" (any key works: Jupyter auth guards the route instead). */
  get eventApiUrl(): string {
    return URLExt.join(this.settings.baseUrl, MOUNT, 'e', 'jupyter');
  }

  functions(): Promise<IFunctionInfo[]> {
    return getData('lab/functions', this.settings);
  }

  runs(query: IRunQuery = {}): Promise<IRunSummary[]> {
    const params = new URLSearchParams();
    for (const s of query.status ?? []) {
      params.append('status', s);
    }
    if (query.functionId) {
      params.set('function_id', query.functionId);
    }
    params.set('limit', String(query.limit ?? 50));
    return getData(`lab/runs?${params}`, this.settings);
  }

  events(limit = 20): Promise<IEventInfo[]> {
    return getData(`v1/events?limit=${limit}`, this.settings);
  }

  trace(runId: string): Promise<ITimeline> {
    return getData(`lab/runs/${encodeURIComponent(runId)}/trace`, this.settings);
  }

  cancel(runId: string): Promise<IRunSummary> {
    return getData(`lab/runs/${encodeURIComponent(runId)}/cancel`, this.settings, { method: 'POST' });
  }

  async send(events: IEventInput[]): Promise<string[]> {
    const response = await requestAPI(
      'e/jupyter',
      { method: 'POST', body: JSON.stringify(events), headers: { 'Content-Type': 'application/json' } },
      this.settings
    );
    return (await response.json()).ids as string[];
  }

  async live(onNotices: (notices: LiveNotice[]) => void, signal: AbortSignal): Promise<void> {
    const response = await requestAPI('lab/live', { signal, headers: { Accept: 'text/event-stream' } }, this.settings);
    await followStream(response, onNotices);
  }

  async realtime(runId: string, onMessage: (message: IRealtimeMessage) => void, signal: AbortSignal, onOpen?: () => void): Promise<void> {
    const path = `lab/runs/${encodeURIComponent(runId)}/realtime`;
    const response = await requestAPI(path, { signal, headers: { Accept: 'text/event-stream' } }, this.settings);
    onOpen?.(); // subscribed: the server answers once the subscription exists
    await followStream<IRealtimeMessage>(response, onMessage);
  }
}
