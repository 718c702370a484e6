/** Human-readable figures for tables and console output. Missing values print as "–". */

const DASH = '–';

function ok(x: number | null | undefined): x is number {
  return typeof x === 'number' && Number.isFinite(x);
}

/** 1234567 → "1.23 M", 45678 → "45.7 k". */
export function rate(x: number | null | undefined): string {
  if (!ok(x)) return DASH;
  const a = Math.abs(x);
  if (a >= 1e9) return `${(x / 1e9).toFixed(2)} G`;
  if (a >= 1e6) return `${(x / 1e6).toFixed(2)} M`;
  if (a >= 1e3) return `${(x / 1e3).toFixed(1)} k`;
  if (a >= 10) return x.toFixed(0);
  return x.toPrecision(3);
}

export function secs(x: number | null | undefined, digits = 2): string {
  return ok(x) ? x.toFixed(digits) : DASH;
}

export function mib(bytesOrKiB: number | null | undefined, unit: 'B' | 'KiB' = 'B'): string {
  if (!ok(bytesOrKiB)) return DASH;
  const v = unit === 'B' ? bytesOrKiB / 2 ** 20 : bytesOrKiB / 2 ** 10;
  return v.toFixed(0);
}

export function pct(fraction: number | null | undefined, digits = 2): string {
  return ok(fraction) ? (100 * fraction).toFixed(digits) : DASH;
}

export function fixed(x: number | null | undefined, digits = 3): string {
  return ok(x) ? x.toFixed(digits) : DASH;
}

export function ratio(x: number | null | undefined): string {
  return ok(x) ? `${x.toFixed(2)}×` : DASH;
}

export function ns(x: number | null | undefined): string {
  if (!ok(x)) return DASH;
  if (x >= 1e6) return `${(x / 1e6).toFixed(2)} ms`;
  if (x >= 1e3) return `${(x / 1e3).toFixed(2)} µs`;
  return `${x.toFixed(1)} ns`;
}

/** A GitHub-flavoured Markdown table; `align` is 'l' or 'r' per column (default: first left, rest right). */
export function markdownTable(header: string[], rows: string[][], align?: ('l' | 'r')[]): string {
  const a = align ?? header.map((_, i) => (i === 0 ? 'l' : 'r'));
  const esc = (s: string) => s.replace(/\|/g, '\\|');
  const lines = [
    `| ${header.map(esc).join(' | ')} |`,
    `| ${a.map((x) => (x === 'r' ? '---:' : ':---')).join(' | ')} |`,
    ...rows.map((r) => `| ${r.map(esc).join(' | ')} |`),
  ];
  return `${lines.join('\n')}\n`;
}

/** A plain-text table for the console, columns padded. */
export function consoleTable(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (r: string[]) => r.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n') + '\n';
}
