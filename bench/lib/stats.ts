/** Median of the finite numbers in `values` (mean of the middle two for an even count); NaN if none. */
export function median(values: readonly (number | undefined | null)[]): number {
  const xs = values.filter((v): v is number => typeof v === 'number' && Number.isFinite(v)).sort((a, b) => a - b);
  if (xs.length === 0) return Number.NaN;
  const mid = xs.length >> 1;
  return xs.length % 2 === 1 ? xs[mid] : (xs[mid - 1] + xs[mid]) / 2;
}

export function minOf(values: readonly (number | undefined | null)[]): number {
  const xs = values.filter((v): v is number => typeof v === 'number' && Number.isFinite(v));
  return xs.length === 0 ? Number.NaN : Math.min(...xs);
}

export function maxOf(values: readonly (number | undefined | null)[]): number {
  const xs = values.filter((v): v is number => typeof v === 'number' && Number.isFinite(v));
  return xs.length === 0 ? Number.NaN : Math.max(...xs);
}

/** A number for JSON: NaN and infinities become null. */
export function finiteOrNull(x: number | undefined): number | null {
  return x !== undefined && Number.isFinite(x) ? x : null;
}
