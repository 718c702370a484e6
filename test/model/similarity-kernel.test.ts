import { describe, expect, it } from 'vitest';
import { instantiateKernels } from '../../src/runtime/kernels.js';
import { MemoryLayout, paddedDim } from '../../src/runtime/memory-layout.js';
import type { SimilarityKernels } from '../../src/model/index.js';
import { symmetricRandom as rng } from '../../bench/lib/random.js';

interface Env {
  k: SimilarityKernels;
  f32: Float32Array;
  i32: Int32Array;
  /** byte offsets */
  matrix: number;
  queries: number;
  scores: number;
  exclude: number;
  outIdx: number;
  outScores: number;
}

function env(): Env {
  const layout = new MemoryLayout();
  const matrix = layout.reserve('matrix', 4 << 20).offset;
  const queries = layout.reserve('queries', 1 << 20).offset;
  const scores = layout.reserve('scores', 1 << 20).offset;
  const exclude = layout.reserve('exclude', 1 << 16).offset;
  const outIdx = layout.reserve('outIdx', 1 << 18).offset;
  const outScores = layout.reserve('outScores', 1 << 18).offset;
  const memory = layout.createMemory();
  return {
    k: instantiateKernels(memory) as unknown as SimilarityKernels,
    f32: new Float32Array(memory.buffer),
    i32: new Int32Array(memory.buffer),
    matrix,
    queries,
    scores,
    exclude,
    outIdx,
    outScores,
  };
}

/** Writes rows of dim random floats, padded to stride with zeros; returns the dense copy. */
function fillRows(e: Env, at: number, rows: number, dim: number, stride: number, next: () => number): Float32Array[] {
  const out: Float32Array[] = [];
  for (let r = 0; r < rows; r++) {
    const v = new Float32Array(dim);
    for (let i = 0; i < dim; i++) v[i] = next();
    e.f32.set(v, (at >> 2) + r * stride);
    e.f32.fill(0, (at >> 2) + r * stride + dim, (at >> 2) + (r + 1) * stride);
    out.push(v);
  }
  return out;
}

const dot = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
};

/** Scalar reference top-k: sort by score desc, index asc; skip excluded and NaN. */
function refTopK(scores: number[], k: number, exclude: number[] = []): { idx: number[]; sc: number[] } {
  const ex = new Set(exclude);
  const order = scores
    .map((s, i) => [s, i] as const)
    .filter(([s, i]) => !ex.has(i) && !Number.isNaN(s))
    .sort((a, b) => b[0] - a[0] || a[1] - b[1])
    .slice(0, k);
  return { idx: order.map((o) => o[1]), sc: order.map((o) => o[0]) };
}

function readTop(e: Env, k: number, q = 0): { idx: number[]; sc: number[] } {
  const i0 = (e.outIdx >> 2) + q * k;
  const s0 = (e.outScores >> 2) + q * k;
  return { idx: [...e.i32.subarray(i0, i0 + k)], sc: [...e.f32.subarray(s0, s0 + k)] };
}

describe('scoreRows', () => {
  it('matches a scalar dot product for many dimensions', () => {
    const e = env();
    const next = rng(1);
    for (const dim of [1, 3, 4, 5, 15, 16, 17, 31, 64, 100, 300]) {
      const stride = paddedDim(dim);
      const rows = 37;
      const m = fillRows(e, e.matrix, rows, dim, stride, next);
      const [q] = fillRows(e, e.queries, 1, dim, stride, next);
      e.k.scoreRows(e.matrix, rows, stride, e.queries, e.scores);
      for (let r = 0; r < rows; r++) {
        expect(e.f32[(e.scores >> 2) + r]).toBeCloseTo(dot(m[r], q), 4);
      }
    }
  });
});

