/**
 * The standalone dashboard (served by `inngest-lab dev` and `start` at `/`): the shell (navigation, the
 * dev/self-hosted banner, theme, messages, Send event), a router over real URLs, and one live connection to
 * `/lab/live` that every page listens to. Bundled by esbuild (scripts/build-ui.mjs) with the same components
 * the JupyterLab panel and the notebook widgets draw with.
 */
import '../../style/base.css';
import 'uplot/dist/uPlot.min.css';
import '../../style/dashboard.css';

import { curlFor, parseEventInput } from '../components/events';
import { h } from '../components/dom';
import { IEventInput, LiveNotice } from '../tokens';
import { IContext, IDashboardConfig, IPage, messageOf } from './context';
import { api } from './http';
import { copyText, openJsonModal } from './modal';
import { appsPage, cancelPage, cronsPage } from './pages/admin';
import { eventPage, eventsPage } from './pages/events';
import { functionsPage } from './pages/functions';
import { metricsPage } from './pages/metrics';
import { runPage } from './pages/run';
import { runsPage } from './pages/runs';

const NAV: [string, string][] = [
  ['/runs', 'Runs'],
  ['/events', 'Events'],
  ['/functions', 'Functions'],
  ['/apps', 'Apps'],
  ['/crons', 'Crons'],
  ['/cancel', 'Bulk cancel'],
  ['/charts', 'Metrics']
];
const TEMPLATE = '{\n  "name": "demo/hello",\n  "data": {}\n}';
const RECONNECT_MS = 2000;

type Theme = 'auto' | 'light' | 'dark';

/** The page for a path: the router. Pure apart from building the page. */
export function route(ctx: IContext, path: string, search: string): IPage {
  const parts = path.split('/').filter(Boolean).map(decodeURIComponent);
  switch (parts[0]) {
    case undefined:
    case 'runs':
      return parts[1] ? runPage(ctx, parts[1]) : runsPage(ctx, search);
    case 'events':
      return parts[1] ? eventPage(ctx, parts[1]) : eventsPage(ctx, search);
    case 'functions':
      return functionsPage(ctx, parts[1] ?? null);
    case 'apps':
      return appsPage(ctx);
    case 'crons':
      return cronsPage();
    case 'cancel':
      return cancelPage(ctx);
    case 'charts':
      return metricsPage(ctx, search);
    default:
      return { el: h('section', { class: 'inngest-lab-page' }, h('h1', {}, 'Not found'), h('p', {}, `No page at ${path}.`)) };
  }
}

class Dashboard implements IContext {
  constructor(
    readonly config: IDashboardConfig,
    private root: HTMLElement
  ) {
    this.root.classList.add('inngest-lab-root', 'inngest-lab-dashboard');
    this.applyTheme((localStorage.getItem('inngest-lab-theme') as Theme | null) ?? 'auto');
    this.root.replaceChildren(this.header(), this.toasts, this.main);
    window.addEventListener('popstate', () => this.show());
    document.addEventListener('click', ev => this.followLink(ev));
    window.matchMedia?.('(prefers-color-scheme: dark)').addEventListener?.('change', () => this.applyTheme(this.theme));
    this.show();
    void this.follow();
  }

  navigate(path: string): void {
    if (path !== location.pathname + location.search) {
      history.pushState(null, '', path);
    }
    this.show();
  }

  toast(message: string, isError = false): void {
    const note = h('div', { class: `inngest-lab-toast${isError ? ' inngest-lab-toast-error' : ''}`, role: isError ? 'alert' : 'status' }, message);
    this.toasts.append(note);
    setTimeout(() => note.remove(), isError ? 8000 : 4000);
  }

