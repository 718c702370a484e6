import { describe, expect, it } from 'vitest';
import { TRAIN_CONFIG } from '../../src/glove/layout.js';
import { matrices, setup, writeRecord, type Setup } from './fixture.js';

const f = Math.fround;

/**
 * glove.c's update in scalar f32 arithmetic, with the kernel's order of operations (the dot product
 * sums lanes like vecmath.dot: two 4-lane accumulators, then lanes 0+1+2+3). AdaGrad sums are
 * stored without their initial 1.
 */
function referenceTrain(W: Float32Array, C: Float32Array, rowFloats: number, stride: number, recs: [number, number, number, number][], eta: number, clip: number): number {
  const e = f(eta);
  const c = f(clip);
  const clamp = (x: number) => Math.min(Math.max(x, -c), c);
  let cost = 0;
  for (const [w1, w2, logX, weight] of recs) {
    const a = w1 * rowFloats;
    const b = w2 * rowFloats;
    const acc0 = [0, 0, 0, 0];
    const acc1 = [0, 0, 0, 0];
    let i = 0;
    for (; i + 8 <= stride; i += 8) {
      for (let l = 0; l < 4; l++) {
        acc0[l] = f(acc0[l] + f(W[a + i + l] * C[b + i + l]));
        acc1[l] = f(acc1[l] + f(W[a + i + 4 + l] * C[b + i + 4 + l]));
      }
    }
    if (i < stride) for (let l = 0; l < 4; l++) acc0[l] = f(acc0[l] + f(W[a + i + l] * C[b + i + l]));
    const lanes = acc0.map((x, l) => f(x + acc1[l]));
    const dot = f(f(f(lanes[0] + lanes[1]) + lanes[2]) + lanes[3]);
    const diff = f(f(f(dot + W[a + 2 * stride]) + C[b + 2 * stride]) - f(logX));
    const fdiff = f(f(weight) * diff);
    if (!Number.isFinite(diff) || !Number.isFinite(fdiff)) continue;
    cost += 0.5 * fdiff * diff;
    for (let k = 0; k < stride; k++) {
      const wa = W[a + k];
      const wb = C[b + k];
      const ga = W[a + stride + k];
      const gb = C[b + stride + k];
      const ta = f(clamp(f(fdiff * wb)) * e);
      const tb = f(clamp(f(fdiff * wa)) * e);
      W[a + k] = f(wa - f(ta / f(Math.sqrt(f(1 + ga)))));
      C[b + k] = f(wb - f(tb / f(Math.sqrt(f(1 + gb)))));
      W[a + stride + k] = f(ga + f(ta * ta));
      C[b + stride + k] = f(gb + f(tb * tb));
    }
    const gba = W[a + 2 * stride + 1];
    const gbb = C[b + 2 * stride + 1];
    W[a + 2 * stride] = f(W[a + 2 * stride] - f(fdiff / f(Math.sqrt(f(1 + gba)))));
    C[b + 2 * stride] = f(C[b + 2 * stride] - f(fdiff / f(Math.sqrt(f(1 + gbb)))));
    const f2 = f(fdiff * fdiff);
    W[a + 2 * stride + 1] = f(gba + f2);
    C[b + 2 * stride + 1] = f(gbb + f2);
  }
  return cost;
}

function readRecords(s: Setup, n: number): [number, number, number, number][] {
  const view = new DataView(s.memory.buffer);
  return Array.from({ length: n }, (_, i) => {
    const at = s.records + i * 16;
    return [view.getUint32(at, true), view.getUint32(at + 4, true), view.getFloat32(at + 8, true), view.getFloat32(at + 12, true)];
  });
}

