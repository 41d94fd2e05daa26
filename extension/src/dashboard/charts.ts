/**
 * The Metrics page's charts, drawn with uPlot (bundled from npm, ~50 KB): loaded on demand by
 * `pages/metrics.ts`, so esbuild puts it in a chunk of its own and the other pages never parse it.
 * Colours come from the dashboard's CSS variables (`--il-*`, `--il-s-*`), read when a chart is drawn, so a
 * theme switch redraws them in the other palette.
 */
import uPlot from 'uplot';

import { IMetricsColumns } from './series';

export type ChartKind = 'throughput' | 'failures' | 'latency';

interface ISeriesSpec {
  label: string;
  colour: string; // a CSS variable of the palette
  values: (c: IMetricsColumns) => (number | null)[];
}

const SPECS: Record<ChartKind, { unit: string; series: ISeriesSpec[] }> = {
  throughput: {
    unit: 'runs / min',
    series: [
      { label: 'started', colour: '--il-s-running', values: c => c.started },
      { label: 'completed', colour: '--il-s-completed', values: c => c.completed }
    ]
  },
  failures: {
    unit: 'runs / min',
    series: [
      { label: 'failed', colour: '--il-s-failed', values: c => c.failed },
      { label: 'cancelled', colour: '--il-s-cancelled', values: c => c.cancelled }
    ]
  },
  latency: {
    unit: 'ms',
    series: [
      { label: 'step p50', colour: '--il-s-invoking', values: c => c.p50 },
      { label: 'step p99', colour: '--il-s-errored', values: c => c.p99 }
    ]
  }
};

export interface IChart {
  update(columns: IMetricsColumns): void;
  /** Redraw with the current theme's colours. */
  restyle(): void;
  resize(width: number): void;
  destroy(): void;
}

function cssVar(el: Element, name: string, fallback: string): string {
  return getComputedStyle(el).getPropertyValue(name).trim() || fallback;
}

const HEIGHT = 180;

export function drawChart(kind: ChartKind, parent: HTMLElement, columns: IMetricsColumns): IChart {
  const spec = SPECS[kind];
  let data = toData(spec.series, columns);
  const make = (): uPlot => {
    const fg = cssVar(parent, '--il-fg', '#1f1f1f');
    const muted = cssVar(parent, '--il-muted', '#616161');
    const grid = cssVar(parent, '--il-border', '#e0e0e0');
    const axis: uPlot.Axis = { stroke: muted, grid: { stroke: grid, width: 1 }, ticks: { stroke: grid, width: 1 } };
    const plot = new uPlot(
      {
        width: Math.max(200, parent.clientWidth),
        height: HEIGHT,
        legend: { show: true, live: true },
        cursor: { drag: { x: false, y: false } },
        scales: { x: { time: true }, y: { range: (_u, min, max) => [Math.min(0, min ?? 0), Math.max(1, max ?? 1)] } },
        axes: [
          { ...axis, font: '11px sans-serif' },
          { ...axis, font: '11px sans-serif', label: spec.unit, labelFont: '11px sans-serif', size: 50 }
        ],
        series: [
          { label: 'time' },
          ...spec.series.map(s => {
            const colour = cssVar(parent, s.colour, fg);
            return {
              label: s.label,
              stroke: colour,
              width: 2,
              spanGaps: kind !== 'latency',
              // Counts are a line (0 in quiet minutes); a latency exists only where steps ran: mark each point.
              points: kind === 'latency' ? { show: true, size: 5, fill: colour } : { show: false },
              value: (_u: uPlot, v: number | null) => (v === null ? '–' : kind === 'latency' ? `${v.toFixed(1)} ms` : String(v))
            };
          })
        ]
      },
      data,
      parent
    );
    plot.root.dataset.chart = kind;
    return plot;
  };
  let plot = make();
  return {
    update(next) {
      data = toData(spec.series, next);
      plot.setData(data);
    },
    restyle() {
      plot.destroy();
      plot = make();
    },
    resize(width) {
      plot.setSize({ width: Math.max(200, width), height: HEIGHT });
    },
    destroy() {
      plot.destroy();
    }
  };
}

function toData(series: ISeriesSpec[], columns: IMetricsColumns): uPlot.AlignedData {
  return [columns.x, ...series.map(s => s.values(columns))];
}