describe('topKScores', () => {
  it('equals sorting, best first, with exclusions', () => {
    const e = env();
    const next = rng(2);
    const n = 1000;
    const scores = Array.from({ length: n }, () => Math.fround(next()));
    e.f32.set(scores, e.scores >> 2);
    for (const k of [1, 2, 5, 10, 64, 999, 1000]) {
      const exclude = [scores.indexOf(Math.max(...scores)), 17, 500];
      e.i32.set(exclude, e.exclude >> 2);
      const count = e.k.topKScores(e.scores, n, k, e.exclude, exclude.length, e.outIdx, e.outScores);
      const ref = refTopK(scores, k, exclude);
      expect(count).toBe(ref.idx.length);
      const got = readTop(e, k);
      expect(got.idx.slice(0, count)).toEqual(ref.idx);
      expect(got.sc.slice(0, count)).toEqual(ref.sc);
      // slots no row filled
      expect(got.idx.slice(count)).toEqual(Array(k - count).fill(-1));
      expect(got.sc.slice(count)).toEqual(Array(k - count).fill(-Infinity));
    }
  });

  it('breaks ties by the lower index, skips NaN, handles k = 0 and k > n', () => {
    const e = env();
    const scores = [0.5, 0.9, 0.5, NaN, 0.9, 0.1, 0.5];
    e.f32.set(scores, e.scores >> 2);
    expect(e.k.topKScores(e.scores, scores.length, 4, e.exclude, 0, e.outIdx, e.outScores)).toBe(4);
    expect(readTop(e, 4).idx).toEqual([1, 4, 0, 2]);
    expect(e.k.topKScores(e.scores, scores.length, 0, e.exclude, 0, e.outIdx, e.outScores)).toBe(0);
    expect(e.k.topKScores(e.scores, scores.length, 10, e.exclude, 0, e.outIdx, e.outScores)).toBe(6);
    expect(readTop(e, 10).idx).toEqual([1, 4, 0, 2, 6, 5, -1, -1, -1, -1]);
    // -1 entries in the exclusion list are ignored; excluding every row leaves nothing
    e.i32.set([-1, 1, -1], e.exclude >> 2);
    e.k.topKScores(e.scores, scores.length, 2, e.exclude, 3, e.outIdx, e.outScores);
    expect(readTop(e, 2).idx).toEqual([4, 0]);
    e.i32.set([0, 1, 2, 3, 4, 5, 6], e.exclude >> 2);
    expect(e.k.topKScores(e.scores, scores.length, 3, e.exclude, 7, e.outIdx, e.outScores)).toBe(0);
  });
});

describe('mostSimilarRows', () => {
  it('equals scoreRows followed by a sort', () => {
    const e = env();
    const next = rng(3);
    for (const [dim, rows] of [
      [100, 2000],
      [7, 333],
      [300, 500],
    ] as const) {
      const stride = paddedDim(dim);
      fillRows(e, e.matrix, rows, dim, stride, next);
      fillRows(e, e.queries, 1, dim, stride, next);
      e.k.scoreRows(e.matrix, rows, stride, e.queries, e.scores);
      const scores = [...e.f32.subarray(e.scores >> 2, (e.scores >> 2) + rows)];
      const exclude = refTopK(scores, 3).idx; // exclude the best three
      e.i32.set(exclude, e.exclude >> 2);
      const k = 25;
      const count = e.k.mostSimilarRows(e.matrix, rows, stride, e.queries, k, e.exclude, 3, e.outIdx, e.outScores);
      expect(count).toBe(k);
      const ref = refTopK(scores, k, exclude);
      expect(readTop(e, k)).toEqual(ref);
    }
  });
});

describe('mostSimilarBatch', () => {
  it('equals one query at a time for every remainder of queries and rows', () => {
    const e = env();
    const next = rng(4);
    for (const [dim, rows, nQueries] of [
      [100, 1001, 9],
      [100, 1000, 8],
      [5, 77, 3],
      [16, 2, 5],
      [300, 257, 6],
      [4, 1, 1],
    ] as const) {
      const stride = paddedDim(dim);
      const m = fillRows(e, e.matrix, rows, dim, stride, next);
      const qs = fillRows(e, e.queries, nQueries, dim, stride, next);
      const nExclude = 3;
      const excl: number[][] = [];
      for (let q = 0; q < nQueries; q++) {
        const ex = [Math.floor(((next() + 1) / 2) * rows), -1, q % rows];
        excl.push(ex);
        e.i32.set(ex, (e.exclude >> 2) + q * nExclude);
      }
      const k = 7;
      e.k.mostSimilarBatch(e.matrix, rows, stride, e.queries, nQueries, k, e.exclude, nExclude, e.outIdx, e.outScores);
      for (let q = 0; q < nQueries; q++) {
        const exact = m.map((row) => dot(row, qs[q]));
        const ref = refTopK(exact, k, excl[q]);
        const got = readTop(e, k, q);
        const real = got.idx.filter((i) => i >= 0).length;
        expect(real).toBe(ref.idx.length);
        // float32 SIMD vs float64 scalar: compare scores closely, and indices where scores are not near-tied
        for (let j = 0; j < real; j++) {
          expect(got.sc[j]).toBeCloseTo(ref.sc[j], 4);
          expect(exact[got.idx[j]]).toBeCloseTo(ref.sc[j], 4);
        }
        expect(got.idx.slice(0, real)).toEqual(ref.idx);
      }
    }
  });
});

