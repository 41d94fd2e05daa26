/** Formatting shared by the components. Pure. */

/** `1.2 s`, `340 ms`, `3 min 5 s`, `2 h 4 min`. */
export function formatDuration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !isFinite(ms)) {
    return '';
  }
  const v = Math.max(0, ms);
  if (v < 1000) {
    return `${Math.round(v)} ms`;
  }
  if (v < 60_000) {
    return `${(v / 1000).toFixed(v < 10_000 ? 2 : 1)} s`;
  }
  if (v < 3_600_000) {
    const m = Math.floor(v / 60_000);
    const s = Math.round((v % 60_000) / 1000);
    return s ? `${m} min ${s} s` : `${m} min`;
  }
  const hrs = Math.floor(v / 3_600_000);
  const m = Math.round((v % 3_600_000) / 60_000);
  return m ? `${hrs} h ${m} min` : `${hrs} h`;
}

/** Local wall-clock time of an epoch-ms instant, `HH:MM:SS`. */
export function formatClock(ms: number | null | undefined): string {
  if (ms === null || ms === undefined) {
    return '';
  }
  return new Date(ms).toLocaleTimeString([], { hour12: false });
}

/** A JSON value for a detail panel. */
export function formatJson(value: unknown): string {
  if (value === undefined) {
    return '';
  }
  try {
    return JSON.stringify(value, null, 2);
  } catch {
    return String(value);
  }
}

/** The short form of a ULID or hash for tables. */
export function shortId(id: string | null | undefined): string {
  return id ? (id.length > 10 ? id.slice(-8) : id) : '';
}
