import { describe, expect, it } from 'vitest';
import { controlViews, workerLoss } from '../../src/word2vec/layout.js';
import { referenceChunk } from '../reference/word2vec-reference.js';
import { setup } from './fixture.js';

describe('word2vec SIMD kernel', () => {
  const variants = [
    ['skipgram', 'classic', false, 4], ['skipgram', 'batched', false, 4], ['cbow', 'classic', false, 4],
    // Hierarchical softmax alone and with negative sampling; with hs the batched update falls back to classic.
    ['skipgram', 'classic', true, 0], ['skipgram', 'classic', true, 4], ['skipgram', 'batched', true, 4], ['cbow', 'classic', true, 0], ['cbow', 'classic', true, 4],
    // fastText subwords: per-pair (classic) and one mean per window (batched) skip-gram, CBOW, and with hierarchical softmax.
    ['skipgram', 'classic', false, 4, true], ['skipgram', 'batched', false, 4, true], ['cbow', 'classic', false, 4, true],
    ['skipgram', 'batched', true, 0, true], ['cbow', 'classic', true, 4, true],
  ] as const;
  for (const [mode, update, hs, negative, subwords = false] of variants) {
    for (const dim of [16, 10]) {
      it(`${mode} (${update} update${hs ? ', hierarchical softmax' : ''}, negative ${negative}${subwords ? ', subwords' : ''}), dim ${dim}: same matrices as the scalar reference`, async () => {
        const s = await setup(mode, dim, true, update, hs, negative, subwords);
        const state = { random: 12345n, alpha: Math.fround(s.alpha), wordsDone: 0, loss: { sum: 0, predictions: 0 } };
        const before = s.input.slice();
        // Two calls: the second continues from the random state and learning rate the first stored.
        const half = 15_000;
        expect(s.kernels.trainWord2VecChunk(s.plan.config.offset, s.plan.workers[0].block.offset, s.plan.stream!.offset, half)).toBe(half);
        const rest = s.ids.length - half;
        expect(s.kernels.trainWord2VecChunk(s.plan.config.offset, s.plan.workers[0].block.offset, s.plan.stream!.offset + half * 4, rest)).toBe(rest);
        referenceChunk(s.reference, state, s.ids.subarray(0, half));
        referenceChunk(s.reference, state, s.ids.subarray(half));

        // Training moved the vectors, the padding lanes stayed zero, and both agree.
        let moved = 0;
        for (let i = 0; i < before.length; i++) moved = Math.max(moved, Math.abs(before[i] - s.input[i]));
        expect(moved).toBeGreaterThan(1e-3);
        for (let r = 0; r < s.plan.inputRows; r++) {
          for (let c = dim; c < s.plan.stride; c++) expect(s.input[r * s.plan.stride + c]).toBe(0);
        }
        if (subwords) {
          // The n-gram bucket rows were trained too.
          let bucketsMoved = 0;
          for (let i = s.reference.vocabSize * s.plan.stride; i < before.length; i++) bucketsMoved = Math.max(bucketsMoved, Math.abs(before[i] - s.input[i]));
          expect(bucketsMoved).toBeGreaterThan(1e-3);
        }
        let maxDiff = 0;
        for (let i = 0; i < s.input.length; i++) maxDiff = Math.max(maxDiff, Math.abs(s.input[i] - s.reference.input[i]));
        for (let i = 0; i < s.output.length; i++) maxDiff = Math.max(maxDiff, Math.abs(s.output[i] - s.reference.output[i]));
        for (let i = 0; i < s.hsOutput.length; i++) maxDiff = Math.max(maxDiff, Math.abs(s.hsOutput[i] - s.reference.hs!.output[i]));
        expect(maxDiff).toBeLessThan(1e-6);
        if (hs) {
          // The hierarchical-softmax vectors were trained too, and their padding lanes stayed zero.
          let hsMoved = 0;
          for (let i = 0; i < s.hsOutput.length; i++) hsMoved = Math.max(hsMoved, Math.abs(s.hsOutput[i] - Math.fround(Math.cos(Math.floor(i / s.plan.stride) * 17 + (i % s.plan.stride)) * 0.05) * (i % s.plan.stride < dim ? 1 : 0)));
          expect(hsMoved).toBeGreaterThan(1e-3);
          for (let r = 0; r < s.reference.vocabSize - 1; r++) for (let c = dim; c < s.plan.stride; c++) expect(s.hsOutput[r * s.plan.stride + c]).toBe(0);
        }
        expect(controlViews(s.memory, s.plan).wordsDone()).toBe(s.ids.length);
        // The loss tally: the same predictions, and the table's terms within 0.1 % of the exact sum.
        const tally = workerLoss(s.memory, s.plan, 0);
        expect(tally.predictions).toBe(state.loss.predictions);
        expect(tally.predictions).toBeGreaterThan(1000);
        expect(Math.abs(tally.loss - state.loss.sum) / state.loss.sum).toBeLessThan(1e-3);
      });
    }
  }

  it('with the loss off, the tally stays zero and training is the same', async () => {
    const on = await setup('skipgram', 16, true, 'classic', true, 4);
    const off = await setup('skipgram', 16, true, 'classic', true, 4, false, false);
    for (const s of [on, off]) expect(s.kernels.trainWord2VecChunk(s.plan.config.offset, s.plan.workers[0].block.offset, s.plan.stream!.offset, s.ids.length)).toBe(s.ids.length);
    expect(workerLoss(off.memory, off.plan, 0)).toEqual({ loss: 0, predictions: 0 });
    expect(workerLoss(on.memory, on.plan, 0).predictions).toBeGreaterThan(0);
    expect(Buffer.from(off.input.buffer, off.input.byteOffset, off.input.byteLength).equals(Buffer.from(on.input.buffer, on.input.byteOffset, on.input.byteLength))).toBe(true);
  });

  it('stops at the next sentence when the abort flag is set', async () => {
    const s = await setup('skipgram', 16, false);
    controlViews(s.memory, s.plan).abort();
    const before = s.input.slice();
    expect(s.kernels.trainWord2VecChunk(s.plan.config.offset, s.plan.workers[0].block.offset, s.plan.stream!.offset, s.ids.length)).toBe(-1);
    expect(s.input).toEqual(before);
  });

  it('initialises input vectors as word2vec.c: uniform in ±0.5/dim, padding zero', async () => {
    const s = await setup('skipgram', 10, false);
    for (let r = 0; r < 50; r++) {
      for (let c = 0; c < 10; c++) expect(Math.abs(s.input[r * 12 + c])).toBeLessThanOrEqual(0.05);
      expect(s.input[r * 12 + 10]).toBe(0);
    }
    // word2vec.c's LCG from seed 7: first value ((next & 0xFFFF) / 65536 − 0.5) / dim.
    const first = ((Number((7n * 25214903917n + 11n) & 0xffffn) / 65536) - 0.5) / 10;
    expect(s.reference.input[0]).toBeCloseTo(first, 7);
  });
});