describe('cosmulTopK', () => {
  it('matches the scalar 3CosMul formula', () => {
    const e = env();
    const next = rng(5);
    const dim = 50;
    const stride = paddedDim(dim);
    const rows = 400;
    const unitRows = (at: number, n: number) => {
      const raw = fillRows(e, at, n, dim, stride, next);
      e.k.normalizeRows(at, stride, at, stride, n, dim);
      return raw.map((_, r) => e.f32.slice((at >> 2) + r * stride, (at >> 2) + r * stride + dim));
    };
    const m = unitRows(e.matrix, rows);
    const q = unitRows(e.queries, 3); // b, c (positive) then a (negative)
    const pos = e.queries;
    const neg = e.queries + 2 * stride * 4;
    const ref = m.map((d) => (((1 + dot(d, q[0])) / 2) * ((1 + dot(d, q[1])) / 2)) / ((1 + dot(d, q[2])) / 2 + 1e-6));
    e.i32.set([5, 6, 7], e.exclude >> 2);
    const count = e.k.cosmulTopK(e.matrix, rows, stride, pos, 2, neg, 1, 10, e.exclude, 3, e.outIdx, e.outScores);
    expect(count).toBe(10);
    const want = refTopK(ref, 10, [5, 6, 7]);
    const got = readTop(e, 10);
    expect(got.idx).toEqual(want.idx);
    got.sc.forEach((s, j) => expect(s).toBeCloseTo(want.sc[j], 4));
    // no negatives: the denominator is 1 + 1e-6
    e.k.cosmulTopK(e.matrix, rows, stride, pos, 1, neg, 0, 3, e.exclude, 0, e.outIdx, e.outScores);
    const ref1 = m.map((d) => (1 + dot(d, q[0])) / 2 / (1 + 1e-6));
    expect(readTop(e, 3).idx).toEqual(refTopK(ref1, 3).idx);
  });
});

describe('normalizeRows', () => {
  it('normalises dense rows into padded rows and in place; zero rows stay zero', () => {
    const e = env();
    const next = rng(6);
    for (const dim of [1, 3, 4, 10, 100, 301]) {
      const stride = paddedDim(dim);
      const rows = 9;
      // dense source (stride = dim, not 16-byte aligned rows) into a padded destination with garbage padding
      const src: Float32Array[] = [];
      for (let r = 0; r < rows; r++) {
        const v = Float32Array.from({ length: dim }, () => (r === 4 ? 0 : next() * 10));
        src.push(v);
        e.f32.set(v, (e.queries >> 2) + r * dim);
      }
      e.f32.fill(123, e.matrix >> 2, (e.matrix >> 2) + rows * stride);
      e.k.normalizeRows(e.queries, dim, e.matrix, stride, rows, dim);
      for (let r = 0; r < rows; r++) {
        const row = e.f32.subarray((e.matrix >> 2) + r * stride, (e.matrix >> 2) + (r + 1) * stride);
        const n = Math.sqrt(dot(src[r], src[r]));
        for (let i = 0; i < dim; i++) expect(row[i]).toBeCloseTo(n > 0 ? src[r][i] / n : 0, 6);
        for (let i = dim; i < stride; i++) expect(row[i]).toBe(0);
        if (n > 0) expect(Math.sqrt(dot(row, row))).toBeCloseTo(1, 5);
      }
      // in place: normalising unit rows again changes (almost) nothing
      const before = e.f32.slice(e.matrix >> 2, (e.matrix >> 2) + rows * stride);
      e.k.normalizeRows(e.matrix, stride, e.matrix, stride, rows, dim);
      const after = e.f32.subarray(e.matrix >> 2, (e.matrix >> 2) + rows * stride);
      after.forEach((x, i) => expect(x).toBeCloseTo(before[i], 6));
    }
  });
});

