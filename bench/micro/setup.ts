// One shared memory holding everything the micro-benchmarks touch: a word2vec model on a synthetic
// Zipf vocabulary (the product's layout and config blocks), a unit-normalised matrix for similarity
// scoring, and long vectors for dot/axpy. Every variant (TypeScript, WebAssembly scalar, SIMD) reads
// and writes the same regions.
import { instantiateKernels, type KernelExports } from '../../src/runtime/kernels.js';
import type { Region } from '../../src/runtime/memory-layout.js';
import { END_OF_LINE } from '../../src/corpus/tokenizer.js';
import { Vocabulary } from '../../src/corpus/vocabulary.js';
import { CONFIG, planWord2VecLayout, sigmoidTable, writeWord2VecConfig, writeWorkerBlock, type Word2VecLayout } from '../../src/word2vec/layout.js';
import { mulberry32 } from '../lib/random.js';

export interface MicroSettings {
  /** Vocabulary size of the synthetic model (text8_head has 22.5 k words with count ≥ 5, text8 71 k). */
  vocabSize: number;
  dim: number;
  window: number;
  negative: number;
  /** Ids in the synthetic corpus the training benchmarks cycle through. */
  corpusIds: number;
  /** Ids per training call (one benchmark operation). */
  wordsPerOp: number;
  /** Rows of the similarity matrix. */
  similarityRows: number;
  /** Queries of the batched similarity benchmark. */
  batchQueries: number;
  topK: number;
  /** Length of the long vectors of the dot/axpy benchmarks (the short ones have `dim` floats). */
  longVector: number;
  /** Short dot/axpy calls per benchmark operation. */
  shortCallsPerOp: number;
  zipfExponent: number;
}

export const DEFAULT_SETTINGS: MicroSettings = {
  vocabSize: 30_000,
  dim: 100,
  window: 5,
  negative: 5,
  corpusIds: 1 << 20,
  wordsPerOp: 10_000,
  similarityRows: 30_000,
  batchQueries: 32,
  topK: 10,
  longVector: 1 << 16,
  shortCallsPerOp: 1000,
  zipfExponent: 1,
};

/** Variants of every kernel: one TypeScript worker block and one per WebAssembly build. */
export const VARIANTS = ['js', 'wasm-scalar', 'wasm-simd'] as const;
export type Variant = (typeof VARIANTS)[number];

export interface MicroSetup {
  settings: MicroSettings;
  memory: WebAssembly.Memory;
  kernels: KernelExports;
  plan: Word2VecLayout;
  stride: number;
  /** Config blocks for skip-gram and CBOW (same model, same tables). */
  /** Config blocks for skip-gram (word2vec.c's per-pair update and the batched one) and CBOW: same model, same tables. */
  configs: { skipgram: Region; skipgramBatched: Region; cbow: Region };
  /** Worker block per variant, so each keeps its own random state and learning rate. */
  workerFor: Record<Variant | 'wasm-simd-batched', number>;
  corpus: Region;
  similarity: { matrix: Region; query: Region; queries: Region; scores: Region; outIdx: Region; outScores: Region; exclude: Region };
  vectors: { x: Region; y: Region };
}

