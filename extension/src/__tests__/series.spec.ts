/**
 * The Metrics page's data: the server's per-minute buckets (empty minutes left out) become aligned columns
 * over the whole range, with totals, and the retention window becomes a sentence.
 */
import { IMetricsBucket, retentionText, toColumns } from '../dashboard/series';

const MIN = 60_000;

function bucket(startMs: number, fields: Partial<IMetricsBucket>): IMetricsBucket {
  return { start_ms: startMs, started: 0, completed: 0, failed: 0, cancelled: 0, steps: 0, step_p50_ms: null, step_p99_ms: null, ...fields };
}

describe('metrics series', () => {
  const now = 100 * MIN + 30_000; // half-way through minute 100

  it('fills the quiet minutes of the range: counts 0, latencies null', () => {
    const series = {
      bucket_s: 60,
      retention: '0',
      buckets: [
        bucket(97 * MIN, { started: 2, completed: 1, failed: 1, steps: 3, step_p50_ms: 4, step_p99_ms: 9 }),
        bucket(100 * MIN, { started: 1, completed: 1, steps: 1, step_p50_ms: 2, step_p99_ms: 2 })
      ]
    };
    const c = toColumns(series, 5, now);
    expect(c.x).toEqual([96, 97, 98, 99, 100].map(m => (m * MIN) / 1000));
    expect(c.started).toEqual([0, 2, 0, 0, 1]);
    expect(c.failed).toEqual([0, 1, 0, 0, 0]);
    expect(c.p99).toEqual([null, 9, null, null, 2]);
    expect(c.totals).toEqual({ started: 3, completed: 2, failed: 1, cancelled: 0, steps: 4 });
  });

  it('an empty series still spans the range, all quiet', () => {
    const c = toColumns({ bucket_s: 60, retention: '0', buckets: [] }, 60, now);
    expect(c.x).toHaveLength(60);
    expect(c.x[59]).toBe((100 * MIN) / 1000);
    expect(c.completed.every(n => n === 0)).toBe(true);
    expect(c.totals.completed).toBe(0);
  });

  it('says the retention window', () => {
    expect(retentionText('0')).toBe('Retention: off (runs are kept until deleted)');
    expect(retentionText('30d')).toBe('Retention: runs older than 30d are deleted');
  });
});
