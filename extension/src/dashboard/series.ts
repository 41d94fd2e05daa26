/**
 * The Metrics page's data: `GET /lab/metrics/series?minutes=N` (inngest_lab/observability/http.py) turned into
 * the columns the charts draw. Pure (no DOM, no chart library), so jest covers it and the page's first chunk
 * stays small; the chart library loads with `charts.ts`.
 */
import type * as api from '../api.gen';

/** The reply's `data`: bucket width, buckets oldest first (the server leaves empty minutes out), and the
 * retention window (`"0"`: off). Its type comes from the server's OpenAPI spec (`api.gen.ts`). */
export type IMetricsSeries = api.ApiOperations['/lab/metrics/series']['get']['reply']['data'];
/** One per-minute bucket of this server process. */
export type IMetricsBucket = IMetricsSeries['buckets'][number];

/** Aligned columns for the charts: x in Unix seconds, one value per bucket (counts 0, latencies null when empty). */
export interface IMetricsColumns {
  x: number[];
  started: number[];
  completed: number[];
  failed: number[];
  cancelled: number[];
  p50: (number | null)[];
  p99: (number | null)[];
  totals: { started: number; completed: number; failed: number; cancelled: number; steps: number };
}

/** Every bucket of the last `minutes` up to `nowMs`, with the minutes the server left out filled in. */
export function toColumns(series: IMetricsSeries, minutes: number, nowMs: number): IMetricsColumns {
  const width = Math.max(1, series.bucket_s) * 1000;
  const last = nowMs - (nowMs % width);
  const first = last - Math.max(0, Math.ceil((minutes * 60_000) / width) - 1) * width;
  const byStart = new Map(series.buckets.map(b => [b.start_ms, b]));
  const out: IMetricsColumns = {
    x: [],
    started: [],
    completed: [],
    failed: [],
    cancelled: [],
    p50: [],
    p99: [],
    totals: { started: 0, completed: 0, failed: 0, cancelled: 0, steps: 0 }
  };
  for (let t = Math.min(first, series.buckets[0]?.start_ms ?? first); t <= last; t += width) {
    const b = byStart.get(t);
    out.x.push(t / 1000);
    out.started.push(b?.started ?? 0);
    out.completed.push(b?.completed ?? 0);
    out.failed.push(b?.failed ?? 0);
    out.cancelled.push(b?.cancelled ?? 0);
    out.p50.push(b?.step_p50_ms ?? null);
    out.p99.push(b?.step_p99_ms ?? null);
  }
  for (const b of series.buckets) {
    out.totals.started += b.started;
    out.totals.completed += b.completed;
    out.totals.failed += b.failed;
    out.totals.cancelled += b.cancelled;
    out.totals.steps += b.steps;
  }
  return out;
}

/** The retention window as the page says it. */
export function retentionText(window: string): string {
  return window === '0' ? 'Retention: off (runs are kept until deleted)' : `Retention: runs older than ${window} are deleted`;
}
