/**
 * Runs as a table: status, run id, function, trigger, queued time and duration. The whole row opens the run
 * (and the id and function name are links, so they can be opened in a new tab, selected and copied).
 * Host-agnostic: `href` builds link targets, `onOpen` handles plain clicks.
 */
import { IRunSummary } from '../tokens';
import { h } from './dom';
import { formatClock, formatDuration } from './format';

export interface IRunsTableOptions {
  /** The URL a run's links point at (omitted: no links, rows still open on click). */
  href?: (runId: string) => string;
  /** A plain click on a row (not on a link with a modifier key). */
  onOpen?: (runId: string) => void;
  /** The clock for the duration of runs in progress; null leaves them blank (a host on a fake clock). */
  now?: number | null;
  /** Text when there are no runs. */
  empty?: string;
}

export function statusBadge(status: string): HTMLElement {
  return h('span', { class: `inngest-lab-status inngest-lab-status-${status.toLowerCase()}` }, status);
}

export function renderRunsTable(runs: readonly IRunSummary[], options: IRunsTableOptions = {}): HTMLElement {
  if (runs.length === 0) {
    return h('div', { class: 'inngest-lab-empty' }, options.empty ?? 'No runs match.');
  }
  const now = options.now === undefined ? Date.now() : options.now;
  const body = h('tbody', {});
  for (const run of runs) {
    body.append(runRow(run, now, options));
  }
  return h(
    'table',
    { class: 'inngest-lab-table inngest-lab-runs-table' },
    h('thead', {}, h('tr', {}, ...['Status', 'Run ID', 'Function', 'Trigger', 'Queued', 'Duration'].map(t => h('th', {}, t)))),
    body
  );
}

function runRow(run: IRunSummary, now: number | null, options: IRunsTableOptions): HTMLElement {
  const link = (text: string, cls: string) =>
    options.href ? h('a', { class: cls, href: options.href(run.run_id) }, text) : h('span', { class: cls }, text);
  const end = run.ended_at_ms ?? now;
  const took = run.started_at_ms === null || end === null ? null : end - run.started_at_ms;
  const row = h(
    'tr',
    { class: 'inngest-lab-clickable', 'data-run-id': run.run_id, 'data-status': run.status },
    h('td', {}, statusBadge(run.status)),
    h('td', {}, link(run.run_id, 'inngest-lab-id')),
    h('td', {}, link(run.function_id, 'inngest-lab-name')),
    h('td', { class: 'inngest-lab-muted' }, run.event_name ?? ''),
    h('td', { class: 'inngest-lab-muted', title: new Date(run.queued_at_ms).toISOString() }, formatClock(run.queued_at_ms)),
    h('td', { class: 'inngest-lab-muted' }, took === null ? '' : formatDuration(took))
  );
  const onOpen = options.onOpen;
  if (onOpen) {
    row.addEventListener('click', ev => {
      const target = ev.target as HTMLElement;
      if (ev.metaKey || ev.ctrlKey || ev.shiftKey || ev.button !== 0) {
        return; // let the browser open the link in a new tab
      }
      if (window.getSelection()?.toString() && !target.closest('a')) {
        return; // the user is selecting text, not opening the run
      }
      ev.preventDefault();
      onOpen(run.run_id);
    });
  }
  return row;
}
