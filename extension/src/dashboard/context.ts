/** What every dashboard page gets from the shell: navigation, the live feed, messages, the Send event modal. */
import { LiveNotice } from '../tokens';

export interface IDashboardConfig {
  /** `dev` or `self-hosted`: shown in the banner, and it decides the cURL example's key. */
  mode: 'dev' | 'self-hosted';
  version: string;
}

export interface IContext {
  readonly config: IDashboardConfig;
  /** Go to a page of the dashboard (pushes history; no reload). */
  navigate(path: string): void;
  /** Show a short message at the top of the page. */
  toast(message: string, isError?: boolean): void;
  /** Open the Send event modal (optionally with a JSON text in the editor). */
  sendEvent(initial?: string): void;
  /** Listen to the live feed; returns the unsubscribe function. */
  onLive(listener: (notices: LiveNotice[]) => void): () => void;
}

/** A page: its element, and what to do when it is left. */
export interface IPage {
  readonly el: HTMLElement;
  dispose?(): void;
}

/** Calls `fn` at most once per `ms`, after the last call in a burst (live notices come in bursts). */
export function coalesce(fn: () => void, ms = 200): () => void {
  let timer: ReturnType<typeof setTimeout> | null = null;
  return () => {
    if (timer === null) {
      timer = setTimeout(() => {
        timer = null;
        fn();
      }, ms);
    }
  };
}

/** An error message for the page, from anything a request threw. */
export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
