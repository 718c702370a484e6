// The small dense steps of the randomized SVD, on (k+p) × (k+p) matrices in plain JavaScript: the
// Cholesky factor of a Gram matrix, the inverse of a triangular factor, and the SVD of the final
// small factor (one-sided Jacobi, accurate to the last digits). They cost O((k+p)³), nothing beside
// the sparse products, and are deterministic, so every worker can compute them itself.

/** A dense n × n matrix, row-major. */
export type Square = Float64Array;

/**
 * Upper-triangular R with RᵀR = G (G symmetric, only its upper triangle read). A pivot that is not
 * positive (a column dependent on the previous ones) returns undefined: the caller shifts G and retries.
 */
export function cholesky(g: Square, n: number): Square | undefined {
  const r = new Float64Array(n * n);
  for (let j = 0; j < n; j++) {
    let d = g[j * n + j];
    for (let k = 0; k < j; k++) d -= r[k * n + j] * r[k * n + j];
    if (!(d > 0)) return undefined;
    const rjj = Math.sqrt(d);
    r[j * n + j] = rjj;
    for (let c = j + 1; c < n; c++) {
      let s = g[j * n + c];
      for (let k = 0; k < j; k++) s -= r[k * n + j] * r[k * n + c];
      r[j * n + c] = s / rjj;
    }
  }
  return r;
}

/** The inverse of an upper-triangular matrix (upper triangular too). */
export function upperInverse(r: Square, n: number): Square {
  const inv = new Float64Array(n * n);
  for (let j = n - 1; j >= 0; j--) {
    inv[j * n + j] = 1 / r[j * n + j];
    for (let i = j - 1; i >= 0; i--) {
      let s = 0;
      for (let k = i + 1; k <= j; k++) s += r[i * n + k] * inv[k * n + j];
      inv[i * n + j] = -s / r[i * n + i];
    }
  }
  return inv;
}

/** a · b for n × n matrices. */
export function multiply(a: Square, b: Square, n: number): Square {
  const out = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < n; k++) {
      const aik = a[i * n + k];
      if (aik === 0) continue;
      for (let j = 0; j < n; j++) out[i * n + j] += aik * b[k * n + j];
    }
  }
  return out;
}

export interface SmallSvd {
  /** Left singular vectors, n × n row-major (column j is the j-th vector). */
  u: Square;
  /** Singular values, largest first. */
  s: Float64Array;
  /** Right singular vectors, n × n row-major (column j is the j-th vector). */
  v: Square;
}

/**
 * A = U·diag(s)·Vᵀ by one-sided Jacobi (Hestenes): rotate pairs of columns of A until all are
 * orthogonal; then the column norms are the singular values. Columns of U for zero singular values
 * are left zero.
 */
export function jacobiSvd(a: Square, n: number, maxSweeps = 60): SmallSvd {
  // Work on columns stored contiguously: w[j] is column j of A, v[j] column j of V.
  const w = new Float64Array(n * n);
  const v = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) w[j * n + i] = a[i * n + j];
  for (let j = 0; j < n; j++) v[j * n + j] = 1;
  const eps = 1e-15;
  for (let sweep = 0; sweep < maxSweeps; sweep++) {
    let rotated = false;
    for (let p = 0; p < n - 1; p++) {
      for (let q = p + 1; q < n; q++) {
        let alpha = 0;
        let beta = 0;
        let gamma = 0;
        for (let i = 0; i < n; i++) {
          const x = w[p * n + i];
          const y = w[q * n + i];
          alpha += x * x;
          beta += y * y;
          gamma += x * y;
        }
        if (gamma === 0 || Math.abs(gamma) <= eps * Math.sqrt(alpha * beta)) continue;
        rotated = true;
        const zeta = (beta - alpha) / (2 * gamma);
        const t = Math.sign(zeta || 1) / (Math.abs(zeta) + Math.sqrt(1 + zeta * zeta));
        const c = 1 / Math.sqrt(1 + t * t);
        const s = c * t;
        for (let i = 0; i < n; i++) {
          const x = w[p * n + i];
          const y = w[q * n + i];
          w[p * n + i] = c * x - s * y;
          w[q * n + i] = s * x + c * y;
          const vx = v[p * n + i];
          const vy = v[q * n + i];
          v[p * n + i] = c * vx - s * vy;
          v[q * n + i] = s * vx + c * vy;
        }
      }
    }
    if (!rotated) break;
  }
  const norms = new Float64Array(n);
  for (let j = 0; j < n; j++) {
    let s = 0;
    for (let i = 0; i < n; i++) s += w[j * n + i] * w[j * n + i];
    norms[j] = Math.sqrt(s);
  }
  const order = Array.from({ length: n }, (_, j) => j).sort((x, y) => norms[y] - norms[x] || x - y);
  const u = new Float64Array(n * n);
  const vOut = new Float64Array(n * n);
  const s = new Float64Array(n);
  order.forEach((j, rank) => {
    s[rank] = norms[j];
    for (let i = 0; i < n; i++) {
      if (norms[j] > 0) u[i * n + rank] = w[j * n + i] / norms[j];
      vOut[i * n + rank] = v[j * n + i];
    }
  });
  return { u, s, v: vOut };
}

/** A seeded generator of standard normal numbers (xoshiro128** and Box–Muller), the same on every platform. */
export class GaussianStream {
  private readonly s = new Uint32Array(4);
  private spare: number | undefined;

  constructor(seed: number) {
    // splitmix32 over the seed's two 32-bit halves spreads it over the state.
    let z = (seed >>> 0) ^ Math.imul(Math.floor(seed / 2 ** 32) >>> 0, 0x85ebca6b);
    for (let i = 0; i < 4; i++) {
      z = (z + 0x9e3779b9) | 0;
      let x = z;
      x = Math.imul(x ^ (x >>> 16), 0x21f0aaad);
      x = Math.imul(x ^ (x >>> 15), 0x735a2d97);
      this.s[i] = x ^ (x >>> 15);
    }
    if ((this.s[0] | this.s[1] | this.s[2] | this.s[3]) === 0) this.s[0] = 1;
  }

  private next(): number {
    const s = this.s;
    const result = Math.imul(rotl(Math.imul(s[1], 5), 7), 9) >>> 0;
    const t = s[1] << 9;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 11);
    return result;
  }

  /** A uniform number in (0, 1) with 53 random bits. */
  uniform(): number {
    const high = this.next() >>> 6;
    const low = this.next() >>> 5;
    return (high * 2 ** 27 + low + 0.5) / 2 ** 53;
  }

  normal(): number {
    if (this.spare !== undefined) {
      const x = this.spare;
      this.spare = undefined;
      return x;
    }
    const r = Math.sqrt(-2 * Math.log(this.uniform()));
    const theta = 2 * Math.PI * this.uniform();
    this.spare = r * Math.sin(theta);
    return r * Math.cos(theta);
  }
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}
