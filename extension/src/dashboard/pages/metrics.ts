/**
 * `/charts`: the Metrics page. Throughput, failures and step latency p50/p99 per minute over the last 15, 60
 * or 180 minutes (`GET /lab/metrics/series`, this server process's own counts), with the totals as text and
 * the retention window. Re-read when the live feed says a run changed status (at most every 2 s), never on a
 * timer. The charts (uPlot) load on first use, like the JSON editor.
 */
import { h } from '../../components/dom';
import type { ChartKind, IChart } from '../charts';
import { IContext, IPage, coalesce, messageOf } from '../context';
import { api } from '../http';
import { IMetricsColumns, retentionText, toColumns } from '../series';

const RANGES = [15, 60, 180];
const LIVE_THROTTLE_MS = 2000;
const CHARTS: [ChartKind, string][] = [
  ['throughput', 'Throughput'],
  ['failures', 'Failures'],
  ['latency', 'Step latency']
];

let chartsModule: Promise<typeof import('../charts')> | null = null;

export function metricsPage(ctx: IContext, search: string): IPage {
  const asked = Number(new URLSearchParams(search).get('minutes'));
  let minutes = RANGES.includes(asked) ? asked : 60;
  const status = h('div', { class: 'inngest-lab-muted', 'data-testid': 'metrics-status' }, 'Loading…');
  const retention = h('div', { class: 'inngest-lab-muted', 'data-testid': 'retention' });
  const totals = h('div', { class: 'inngest-lab-metric-totals', 'data-testid': 'metric-totals' });
  const boxes = new Map<ChartKind, HTMLElement>(CHARTS.map(([kind]) => [kind, h('div', { class: 'inngest-lab-chart', 'data-testid': `chart-${kind}` })]));
  const charts = new Map<ChartKind, IChart>();
  let disposed = false;

  const range = h('select', { class: 'inngest-lab-input', 'aria-label': 'Time range', 'data-testid': 'metrics-range' });
  for (const m of RANGES) {
    range.append(h('option', { value: String(m), selected: m === minutes }, `Last ${m} minutes`));
  }
  range.addEventListener('change', () => {
    minutes = Number(range.value);
    history.replaceState(null, '', `/charts?minutes=${minutes}`);
    void load();
  });

  const draw = async (columns: IMetricsColumns) => {
    chartsModule ??= import('../charts');
    const { drawChart } = await chartsModule;
    if (disposed) {
      return;
    }
    for (const [kind, box] of boxes) {
      const chart = charts.get(kind);
      if (chart) {
        chart.update(columns);
      } else {
        charts.set(kind, drawChart(kind, box, columns));
      }
    }
  };

  const load = async () => {
    try {
      const series = await api.metricsSeries(minutes);
      const columns = toColumns(series, minutes, Date.now());
      const t = columns.totals;
      totals.replaceChildren(
        ...(
          [
            ['started', 'Started', t.started],
            ['completed', 'Completed', t.completed],
            ['failed', 'Failed', t.failed],
            ['cancelled', 'Cancelled', t.cancelled],
            ['steps', 'Steps', t.steps]
          ] as const
        ).map(([key, label, n]) =>
          h('div', { class: 'inngest-lab-metric', 'data-metric': key }, h('span', { class: 'inngest-lab-metric-value' }, String(n)), h('span', { class: 'inngest-lab-muted' }, label))
        )
      );
      retention.textContent = retentionText(series.retention);
      status.textContent = `Per ${series.bucket_s === 60 ? 'minute' : `${series.bucket_s} s`}, last ${minutes} minutes, counted by this server process since it started.`;
      await draw(columns);
    } catch (error) {
      status.textContent = messageOf(error);
      status.className = 'inngest-lab-error';
    }
  };

  const refresh = coalesce(() => void load(), LIVE_THROTTLE_MS);
  const stopLive = ctx.onLive(notices => notices.some(n => n.type === 'resync' || (n.type === 'run' && n.status !== undefined)) && refresh());
  // A theme switch sets body[data-inngest-lab-theme]: redraw with the other palette.
  const themes = new MutationObserver(() => charts.forEach(c => c.restyle()));
  themes.observe(document.body, { attributes: true, attributeFilter: ['data-inngest-lab-theme'] });
  const sizes = typeof ResizeObserver === 'undefined' ? null : new ResizeObserver(() => boxes.forEach((box, kind) => charts.get(kind)?.resize(box.clientWidth)));
  boxes.forEach(box => sizes?.observe(box));
  void load();

  const el = h(
    'section',
    { class: 'inngest-lab-page', 'data-page': 'metrics' },
    h('div', { class: 'inngest-lab-run-title' }, h('h1', {}, 'Metrics'), h('span', { class: 'inngest-lab-spacer' }), range),
    status,
    retention,
    totals,
    ...CHARTS.map(([kind, title]) => h('div', { class: 'inngest-lab-card' }, h('h2', {}, title), boxes.get(kind)))
  );
  return {
    el,
    dispose: () => {
      disposed = true;
      stopLive();
      themes.disconnect();
      sizes?.disconnect();
      charts.forEach(c => c.destroy());
    }
  };
}
