/**
 * fastText's .vec text layout (`FastText::saveVectors`, also `print-word-vectors`):
 *   "<count> <dim>\n", then per word  word + " " + dim × (value + " ") + "\n".
 * Each value is a float printed by a C++ ostream with `setprecision(5)` in the default float field,
 * i.e. C's `printf("%.5g")` of the value widened to double: 5 significant digits, trailing zeros
 * dropped, exponent notation below 1e-4 and from 1e5 on ("0.12346", "-1.5e-05", "1e+10", "0", "-0").
 * Reading is the word2vec text reader's job (same layout); this module only formats numbers.
 */

/** Most bytes `writeG5` produces: "-1.2345e-45". */
export const MAX_G5_BYTES = 11;

const POW10 = [
  1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18,
  1e19, 1e20, 1e21, 1e22,
];

/** v · 10^k in double precision (every step is one correctly rounded operation on exact powers of ten). */
function scale(v: number, k: number): number {
  while (k > 22) {
    v *= 1e22;
    k -= 22;
  }
  while (k < -22) {
    v /= 1e22;
    k += 22;
  }
  return k >= 0 ? v * POW10[k] : v / POW10[-k];
}

/**
 * round-half-even(v · 10^(4−x)), or -1 when the double-precision product lands so close to a tie
 * that only exact arithmetic can decide. The product has a relative error below 2^-50, i.e. less
 * than 1e-10 at the magnitudes used here (< 10^6), far inside the 1e-7 margin.
 */
function roundScaled(v: number, x: number): number {
  const s = scale(v, 4 - x);
  const f = Math.floor(s);
  const frac = s - f;
  if (Math.abs(frac - 0.5) < 1e-7) return -1;
  return frac > 0.5 ? f + 1 : f;
}

const view = new DataView(new ArrayBuffer(8));
const DIGITS = new Uint8Array(5);

/** round-half-even(v · 10^(4−x)) computed exactly (v is a positive finite double). */
function roundScaledExact(v: number, x: number): number {
  view.setFloat64(0, v);
  const hi = view.getUint32(0);
  const lo = view.getUint32(4);
  const biased = (hi >>> 20) & 0x7ff;
  let mantissa = (BigInt(hi & 0xfffff) << 32n) | BigInt(lo);
  let e: number;
  if (biased === 0) {
    e = -1074; // subnormal double (not reachable from float32, kept for completeness)
  } else {
    mantissa |= 1n << 52n;
    e = biased - 1075;
  }
  const k = 4 - x;
  let num = mantissa;
  let den = 1n;
  if (e >= 0) num <<= BigInt(e);
  else den <<= BigInt(-e);
  if (k >= 0) num *= 10n ** BigInt(k);
  else den *= 10n ** BigInt(-k);
  let q = num / den;
  const r2 = 2n * (num - q * den);
  if (r2 > den || (r2 === den && (q & 1n) === 1n)) q += 1n;
  return Number(q);
}

/**
 * Write `x` (a finite float32 value, e.g. read from a Float32Array) as C's `printf("%.5g", (double)x)`
 * does with glibc: rounded to 5 significant digits half-to-even on the exact binary value, then
 * %f or %e style by the decimal exponent of the rounded value, without trailing zeros. Returns the new
 * position.
 */
export function writeG5(buf: Uint8Array, pos: number, x: number): number {
  if (x === 0) {
    if (1 / x < 0) buf[pos++] = 45;
    buf[pos++] = 48;
    return pos;
  }
  let v = x;
  if (v < 0) {
    buf[pos++] = 45;
    v = -v;
  }
  // Decimal exponent of the value rounded to 5 digits: start from log10 and correct it.
  let e10 = Math.floor(Math.log10(v));
  let exact = false;
  let n = 0;
  for (let attempt = 0; attempt < 4; attempt++) {
    n = exact ? roundScaledExact(v, e10) : roundScaled(v, e10);
    if (n < 0) {
      exact = true;
      n = roundScaledExact(v, e10);
    }
    if (n >= 100000) e10++;
    else if (n < 10000) e10--;
    else break;
  }
  // n has exactly five digits d0..d4; the value is d0.d1d2d3d4 × 10^e10.
  const d0 = (n / 10000) | 0;
  const d1 = ((n / 1000) | 0) % 10;
  const d2 = ((n / 100) | 0) % 10;
  const d3 = ((n / 10) | 0) % 10;
  const d4 = n % 10;
  const digits = DIGITS;
  digits[0] = d0;
  digits[1] = d1;
  digits[2] = d2;
  digits[3] = d3;
  digits[4] = d4;
  let last = 4; // last significant digit kept (trailing zeros dropped)
  while (last > 0 && digits[last] === 0) last--;
  if (e10 >= -4 && e10 < 5) {
    if (e10 >= 0) {
      for (let i = 0; i <= e10; i++) buf[pos++] = 48 + digits[i];
      if (last > e10) {
        buf[pos++] = 46;
        for (let i = e10 + 1; i <= last; i++) buf[pos++] = 48 + digits[i];
      }
    } else {
      buf[pos++] = 48;
      buf[pos++] = 46;
      for (let i = -1; i > e10; i--) buf[pos++] = 48;
      for (let i = 0; i <= last; i++) buf[pos++] = 48 + digits[i];
    }
    return pos;
  }
  buf[pos++] = 48 + d0;
  if (last > 0) {
    buf[pos++] = 46;
    for (let i = 1; i <= last; i++) buf[pos++] = 48 + digits[i];
  }
  buf[pos++] = 101;
  let ex = e10;
  if (ex < 0) {
    buf[pos++] = 45;
    ex = -ex;
  } else {
    buf[pos++] = 43;
  }
  if (ex >= 100) {
    buf[pos++] = 48 + ((ex / 100) | 0);
    ex %= 100;
  }
  buf[pos++] = 48 + ((ex / 10) | 0);
  buf[pos++] = 48 + (ex % 10);
  return pos;
}

/** `writeG5` as a string (for tests and small outputs); `x` is rounded to float32 first. */
export function formatG5(x: number): string {
  const b = new Uint8Array(MAX_G5_BYTES + 1);
  const n = writeG5(b, 0, Math.fround(x));
  return Buffer.from(b.buffer, 0, n).toString('latin1');
}