export function createMicroSetup(settings: MicroSettings = DEFAULT_SETTINGS): MicroSetup {
  const s = settings;
  const random = mulberry32(12345);

  // Synthetic corpus: ids 1..V-1 drawn from a Zipf law (id 0 is </s>, which ends sentences; the
  // corpus has none, like text8, so sentences are cut at MAX_SENTENCE_LENGTH as in word2vec.c).
  const cdf = new Float64Array(s.vocabSize);
  let total = 0;
  for (let r = 1; r < s.vocabSize; r++) cdf[r] = total += 1 / Math.pow(r, s.zipfExponent);
  const ids = new Int32Array(s.corpusIds);
  const counts = new Float64Array(s.vocabSize);
  for (let i = 0; i < s.corpusIds; i++) {
    const u = random() * total;
    let lo = 1;
    let hi = s.vocabSize - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cdf[mid] < u) lo = mid + 1;
      else hi = mid;
    }
    ids[i] = lo;
    counts[lo]++;
  }
  for (let r = 1; r < s.vocabSize; r++) counts[r] = Math.max(counts[r], 1);
  const words = Array.from({ length: s.vocabSize }, (_, i) => (i === 0 ? END_OF_LINE : `w${i}`));
  const vocabulary = new Vocabulary(words, counts);

  // One worker block per variant, and one more for the batched skip-gram update.
  const plan = planWord2VecLayout(s.vocabSize, s.dim, VARIANTS.length + 1, s.corpusIds, s.window, s.negative);
  const stride = plan.stride;
  const layout = plan.layout;
  const cbowConfig = layout.reserve('cbow config', CONFIG.bytes);
  const batchedConfig = layout.reserve('batched skip-gram config', CONFIG.bytes);
  const similarity = {
    matrix: layout.reserve('similarity matrix', s.similarityRows * stride * 4),
    query: layout.reserve('query', stride * 4),
    queries: layout.reserve('queries', s.batchQueries * stride * 4),
    scores: layout.reserve('scores', s.similarityRows * 4),
    outIdx: layout.reserve('top-k indices', s.batchQueries * s.topK * 4),
    outScores: layout.reserve('top-k scores', s.batchQueries * s.topK * 4),
    exclude: layout.reserve('exclusions', s.batchQueries * 4),
  };
  const vectors = { x: layout.reserve('x', s.longVector * 4), y: layout.reserve('y', s.longVector * 4) };
  const memory = layout.createMemory();
  const kernels = instantiateKernels(memory);

  new Int32Array(memory.buffer, plan.stream!.offset, s.corpusIds).set(ids);
  const { threshold, alias } = vocabulary.noiseDistribution();
  new Uint32Array(memory.buffer, plan.noiseThreshold.offset, s.vocabSize).set(threshold);
  new Int32Array(memory.buffer, plan.noiseAlias.offset, s.vocabSize).set(alias);
  new Float32Array(memory.buffer, plan.keep.offset, s.vocabSize).set(vocabulary.keepProbabilities(1e-4));
  new Float32Array(memory.buffer, plan.sigmoid.offset, 1000).set(sigmoidTable());
  kernels.initWord2VecMatrix(plan.input.offset, s.vocabSize, s.dim, stride, 1n, 1);
  // Output vectors start at zero in training; give them the same small random values as the input
  // ones so that the benchmarks see the mixed gradients of a model in the middle of training.
  kernels.initWord2VecMatrix(plan.output.offset, s.vocabSize, s.dim, stride, 2n, 1);

  const base = {
    dim: s.dim, window: s.window, negative: s.negative, vocabSize: s.vocabSize, subsample: false,
    // So many words that the learning rate stays at its start value however long the benchmark runs.
    wordsTotal: 1e15,
  };
  writeWord2VecConfig(memory, plan, { ...base, mode: 'skipgram', alpha: 0.025, update: 'classic' });
  writeWord2VecConfig(memory, { ...plan, config: cbowConfig }, { ...base, mode: 'cbow', alpha: 0.05, update: 'classic' });
  writeWord2VecConfig(memory, { ...plan, config: batchedConfig }, { ...base, mode: 'skipgram', alpha: 0.025, update: 'batched' });
  plan.workers.forEach((_, t) => writeWorkerBlock(memory, plan, t, BigInt(t + 1), 0.025));

  // Similarity: unit rows with zero padding, like KeyedVectors' normalised matrix.
  const f32 = new Float32Array(memory.buffer);
  const fillUnitRows = (region: Region, rows: number) => {
    for (let r = 0; r < rows; r++) {
      const at = region.offset / 4 + r * stride;
      let norm = 0;
      for (let c = 0; c < s.dim; c++) {
        const x = random() - 0.5;
        f32[at + c] = x;
        norm += x * x;
      }
      const inv = 1 / Math.sqrt(norm);
      for (let c = 0; c < s.dim; c++) f32[at + c] *= inv;
    }
  };
  fillUnitRows(similarity.matrix, s.similarityRows);
  fillUnitRows(similarity.query, 1);
  fillUnitRows(similarity.queries, s.batchQueries);
  new Int32Array(memory.buffer, similarity.exclude.offset, s.batchQueries).fill(-1);
  for (let i = 0; i < s.longVector; i++) {
    f32[vectors.x.offset / 4 + i] = random() - 0.5;
    f32[vectors.y.offset / 4 + i] = random() - 0.5;
  }

  return {
    settings: s,
    memory,
    kernels,
    plan,
    stride,
    configs: { skipgram: plan.config, skipgramBatched: batchedConfig, cbow: cbowConfig },
    workerFor: {
      js: plan.workers[0].block.offset,
      'wasm-scalar': plan.workers[1].block.offset, 'wasm-simd': plan.workers[2].block.offset,
      'wasm-simd-batched': plan.workers[3].block.offset,
    },
    corpus: plan.stream!,
    similarity,
    vectors,
  };
}
