// The explorer's map: PCA through the SVD's dense kernels (gramRows, multiplySmall) against the
// scalar oracle in test/reference/pca-reference.ts (covariance by definition, Jacobi eigenvectors).
import { describe, expect, it } from 'vitest';
import { leadingEigenvectors, pca2d } from '../../src/serve/pca.js';
import { referencePca2d } from '../reference/pca-reference.js';
import { normals } from './helpers.js';

/** count × dim rows with column j scaled by scales[j] (default 1), then mixed by a fixed rotation. */
function sample(count: number, dim: number, scales: number[], seed: number): Float32Array {
  const g = normals(seed);
  const raw = Array.from({ length: count }, () => Array.from({ length: dim }, (_, j) => (scales[j] ?? 1) * g() + 0.5 * j));
  // a Householder reflection mixes every column into every other, so no axis is a coordinate axis
  const h = Array.from({ length: dim }, () => g());
  const norm = Math.hypot(...h);
  const rows = new Float32Array(count * dim);
  raw.forEach((r, i) => {
    const p = r.reduce((s, x, j) => s + x * h[j], 0) / (norm * norm);
    for (let j = 0; j < dim; j++) rows[i * dim + j] = r[j] - 2 * p * h[j];
  });
  return rows;
}

function expectCoordinates(actual: Float64Array, expected: Float64Array, tolerance: number): void {
  const scale = Math.max(...expected.map(Math.abs));
  for (let i = 0; i < expected.length; i++) expect(Math.abs(actual[i] - expected[i]), `coordinate ${i}`).toBeLessThan(tolerance * scale);
}

describe('pca2d (gramRows + multiplySmall kernels)', () => {
  for (const [count, dim] of [[300, 24], [7, 7], [3, 5], [1000, 100], [41, 1]] as const) {
    it(`matches the scalar reference: ${count} rows × ${dim}`, () => {
      const rows = sample(count, dim, [6, 3, 1.5], count + dim);
      const { coordinates, explained } = pca2d(rows, count, dim);
      const reference = referencePca2d(rows, count, dim);
      if (dim === 1) {
        // one axis only: the second coordinate is zero
        expectCoordinates(coordinates.filter((_, i) => i % 2 === 0), reference.coordinates.filter((_, i) => i % 2 === 0), 1e-9);
        for (let i = 1; i < coordinates.length; i += 2) expect(coordinates[i]).toBe(0);
        return;
      }
      expectCoordinates(coordinates, reference.coordinates, 1e-7);
      let total = 0;
      const mean = new Float64Array(dim);
      for (let i = 0; i < count; i++) for (let j = 0; j < dim; j++) mean[j] += rows[i * dim + j] / count;
      for (let i = 0; i < count; i++) for (let j = 0; j < dim; j++) total += (rows[i * dim + j] - mean[j]) ** 2;
      expect(explained[0]).toBeCloseTo(reference.values[0] / total, 8);
      expect(explained[1]).toBeCloseTo(reference.values[1] / total, 8);
    });
  }

  it('gives zeros for a single row or identical rows, and the same map twice', () => {
    expect([...pca2d(Float32Array.from([1, 2, 3]), 1, 3).coordinates]).toEqual([0, 0]);
    const same = pca2d(Float32Array.from([1, 2, 1, 2, 1, 2]), 3, 2);
    expect([...same.coordinates]).toEqual([0, 0, 0, 0, 0, 0]);
    expect(same.explained).toEqual([0, 0]);
    const rows = sample(50, 10, [4, 2], 3);
    expect(pca2d(rows, 50, 10)).toEqual(pca2d(rows, 50, 10));
  });

  it('leadingEigenvectors of a diagonal matrix: the two largest entries, largest first', () => {
    const { vectors, values } = leadingEigenvectors(Float64Array.from([1, 0, 0, 0, 5, 0, 0, 0, 3]), 3);
    expect(values[0]).toBeCloseTo(5, 12);
    expect(values[1]).toBeCloseTo(3, 12);
    const rounded = (w: Float64Array) => [...w].map((v) => (Math.abs(v) < 1e-9 ? 0 : v));
    expect(rounded(vectors[0])).toEqual([0, 1, 0]);
    expect(rounded(vectors[1])).toEqual([0, 0, 1]);
  });
});
