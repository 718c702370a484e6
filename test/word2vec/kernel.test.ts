import { describe, expect, it } from 'vitest';
import { instantiateKernels } from '../../src/runtime/kernels.js';
import {
  planWord2VecLayout, sigmoidTable, writeWord2VecConfig, writeWorkerBlock, writeHuffmanTree, writeSubwordTable, controlViews, MAX_SENTENCE_LENGTH,
} from '../../src/word2vec/layout.js';
import { subwordRowTable } from '../../src/corpus/subwords.js';
import { buildHuffmanTree } from '../../src/word2vec/huffman.js';
import { referenceChunk, type ReferenceModel } from '../reference/word2vec-reference.js';
import { encodeText, sampleText } from '../helpers.js';

async function setup(mode: 'skipgram' | 'cbow', dim: number, subsample: boolean, update: 'classic' | 'batched' = 'classic', hs = false, negative = 4, subwords = false) {
  const { vocabulary, ids } = await encodeText(sampleText(30_000), 3);
  const tree = hs ? buildHuffmanTree(vocabulary.counts) : undefined;
  // Few buckets, so that n-grams of different words share rows as they do at scale.
  const table = subwords ? subwordRowTable(vocabulary.words, { minn: 3, maxn: 5, buckets: 500 }) : undefined;
  const plan = planWord2VecLayout(vocabulary.size, dim, 1, ids.length, 4, negative, tree?.codes.length ?? 0, table && { buckets: 500, tableEntries: table.rows.length });
  const memory = plan.layout.createMemory();
  const kernels = instantiateKernels(memory);
  const { threshold, alias } = vocabulary.noiseDistribution();
  const keep = vocabulary.keepProbabilities(1e-3);
  const sigmoid = sigmoidTable();
  new Uint32Array(memory.buffer, plan.noiseThreshold.offset, vocabulary.size).set(threshold);
  new Int32Array(memory.buffer, plan.noiseAlias.offset, vocabulary.size).set(alias);
  new Float32Array(memory.buffer, plan.keep.offset, vocabulary.size).set(keep);
  new Float32Array(memory.buffer, plan.sigmoid.offset, 1000).set(sigmoid);
  new Int32Array(memory.buffer, plan.stream!.offset, ids.length).set(ids);
  kernels.initWord2VecMatrix(plan.input.offset, plan.inputRows, dim, plan.stride, 7n, subwords ? 2 : 1);
  if (table) writeSubwordTable(memory, plan, table);
  // Non-zero output vectors, so the first updates already exercise every term.
  const output = new Float32Array(memory.buffer, plan.output.offset, negative > 0 ? vocabulary.size * plan.stride : 0);
  for (let r = 0; r < output.length / plan.stride; r++) for (let c = 0; c < dim; c++) output[r * plan.stride + c] = Math.fround(Math.sin(r * 31 + c) * 0.05);
  const hsOutput = new Float32Array(memory.buffer, plan.hsOutput.offset, tree ? (vocabulary.size - 1) * plan.stride : 0);
  for (let r = 0; r < hsOutput.length / plan.stride; r++) for (let c = 0; c < dim; c++) hsOutput[r * plan.stride + c] = Math.fround(Math.cos(r * 17 + c) * 0.05);
  if (tree) writeHuffmanTree(memory, plan, tree);
  const alpha = mode === 'cbow' ? 0.05 : 0.025;
  const wordsTotal = ids.length * 2;
  writeWord2VecConfig(memory, plan, { mode, dim, window: 4, negative, vocabSize: vocabulary.size, alpha, subsample, wordsTotal, update, hs, subwords });
  writeWorkerBlock(memory, plan, 0, 12345n, alpha);
  const input = new Float32Array(memory.buffer, plan.input.offset, plan.inputRows * plan.stride);
  const reference: ReferenceModel = {
    mode, dim: plan.stride, window: 4, negative, vocabSize: vocabulary.size, startAlpha: Math.fround(alpha), wordsTotal, subsample,
    input: input.slice(), output: output.slice(), threshold, alias, keep, sigmoid, maxSentence: MAX_SENTENCE_LENGTH, update,
    hs: tree ? { ...tree, output: hsOutput.slice() } : undefined,
    subwords: table,
  };
  return { plan, memory, kernels, ids, input, output, hsOutput, reference, alpha };
}

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
        const state = { random: 12345n, alpha: Math.fround(s.alpha), wordsDone: 0 };
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
      });
    }
  }

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
