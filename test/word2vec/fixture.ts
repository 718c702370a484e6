// A small word2vec training setup shared by the kernel tests: a sample corpus encoded into a layout
// with every table written, non-zero output rows, and the scalar reference model of the same state.
import { instantiateKernels } from '../../src/runtime/kernels.js';
import {
  planWord2VecLayout, sigmoidTable, writeLossTable, writeWord2VecConfig, writeWorkerBlock, writeHuffmanTree, writeSubwordTable, controlViews, MAX_SENTENCE_LENGTH,
} from '../../src/word2vec/layout.js';
import { subwordRowTable } from '../../src/corpus/subwords.js';
import { buildHuffmanTree } from '../../src/word2vec/huffman.js';
import { referenceChunk, type ReferenceModel } from '../reference/word2vec-reference.js';
import { encodeText, sampleText } from '../helpers.js';

export async function setup(
  mode: 'skipgram' | 'cbow', dim: number, subsample: boolean, update: 'classic' | 'batched' = 'classic', hs = false, negative = 4, subwords = false,
  loss = true,
) {
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
  writeLossTable(memory, plan);
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
  writeWord2VecConfig(memory, plan, { mode, dim, window: 4, negative, vocabSize: vocabulary.size, alpha, subsample, wordsTotal, update, hs, subwords, loss });
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
