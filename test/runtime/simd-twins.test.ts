// Every SIMD primitive has a plain twin beside it (the `if (ASC_FEATURE_SIMD)` branches of
// assembly/vecmath.ts, glove.ts and similarity.ts). The scalar build of the same source
// (bench/assembly/scalar.ts, compiled with SIMD disabled) runs the plain twins: here both builds run
// the same kernels on copies of the same memory and must agree up to float summation order.
import { beforeAll, describe, expect, it } from 'vitest';
import { ensureScalarWasm, instantiateScalarKernels, type ScalarKernels } from '../../bench/micro/scalar-wasm.js';
import { instantiateKernels, type KernelExports } from '../../src/runtime/kernels.js';
import { setup } from '../word2vec/fixture.js';
import { matrices, setup as gloveSetup, writeRecord } from '../glove/fixture.js';
import { readLossTally } from '../../src/word2vec/layout.js';

/** A second memory with the same bytes, and the scalar kernels on it. */
function twin(memory: WebAssembly.Memory): { memory: WebAssembly.Memory; scalar: ScalarKernels } {
  const pages = memory.buffer.byteLength / 65_536;
  const copy = new WebAssembly.Memory({ initial: pages, maximum: pages, shared: true });
  new Uint8Array(copy.buffer).set(new Uint8Array(memory.buffer));
  return { memory: copy, scalar: instantiateScalarKernels(copy) };
}

function maxDifference(a: Float32Array, b: Float32Array): number {
  let max = 0;
  for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs(a[i] - b[i]));
  return max;
}

describe('SIMD kernels against their plain twins (scalar build of the same source)', () => {
  beforeAll(() => {
    ensureScalarWasm();
  }, 120_000);

  it('dot, axpy and similarity scoring', () => {
    const memory = new WebAssembly.Memory({ initial: 4, maximum: 4, shared: true });
    const simd: KernelExports = instantiateKernels(memory);
    const x = 65_536, y = x + 4096, scores = y + 4096;
    const f = new Float32Array(memory.buffer);
    for (let i = 0; i < 1024; i++) f[x / 4 + i] = Math.sin(i * 0.37), f[y / 4 + i] = Math.cos(i * 0.11);
    const { memory: copy, scalar } = twin(memory);
    for (const n of [4, 12, 100, 1024]) expect(scalar.dotScalar(x, y, n)).toBeCloseTo(simd.dot(x, y, n), 4);
    simd.axpy(0.5, x, y, 1024);
    scalar.axpyScalar(0.5, x, y, 1024);
    expect(maxDifference(new Float32Array(memory.buffer, y, 1024), new Float32Array(copy.buffer, y, 1024))).toBe(0);
    // 40 rows of 24 floats against the query at y.
    simd.scoreRows(x, 40, 24, y, scores);
    scalar.scoreRowsScalar(x, 40, 24, y, scores);
    const a = new Float32Array(memory.buffer, scores, 40);
    expect(Math.max(...a.map(Math.abs))).toBeGreaterThan(0.1);
    expect(maxDifference(a, new Float32Array(copy.buffer, scores, 40))).toBeLessThan(1e-5);
  });

  for (const [mode, update] of [['skipgram', 'batched'], ['skipgram', 'classic'], ['cbow', 'classic']] as const) {
    it(`word2vec ${mode} (${update}): the same training chunk gives the same vectors`, async () => {
      const s = await setup(mode, 20, true, update);
      const { memory: copy, scalar } = twin(s.memory);
      const before = s.input.slice();
      const count = 20_000;
      expect(s.kernels.trainWord2VecChunk(s.plan.config.offset, s.plan.workers[0].block.offset, s.plan.stream!.offset, count)).toBe(count);
      expect(scalar.trainWord2VecChunkScalar(s.plan.config.offset, s.plan.workers[0].block.offset, s.plan.stream!.offset, count)).toBe(count);
      const simdInput = s.input;
      const scalarInput = new Float32Array(copy.buffer, s.plan.input.offset, simdInput.length);
      expect(maxDifference(before, simdInput)).toBeGreaterThan(1e-3);
      expect(maxDifference(simdInput, scalarInput)).toBeLessThan(1e-4);
      // The loss tally (assembly/losses.ts) from both builds: the same predictions, the same sum up to rounding.
      const simdLoss = readLossTally(s.memory, s.plan.workers[0].block.offset);
      const scalarLoss = readLossTally(copy, s.plan.workers[0].block.offset);
      expect(simdLoss.predictions).toBeGreaterThan(1000);
      expect(scalarLoss.predictions).toBe(simdLoss.predictions);
      expect(Math.abs(scalarLoss.loss - simdLoss.loss) / simdLoss.loss).toBeLessThan(1e-4);
    });
  }

  for (const dim of [100, 7]) {
    it(`GloVe (dim ${dim}): the same records give the same parameters, AdaGrad sums and cost`, () => {
      const vocab = 30;
      const n = 2000;
      const s = gloveSetup(vocab, dim, n);
      for (let i = 0; i < n; i++) writeRecord(s, i, (i * 7) % vocab, (i * 13 + 5) % vocab, 0.5 + ((i * 37) % 41));
      const before = matrices(s, vocab);
      const { memory: copy, scalar } = twin(s.memory);
      const simdCost = s.kernels.trainGloveChunk(s.config, s.records, n);
      const scalarCost = scalar.trainGloveChunkScalar(s.config, s.records, n);
      const after = matrices(s, vocab);
      const scalarAfter = matrices({ ...s, floats: new Float32Array(copy.buffer) }, vocab);
      expect(maxDifference(before.W, after.W)).toBeGreaterThan(1e-3);
      // Whole rows: vectors, AdaGrad sums and biases.
      expect(maxDifference(after.W, scalarAfter.W)).toBeLessThan(1e-5);
      expect(maxDifference(after.C, scalarAfter.C)).toBeLessThan(1e-5);
      expect(simdCost).toBeGreaterThan(0);
      expect(Math.abs(simdCost - scalarCost) / simdCost).toBeLessThan(1e-5);
    });
  }
});
