// The randomized SVD (src/svd/randomized-svd.ts + shards.ts on worker threads) against matrices with
// a known decomposition: singular values, subspaces (|cos| of the principal angles), orthonormality.
import { describe, expect, it } from 'vitest';
import { randomizedSvd } from '../../src/svd/randomized-svd.js';
import { knownMatrix, loadDense } from './helpers.js';

/** Cosines of the principal angles between the column spaces of two orthonormal n × k matrices: the singular values of XᵀY (via the eigenvalues of (XᵀY)ᵀ(XᵀY) by Jacobi). */
function smallestPrincipalCosine(x: Float64Array, y: Float64Array, n: number, kx: number, ky: number, k: number): number {
  // ‖Y_jᵀ projected on span(X)‖ for each y column j < k: the smallest such norm bounds the worst angle for rank-k spaces of equal size.
  let worst = 1;
  for (let j = 0; j < k; j++) {
    let norm2 = 0;
    for (let p = 0; p < k; p++) {
      let d = 0;
      for (let i = 0; i < n; i++) d += x[i * kx + p] * y[i * ky + j];
      norm2 += d * d;
    }
    worst = Math.min(worst, Math.sqrt(norm2));
  }
  return worst;
}

describe('randomized SVD', () => {
  it('recovers the leading singular triplets of a matrix with a known SVD (2 threads)', async () => {
    const rows = 90;
    const cols = 70;
    const s = Array.from({ length: 40 }, (_, i) => 10 * 0.7 ** i);
    const { a, u, v } = knownMatrix(rows, cols, s, 3);
    const k = 6;
    const { memory, plan } = loadDense(a, rows, cols, k + 10, 2);
    const result = await randomizedSvd({ memory, plan, rank: k, powerIterations: 3, seed: 1, threads: 2 });
    for (let i = 0; i < k; i++) expect(Math.abs(result.sigma[i] - s[i]) / s[i]).toBeLessThan(1e-5);
    expect(smallestPrincipalCosine(u, result.u, rows, s.length, k, k)).toBeGreaterThan(1 - 1e-6);
    expect(smallestPrincipalCosine(v, result.v, cols, s.length, k, k)).toBeGreaterThan(1 - 1e-6);
    // U and V have orthonormal columns.
    for (const [m, n] of [[result.u, rows], [result.v, cols]] as const) {
      for (let p = 0; p < k; p++) for (let q = 0; q < k; q++) {
        let d = 0;
        for (let i = 0; i < n; i++) d += m[i * k + p] * m[i * k + q];
        expect(Math.abs(d - (p === q ? 1 : 0))).toBeLessThan(1e-9);
      }
    }
    // A·v_j = σ_j·u_j
    for (let j = 0; j < k; j++) {
      for (let i = 0; i < rows; i++) {
        let x = 0;
        for (let c = 0; c < cols; c++) x += Math.fround(a[i * cols + c]) * result.v[c * k + j];
        expect(Math.abs(x - result.sigma[j] * result.u[i * k + j])).toBeLessThan(1e-5);
      }
    }
  });

  it('handles a sketch wider than the rank (shifted Cholesky-QR) and gives the same result for the same seed', async () => {
    const rows = 50;
    const cols = 40;
    const s = [5, 3, 2];
    const { a } = knownMatrix(rows, cols, s, 7);
    const run = async () => {
      const { memory, plan } = loadDense(a, rows, cols, 2 + 8, 1);
      return randomizedSvd({ memory, plan, rank: 2, powerIterations: 2, seed: 42, threads: 1 });
    };
    const first = await run();
    expect(first.shiftedPasses).toBeGreaterThan(0);
    expect(Math.abs(first.sigma[0] - 5) / 5).toBeLessThan(1e-5);
    expect(Math.abs(first.sigma[1] - 3) / 3).toBeLessThan(1e-5);
    const second = await run();
    expect(Array.from(second.sigma)).toEqual(Array.from(first.sigma));
    expect(Array.from(second.u)).toEqual(Array.from(first.u));
  });
});