describe('GloVe SIMD kernel', () => {
  for (const dim of [100, 10, 4, 3]) {
    it(`matches the scalar reference bit for bit (dim ${dim}), and its cost is the summed loss`, () => {
      const vocab = 40;
      const n = 3000;
      const s = setup(vocab, dim, n);
      let seed = 17;
      const random = () => (seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32;
      for (let i = 0; i < n; i++) {
        // Zipf-like ids, repeated pairs, word1 == word2, counts on both sides of xMax.
        const w1 = Math.min(vocab - 1, Math.floor(Math.exp(random() * Math.log(vocab))));
        const w2 = i % 50 === 0 ? w1 : Math.min(vocab - 1, Math.floor(Math.exp(random() * Math.log(vocab))));
        writeRecord(s, i, w1, w2, 0.1 + random() * 30);
      }
      const before = matrices(s, vocab);
      const recs = readRecords(s, n);
      const expectedCost = referenceTrain(before.W, before.C, s.rowFloats, s.stride, recs, 0.05, 100);
      // Two calls, as the workers make them.
      const cost = s.kernels.trainGloveChunk(s.config, s.records, 1000) + s.kernels.trainGloveChunk(s.config, s.records + 1000 * 16, n - 1000);
      const after = matrices(s, vocab);
      expect(after.W).toEqual(before.W);
      expect(after.C).toEqual(before.C);
      expect(cost).toBeCloseTo(expectedCost, 9);
      const pairsDone = new BigInt64Array(s.memory.buffer, s.config + TRAIN_CONFIG.pairsDone, 1)[0];
      expect(pairsDone).toBe(BigInt(n));
      // Padding lanes and the row padding stay zero.
      for (let r = 0; r < vocab; r++) {
        for (let k = dim; k < s.stride; k++) expect(after.W[r * s.rowFloats + k]).toBe(0);
        for (let k = 2 * s.stride + 2; k < s.rowFloats; k++) expect(after.C[r * s.rowFloats + k]).toBe(0);
      }
    });
  }

  it('clips each gradient component to ±gradClip, as glove.c', () => {
    const s = setup(4, 8, 1, 0.05, 0.01);
    writeRecord(s, 0, 1, 2, 1e30); // log X = 69: a huge residual
    const { W, C } = matrices(s, 4);
    s.kernels.trainGloveChunk(s.config, s.records, 1);
    const after = matrices(s, 4);
    for (let k = 0; k < 8; k++) {
      const step = W[s.rowFloats + k] - after.W[s.rowFloats + k];
      // fdiff < 0 and |fdiff·w̃| > 0.01: the step is −eta·clip·sign(w̃) with G = 1.
      expect(step).toBeCloseTo(-0.05 * 0.01 * Math.sign(C[2 * s.rowFloats + k]), 7);
    }
  });

  it('skips a record whose loss is not finite and keeps training the others', () => {
    const s = setup(4, 8, 2);
    s.floats[s.words / 4 + s.rowFloats] = NaN; // word 1's first component
    writeRecord(s, 0, 1, 2, 5);
    writeRecord(s, 1, 3, 2, 5);
    const { C } = matrices(s, 4);
    const cost = s.kernels.trainGloveChunk(s.config, s.records, 2);
    expect(Number.isFinite(cost)).toBe(true);
    const after = matrices(s, 4);
    expect(after.C[2 * s.rowFloats + 1]).not.toBe(C[2 * s.rowFloats + 1]); // updated by record 1 only
    expect(after.C.every((x) => Number.isFinite(x))).toBe(true);
  });

  it('takes the gradient of J = ½ f(X)(w·w̃ + b + b̃ − log X)² (finite differences)', () => {
    const dim = 12;
    const eta = 1e-3;
    const s = setup(5, dim, 1, eta);
    // Larger parameters than the initial ones, so every term matters.
    for (let k = 0; k < dim; k++) {
      s.floats[s.words / 4 + 2 * s.rowFloats + k] = f(Math.sin(k + 1) * 0.8);
      s.floats[s.contexts / 4 + 3 * s.rowFloats + k] = f(Math.cos(2 * k + 1) * 0.7);
    }
    const x = 3.7;
    writeRecord(s, 0, 2, 3, x);
    const weight = Math.pow(x / 10, 0.75);
    const { W, C } = matrices(s, 5);
    const a = 2 * s.rowFloats;
    const b = 3 * s.rowFloats;
    const loss = (w: Float64Array, c: Float64Array, bw: number, bc: number) => {
      let dot = 0;
      for (let k = 0; k < dim; k++) dot += w[k] * c[k];
      const diff = dot + bw + bc - Math.log(x);
      return 0.5 * weight * diff * diff;
    };
    const w = Float64Array.from(W.subarray(a, a + dim));
    const c = Float64Array.from(C.subarray(b, b + dim));
    const bw = W[a + 2 * s.stride];
    const bc = C[b + 2 * s.stride];
    const j0 = loss(w, c, bw, bc);
    const cost = s.kernels.trainGloveChunk(s.config, s.records, 1);
    expect(cost).toBeCloseTo(j0, 5);
    const after = matrices(s, 5);
    const h = 1e-4;
    for (let k = 0; k < dim; k++) {
      const wp = w.slice();
      const wm = w.slice();
      wp[k] += h;
      wm[k] -= h;
      const dw = (loss(wp, c, bw, bc) - loss(wm, c, bw, bc)) / (2 * h);
      const cp = c.slice();
      const cm = c.slice();
      cp[k] += h;
      cm[k] -= h;
      const dc = (loss(w, cp, bw, bc) - loss(w, cm, bw, bc)) / (2 * h);
      // With fresh AdaGrad sums (1) the step is −eta·gradient.
      expect((W[a + k] - after.W[a + k]) / eta).toBeCloseTo(dw, 3);
      expect((C[b + k] - after.C[b + k]) / eta).toBeCloseTo(dc, 3);
      // The AdaGrad sums (stored without their initial 1) grew by the squared step.
      expect(after.W[a + s.stride + k] / (eta * dw) ** 2).toBeCloseTo(1, 3);
    }
    // glove.c steps the biases by the gradient without eta.
    const db = (loss(w, c, bw + h, bc) - loss(w, c, bw - h, bc)) / (2 * h);
    expect(W[a + 2 * s.stride] - after.W[a + 2 * s.stride]).toBeCloseTo(db, 3);
    expect(C[b + 2 * s.stride] - after.C[b + 2 * s.stride]).toBeCloseTo(db, 3);
    expect(after.W[a + 2 * s.stride + 1] / (db * db)).toBeCloseTo(1, 3);
    // A small step lowers the loss.
    const w2 = Float64Array.from(after.W.subarray(a, a + dim));
    const c2 = Float64Array.from(after.C.subarray(b, b + dim));
    expect(loss(w2, c2, bw, bc)).toBeLessThan(j0);
  });

  it('initialises rows as glove.c: uniform in [−0.5, 0.5)/dim, AdaGrad sums 1 (stored as 0), padding 0', () => {
    const dim = 10;
    const s = setup(200, dim, 0);
    const { W, C } = matrices(s, 200);
    let sum = 0;
    for (const M of [W, C]) {
      for (let r = 0; r < 200; r++) {
        const row = M.subarray(r * s.rowFloats, (r + 1) * s.rowFloats);
        for (let k = 0; k < dim; k++) {
          expect(Math.abs(row[k])).toBeLessThanOrEqual(0.5 / dim);
          sum += row[k];
        }
        for (let k = dim; k < s.stride; k++) expect(row[k]).toBe(0);
        for (let k = 0; k < s.stride; k++) expect(row[s.stride + k]).toBe(0);
        expect(Math.abs(row[2 * s.stride])).toBeLessThanOrEqual(0.5 / dim);
        expect(row[2 * s.stride + 1]).toBe(0);
        for (let k = 2 * s.stride + 2; k < s.rowFloats; k++) expect(row[k]).toBe(0);
      }
    }
    expect(Math.abs(sum / (2 * 200 * dim))).toBeLessThan(0.005);
    expect(new Set(W.subarray(0, dim)).size).toBe(dim);
  });

  it('turns counted records into (log X, f(X)) with f(x) = min(1, (x/xMax)^alpha)', () => {
    const s = setup(2, 4, 4);
    const view = new DataView(s.memory.buffer);
    [0.5, 10, 99, 250].forEach((x, i) => {
      view.setUint32(s.records + i * 16, 1, true);
      view.setUint32(s.records + i * 16 + 4, i + 1, true);
      view.setFloat64(s.records + i * 16 + 8, x, true);
    });
    s.kernels.prepareRecords(s.records, 4, 100, 0.75);
    [0.5, 10, 99, 250].forEach((x, i) => {
      expect(view.getUint32(s.records + i * 16 + 4, true)).toBe(i + 1);
      expect(view.getFloat32(s.records + i * 16 + 8, true)).toBeCloseTo(Math.log(x), 6);
      expect(view.getFloat32(s.records + i * 16 + 12, true)).toBeCloseTo(Math.min(1, Math.pow(x / 100, 0.75)), 6);
    });
  });
});