describe('quantizeRows and mostSimilarQuantized (int8 prefilter, exact result)', () => {
  /** Unit rows in e.matrix, their int8 copy in e.scores' neighbourhood; returns what the kernel needs. */
  function quantized(e: Env, rows: number, dim: number) {
    const stride = paddedDim(dim);
    const q8Stride = Math.ceil(dim / 16) * 16;
    const q8 = e.scores; // 1 MiB region: rows·q8Stride bytes
    const scales = e.queries + (512 << 10);
    const l1 = scales + rows * 4 + 64;
    expect(rows * q8Stride).toBeLessThanOrEqual(1 << 20);
    e.k.normalizeRows(e.matrix, stride, e.matrix, stride, rows, dim);
    e.k.quantizeRows(e.matrix, rows, stride, dim, q8, q8Stride, scales, l1);
    let maxScale = 0;
    let maxL1 = 0;
    for (let r = 0; r < rows; r++) {
      maxScale = Math.max(maxScale, e.f32[(scales >> 2) + r]);
      maxL1 = Math.max(maxL1, e.f32[(l1 >> 2) + r]);
    }
    return { stride, q8Stride, q8, scales, l1, maxScale, maxL1 };
  }

  it('quantises each row to int8 with a per-row scale', () => {
    const e = env();
    const next = rng(7);
    const dim = 21;
    const stride = paddedDim(dim);
    const rows = 5;
    fillRows(e, e.matrix, rows, dim, stride, next);
    const z = quantized(e, rows, dim);
    const i8 = new Int8Array(e.f32.buffer);
    for (let r = 0; r < rows; r++) {
      const row = e.f32.subarray((e.matrix >> 2) + r * stride, (e.matrix >> 2) + r * stride + dim);
      const m = Math.max(...row.map(Math.abs));
      const scale = e.f32[(z.scales >> 2) + r];
      expect(scale).toBeCloseTo(m / 127, 7);
      expect(e.f32[(z.l1 >> 2) + r]).toBeCloseTo(row.reduce((s, x) => s + Math.abs(x), 0), 5);
      for (let i = 0; i < z.q8Stride; i++) {
        const q = i8[z.q8 + r * z.q8Stride + i];
        if (i >= dim) expect(q).toBe(0);
        else expect(Math.abs(row[i] - q * scale)).toBeLessThanOrEqual(scale / 2 + 1e-7);
      }
    }
  });

  function compare(e: Env, rows: number, dim: number, k: number, exclude: number[], z: ReturnType<typeof quantized>): void {
    e.i32.set(exclude, e.exclude >> 2);
    const n1 = e.k.mostSimilarRows(e.matrix, rows, z.stride, e.queries, k, e.exclude, exclude.length, e.outIdx, e.outScores);
    const want = readTop(e, k);
    const q16 = e.queries + (256 << 10);
    const approx = e.queries + (384 << 10);
    const n2 = e.k.mostSimilarQuantized(
      e.matrix, z.q8, z.scales, rows, z.stride, dim, z.q8Stride, z.maxScale, z.maxL1,
      e.queries, q16, approx, k, e.exclude, exclude.length, e.outIdx, e.outScores,
    );
    expect(n2).toBe(n1);
    expect(readTop(e, k)).toEqual(want);
  }

  it('returns exactly what the f32 scan returns (random data, every row remainder)', () => {
    const e = env();
    const next = rng(8);
    for (const [dim, rows] of [
      [100, 5000],
      [100, 5003],
      [16, 1001],
      [7, 999],
      [300, 2002],
      [1, 50],
    ] as const) {
      const stride = paddedDim(dim);
      fillRows(e, e.matrix, rows, dim, stride, next);
      const z = quantized(e, rows, dim);
      for (let t = 0; t < 5; t++) {
        // queries: a row of the matrix (excluded, as mostSimilar does) and a random vector
        const qr = (t * 997) % rows;
        e.f32.copyWithin(e.queries >> 2, (e.matrix >> 2) + qr * stride, (e.matrix >> 2) + (qr + 1) * stride);
        compare(e, rows, dim, 10, [qr], z);
        fillRows(e, e.queries, 1, dim, stride, next);
        e.k.normalizeRows(e.queries, stride, e.queries, stride, 1, dim);
        compare(e, rows, dim, 1 + t * 7, [], z);
      }
      compare(e, rows, dim, rows + 3, [0, 1], z); // k beyond the rows
    }
  });

  it('returns exactly what the f32 scan returns on clustered data full of near-ties', () => {
    const e = env();
    const next = rng(9);
    const dim = 64;
    const stride = paddedDim(dim);
    const rows = 4000;
    // a few centres plus tiny noise; some rows duplicated exactly (ties broken by the lower index)
    const centres = Array.from({ length: 4 }, () => Float32Array.from({ length: dim }, next));
    for (let r = 0; r < rows; r++) {
      const c = centres[r % 4];
      const v = r % 10 === 9 ? c : Float32Array.from(c, (x) => x + next() * 1e-3);
      e.f32.set(v, (e.matrix >> 2) + r * stride);
    }
    const z = quantized(e, rows, dim);
    for (const qr of [0, 1, 9, 1234]) {
      e.f32.copyWithin(e.queries >> 2, (e.matrix >> 2) + qr * stride, (e.matrix >> 2) + (qr + 1) * stride);
      compare(e, rows, dim, 25, [qr, 5, 6], z);
      compare(e, rows, dim, 3, [], z);
    }
  });
});
