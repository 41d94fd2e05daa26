/** Formatting shared by the components. Pure. */

/**
 * The one duration format, the same as the Python fallback renderer's (`workbench/render.py`): `17ms`,
 * `5.2s`, `3m 4s`, `1h 2m`, `1d 1h` (the two largest units). Empty for unknown.
 */
export function formatDuration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !isFinite(ms)) {
    return '';
  }
  const v = Math.max(0, Math.round(ms));
  if (v < 1000) {
    return `${v}ms`;
  }
  if (v < 60_000) {
    return `${(v / 1000).toFixed(1)}s`;
  }
  let s = Math.floor(v / 1000);
  const parts: [number, string][] = [];
  for (const [size, unit] of [
    [86_400, 'd'],
    [3600, 'h'],
    [60, 'm'],
    [1, 's']
  ] as [number, string][]) {
    parts.push([Math.floor(s / size), unit]);
    s %= size;
  }
  return parts
    .filter(([n]) => n > 0)
    .slice(0, 2)
    .map(([n, u]) => `${n}${u}`)
    .join(' ');
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