  onLive(listener: (notices: LiveNotice[]) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  sendEvent(initial = TEMPLATE): void {
    const key = this.config.mode === 'dev' ? 'dev' : '$INNGEST_EVENT_KEY';
    openJsonModal<IEventInput[]>({
      title: 'Send event',
      hint: 'One event or an array of events: {"name": …, "data": {…}}',
      initial,
      action: 'Send',
      validate: text => {
        const parsed = parseEventInput(text);
        return 'error' in parsed ? parsed : { value: parsed.events };
      },
      run: async events => {
        const { ids } = await api.send(events);
        this.toast(`Sent ${ids.length} event${ids.length === 1 ? '' : 's'}: ${ids.join(', ')}`);
        if (ids.length === 1) {
          this.navigate(`/events/${encodeURIComponent(ids[0])}`);
        }
      },
      extra: [
        {
          label: 'Copy as cURL',
          onClick: (text, say) => {
            const parsed = parseEventInput(text);
            if ('error' in parsed) {
              say(parsed.error);
              return;
            }
            void copyText(curlFor(`${location.origin}/e/${key}`, parsed.events)).then(
              () => say('Copied the cURL command.', false),
              error => say(messageOf(error))
            );
          }
        }
      ]
    });
  }

  private show(): void {
    this.page?.dispose?.();
    this.page = route(this, location.pathname, location.search);
    this.main.replaceChildren(this.page.el);
    const section = '/' + (location.pathname.split('/')[1] || 'runs');
    for (const a of this.nav.querySelectorAll('a')) {
      a.classList.toggle('inngest-lab-nav-active', a.getAttribute('href') === section);
    }
    document.title = `${this.page.el.querySelector('h1')?.textContent || 'inngest-lab'} · inngest-lab`;
  }

  /** Same-origin links to dashboard pages navigate in place (modifier keys still open a new tab). */
  private followLink(ev: MouseEvent): void {
    const a = (ev.target as Element | null)?.closest?.('a');
    if (!a || ev.defaultPrevented || ev.button !== 0 || ev.metaKey || ev.ctrlKey || ev.shiftKey || a.target) {
      return;
    }
    const url = new URL(a.href, location.href);
    if (url.origin === location.origin && !url.pathname.startsWith('/login') && !url.pathname.startsWith('/logout')) {
      ev.preventDefault();
      this.navigate(url.pathname + url.search);
    }
  }

  private header(): HTMLElement {
    const themeButton = h('button', { class: 'inngest-lab-button', type: 'button', 'data-testid': 'theme-toggle' });
    const label = () => (themeButton.textContent = `Theme: ${this.theme}`);
    label();
    themeButton.addEventListener('click', () => {
      const next: Theme = this.theme === 'auto' ? 'dark' : this.theme === 'dark' ? 'light' : 'auto';
      localStorage.setItem('inngest-lab-theme', next);
      this.applyTheme(next);
      label();
    });
    const send = h('button', { class: 'inngest-lab-button inngest-lab-primary', type: 'button' }, 'Send event');
    send.addEventListener('click', () => this.sendEvent());
    const mode = this.config.mode === 'dev' ? 'Dev server' : 'Self-hosted';
    return h(
      'header',
      { class: 'inngest-lab-topbar' },
      h('a', { class: 'inngest-lab-brand', href: '/runs' }, 'inngest-lab'),
      h('span', { class: `inngest-lab-mode inngest-lab-mode-${this.config.mode}`, 'data-testid': 'mode-banner' }, mode),
      this.nav,
      h('span', { class: 'inngest-lab-spacer' }),
      this.liveDot,
      send,
      themeButton
    );
  }

  private applyTheme(theme: Theme): void {
    this.theme = theme;
    const dark = theme === 'dark' || (theme === 'auto' && window.matchMedia?.('(prefers-color-scheme: dark)').matches);
    document.body.dataset.inngestLabTheme = dark ? 'dark' : 'light';
  }

  /** One live connection for every page; reconnects after a drop and tells pages to re-read. */
  private async follow(): Promise<void> {
    for (;;) {
      const abort = new AbortController();
      try {
        this.setLive(true);
        await api.live(notices => this.listeners.forEach(l => l(notices)), abort.signal);
      } catch {
        // dropped (server restarted, network): reconnect below
      }
      this.setLive(false);
      await new Promise(resolve => setTimeout(resolve, RECONNECT_MS));
      this.listeners.forEach(l => l([{ type: 'resync' }]));
    }
  }

  private setLive(on: boolean): void {
    this.liveDot.className = `inngest-lab-live${on ? ' inngest-lab-live-live' : ''}`;
    this.liveDot.title = on ? 'Live: updates arrive as they happen' : 'Reconnecting…';
    this.liveDot.dataset.live = String(on);
  }

  private theme: Theme = 'auto';
  private page: IPage | null = null;
  private listeners = new Set<(notices: LiveNotice[]) => void>();
  private readonly main = h('main', { class: 'inngest-lab-main' });
  private readonly toasts = h('div', { class: 'inngest-lab-toasts' });
  private readonly liveDot = h('span', { class: 'inngest-lab-live', 'data-testid': 'live' });
  private readonly nav = h('nav', { class: 'inngest-lab-nav' }, ...NAV.map(([href, text]) => h('a', { href }, text)));
}

function start(): void {
  const root = document.getElementById('inngest-lab-dashboard');
  const raw = document.getElementById('inngest-lab-config')?.textContent ?? '{}';
  const config = { mode: 'dev', version: '', ...JSON.parse(raw) } as IDashboardConfig;
  if (root) {
    new Dashboard(config, root);
  }
}

start();
