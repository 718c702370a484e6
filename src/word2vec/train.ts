import { totalmem } from 'node:os';
import { AbortError, Wasm2VecError } from '../errors.js';
import { countVocabulary } from '../corpus/count-vocabulary.js';
import { preparePhrases } from '../phrases/prepare.js';
import type { Vocabulary } from '../corpus/vocabulary.js';
import { seconds } from '../runtime/phases.js';
import { buildHuffmanTree, type HuffmanTree } from './huffman.js';
import { IdSpool, encodeToFile, encodeToMemory, type EncodedCorpus } from '../corpus/id-spool.js';
import { resolveWord2VecOptions, type ProgressEvent, type ResolvedWord2VecOptions, type Word2VecOptions } from './options.js';
import { kernelModule, instantiateKernels, type KernelExports } from '../runtime/kernels.js';
import { MAX_WASM_BYTES } from '../runtime/memory-layout.js';
import {
  CHUNK_IDS, controlViews, planWord2VecLayout, sigmoidTable, writeHuffmanTree, writeSubwordTable, writeWord2VecConfig, writeWorkerBlock,
  type Word2VecLayout,
} from './layout.js';
import { subwordRowTable, type SubwordOptions } from '../corpus/subwords.js';
import { SubwordVectors } from '../model/subword-vectors.js';
import { runOnWorkers } from '../runtime/worker-pool.js';
import type { ShardResult, Word2VecShardTask } from './shard.js';
import { KeyedVectors } from '../model/index.js';

export interface TrainingReport {
  model: 'skipgram' | 'cbow';
  /** With subwords: n-gram lengths and buckets, and the n-grams of all vocabulary words together. */
  subwords?: { minn: number; maxn: number; buckets: number; ngrams: number };
  vocabSize: number;
  /** Tokens in the corpus, and the vocabulary words among them (ids trained per epoch). */
  corpusTokens: number;
  trainWords: number;
  epochs: number;
  threads: number;
  tokenStore: 'memory' | 'file';
  /** Wall-clock seconds per phase. */
  seconds: { vocabulary: number; encode: number; train: number; total: number };
  /** epochs × trainWords / training seconds. */
  wordsPerSecond: number;
  wordsPerSecondPerThread: number;
  memoryBytes: number;
}

/** What `train()` returns: the vectors (KeyedVectors, or SubwordVectors for subword models) and a report. */
export type TrainedModel<Vectors extends KeyedVectors = KeyedVectors> = Vectors & { report: TrainingReport };
/** What `train()` returns for a subword model (a fasttext model, or `subwords` set): vectors for unseen words too. */
export type TrainedSubwordModel = TrainedModel<SubwordVectors>;

/** Options that train a subword model: a fasttext model (subwords not turned off), or subwords given. */
export type SubwordTrainingOptions = Word2VecOptions &
  ({ model: 'fasttext-skipgram' | 'fasttext-cbow'; subwords?: SubwordOptions | true } | { subwords: SubwordOptions | true });
/** Options that train plain word vectors: a word2vec.c model without subwords. */
export type WordTrainingOptions = Word2VecOptions & { model?: 'skipgram' | 'cbow'; subwords?: false };

/**
 * Trains word2vec vectors (skip-gram or CBOW, negative sampling and/or hierarchical softmax) on all
 * cores. Subword models (the fasttext models, or `subwords` set) resolve to SubwordVectors, the
 * others to KeyedVectors; with options known only at run time, test `model instanceof SubwordVectors`.
 */
export function train(options: SubwordTrainingOptions): Promise<TrainedSubwordModel>;
export function train(options: WordTrainingOptions): Promise<TrainedModel>;
export function train(options: Word2VecOptions): Promise<TrainedModel | TrainedSubwordModel>;
export async function train(options: Word2VecOptions): Promise<TrainedModel> {
  const o = resolveWord2VecOptions(options);
  const started = performance.now();
  const signal = o.signal;
  if (signal?.aborted) throw new AbortError();

  const spool = new IdSpool(o.tokenStore === 'file' ? 0 : totalmem() / 4);
  let encoded: EncodedCorpus | undefined;
  try {
    const { vocabulary, remap, corpusTokens } = await countVocabulary(o.input, spool, {
      ...o,
      phrases: await preparePhrases(o.phrases, o.input, o),
      onProgress: o.onProgress && ((words, done, elapsedSeconds) => report(o, { phase: 'vocabulary', fraction: done ? 1 : 0, words, elapsedSeconds })),
    });
    const vocabularySeconds = seconds(started);

    const encodeStarted = performance.now();
    const tree = o.hs ? buildHuffmanTree(vocabulary.counts) : undefined;
    const hsPathNodes = tree?.codes.length ?? 0;
    const subwordTable = o.subwords ? subwordRowTable(vocabulary.words, o.subwords) : undefined;
    const subwordPlan = subwordTable && { buckets: o.subwords!.buckets, tableEntries: subwordTable.rows.length };
    const inMemory = chooseTokenStore(o, vocabulary, hsPathNodes, subwordPlan);
    const plan = planWord2VecLayout(vocabulary.size, o.dim, o.threads, inMemory ? vocabulary.trainWords : undefined, o.window, o.negative, hsPathNodes, subwordPlan);
    plan.layout.assertFits(`the vocabulary (minCount, maxVocabSize) or dim (${o.dim})${o.subwords ? ` or subwords.buckets (${o.subwords.buckets})` : ''}`);
    const memory = plan.layout.createMemory();
    if (inMemory) {
      const target = new Int32Array(memory.buffer, plan.stream!.offset, vocabulary.trainWords);
      encoded = { kind: 'memory', length: encodeToMemory(spool, remap, target), offset: plan.stream!.offset };
    } else {
      encoded = encodeToFile(spool, remap);
    }
    spool.dispose();
    if (encoded.length !== vocabulary.trainWords) throw new Error(`encoded ${encoded.length} ids, expected ${vocabulary.trainWords}`);
    report(o, { phase: 'encode', fraction: 1, words: encoded.length, elapsedSeconds: seconds(encodeStarted) });
    const encodeSeconds = seconds(encodeStarted);

    const trainStarted = performance.now();
    if (subwordTable) writeSubwordTable(memory, plan, subwordTable);
    prepareMemory(memory, plan, vocabulary, o, tree);
    await runTraining(memory, plan, encoded, vocabulary, o);
    const trainSeconds = seconds(trainStarted);

    const totalWords = o.epochs * vocabulary.trainWords;
    const model = (o.subwords ? subwordModel(memory, plan, vocabulary, o, corpusTokens) : wordModel(memory, plan, vocabulary, o)) as TrainedModel;
    model.report = {
      model: o.model,
      subwords: o.subwords && { ...o.subwords, ngrams: subwordTable!.rows.length - vocabulary.size },
      vocabSize: vocabulary.size,
      corpusTokens,
      trainWords: vocabulary.trainWords,
      epochs: o.epochs,
      threads: o.threads,
      tokenStore: encoded.kind,
      seconds: { vocabulary: vocabularySeconds, encode: encodeSeconds, train: trainSeconds, total: seconds(started) },
      wordsPerSecond: totalWords / trainSeconds,
      wordsPerSecondPerThread: totalWords / trainSeconds / o.threads,
      memoryBytes: plan.layout.totalBytes,
    };
    return model;
  } finally {
    spool.dispose();
    if (encoded?.kind === 'file') encoded.dispose();
  }
}

function wordModel(memory: WebAssembly.Memory, plan: Word2VecLayout, vocabulary: Vocabulary, o: ResolvedWord2VecOptions): KeyedVectors {
  const vectors = new Float32Array(vocabulary.size * o.dim);
  const input = new Float32Array(memory.buffer, plan.input.offset, vocabulary.size * plan.stride);
  for (let row = 0; row < vocabulary.size; row++) {
    vectors.set(input.subarray(row * plan.stride, row * plan.stride + o.dim), row * o.dim);
  }
  return new KeyedVectors(vocabulary.words, o.dim, vectors, Array.from(vocabulary.counts));
}

/**
 * The n-gram matrix is hundreds of MiB, so the model keeps views of the shared memory (it stays
 * alive as long as the model) rather than copies.
 */
function subwordModel(
  memory: WebAssembly.Memory, plan: Word2VecLayout, vocabulary: Vocabulary, o: ResolvedWord2VecOptions, corpusTokens: number,
): SubwordVectors {
  const hsOnly = o.negative === 0;
  const outputRegion = hsOnly ? plan.hsOutput : plan.output;
  const outputRows = hsOnly ? vocabulary.size - 1 : vocabulary.size;
  return new SubwordVectors({
    words: vocabulary.words,
    dim: o.dim,
    input: new Float32Array(memory.buffer, plan.input.offset, plan.inputRows * plan.stride),
    stride: plan.stride,
    subwords: o.subwords!,
    counts: Array.from(vocabulary.counts),
    output: new Float32Array(memory.buffer, outputRegion.offset, outputRows * plan.stride),
    outputRows,
    info: {
      model: o.model,
      loss: hsOnly ? 'hs' : 'ns',
      window: o.window,
      epochs: o.epochs,
      minCount: o.minCount,
      negative: o.negative,
      sample: o.sample,
      lrUpdateRate: 100,
      wordNgrams: 1,
      corpusTokens,
    },
  });
}

/** The encoded corpus stays in the shared memory unless it would not fit there or in a quarter of RAM. */
function chooseTokenStore(
  o: ResolvedWord2VecOptions, vocabulary: Vocabulary, hsPathNodes: number, subwords?: { buckets: number; tableEntries: number },
): boolean {
  if (o.tokenStore === 'file') return false;
  const streamBytes = vocabulary.trainWords * 4;
  const withoutStream = planWord2VecLayout(vocabulary.size, o.dim, o.threads, undefined, o.window, o.negative, hsPathNodes, subwords).layout.totalBytes;
  const fits = withoutStream + streamBytes <= MAX_WASM_BYTES;
  if (o.tokenStore === 'memory') {
    if (!fits) throw new Wasm2VecError(`tokenStore "memory": the encoded corpus (${streamBytes} bytes) does not fit in wasm32's 4 GiB beside the model; use "auto" or "file"`);
    return true;
  }
  return fits && streamBytes <= totalmem() / 4;
}

function prepareMemory(memory: WebAssembly.Memory, plan: Word2VecLayout, vocabulary: Vocabulary, o: ResolvedWord2VecOptions, tree?: HuffmanTree): void {
  const { threshold, alias } = vocabulary.noiseDistribution(o.noisePower);
  new Uint32Array(memory.buffer, plan.noiseThreshold.offset, vocabulary.size).set(threshold);
  new Int32Array(memory.buffer, plan.noiseAlias.offset, vocabulary.size).set(alias);
  new Float32Array(memory.buffer, plan.keep.offset, vocabulary.size).set(vocabulary.keepProbabilities(o.sample || 1));
  new Float32Array(memory.buffer, plan.sigmoid.offset, 1000).set(sigmoidTable());
  if (tree) writeHuffmanTree(memory, plan, tree);
  // Output vectors (syn1neg, syn1) start at zero (fresh memory is zeroed); input vectors as word2vec.c.
  initInputMatrix(instantiateKernels(memory), plan, o);
  writeWord2VecConfig(memory, plan, {
    mode: o.model,
    dim: o.dim,
    window: o.window,
    negative: o.negative,
    vocabSize: vocabulary.size,
    alpha: o.alpha,
    subsample: o.sample > 0,
    wordsTotal: o.epochs * vocabulary.trainWords,
    update: o.update,
    hs: o.hs,
    subwords: o.subwords !== undefined,
  });
  for (let t = 0; t < o.threads; t++) writeWorkerBlock(memory, plan, t, BigInt(o.seed) + BigInt(t), o.alpha);
}

/** Rows per initialisation call (see initInputMatrix). */
const INIT_BLOCK_ROWS = 4096;

/**
 * Fills the input matrix in blocks of rows, continuing one random sequence (V8 runs a WASM
 * function's first call in its baseline tier and cannot switch a running call to optimised code).
 * With subwords only the rows the vocabulary uses are filled, words and their n-gram buckets in the
 * subword table's order: a bucket no vocabulary word hashes to is never trained, so it stays zero
 * (an unseen word's untrained n-grams add nothing rather than noise) and its pages are never
 * touched, which saves seconds of page faults and most of the 800 MB of fastText's default buckets.
 */
function initInputMatrix(kernels: KernelExports, plan: Word2VecLayout, o: ResolvedWord2VecOptions): void {
  let random = BigInt(o.seed);
  if (o.subwords) {
    const entries = plan.subwordRows.bytes / 4;
    for (let i = 0; i < entries; i += INIT_BLOCK_ROWS) {
      const count = Math.min(INIT_BLOCK_ROWS, entries - i);
      random = kernels.initWord2VecRows(plan.input.offset, plan.subwordRows.offset + i * 4, count, o.dim, plan.stride, random, o.initWidth);
    }
    return;
  }
  for (let row = 0; row < plan.inputRows; row += INIT_BLOCK_ROWS) {
    const rows = Math.min(INIT_BLOCK_ROWS, plan.inputRows - row);
    random = kernels.initWord2VecMatrix(plan.input.offset + row * plan.stride * 4, rows, o.dim, plan.stride, random, o.initWidth);
  }
}

async function runTraining(memory: WebAssembly.Memory, plan: Word2VecLayout, encoded: EncodedCorpus, vocabulary: Vocabulary, o: ResolvedWord2VecOptions) {
  const module = kernelModule();
  const control = controlViews(memory, plan);
  const totalWords = o.epochs * vocabulary.trainWords;
  const tasks: Word2VecShardTask[] = plan.workers.map((w, t) => ({
    kind: 'word2vec',
    module,
    memory,
    config: plan.config.offset,
    worker: w.block.offset,
    start: Math.floor((encoded.length * t) / o.threads),
    end: Math.floor((encoded.length * (t + 1)) / o.threads),
    epochs: o.epochs,
    chunkIds: CHUNK_IDS,
    stream: encoded.kind === 'memory' ? { kind: 'memory', offset: encoded.offset } : { kind: 'file', path: encoded.path, buffer: w.chunk!.offset },
  }));
  const started = performance.now();
  const progress = () => {
    const words = control.wordsDone();
    const elapsedSeconds = seconds(started);
    const fraction = Math.min(1, words / totalWords);
    report(o, {
      phase: 'train', fraction, words, elapsedSeconds,
      wordsPerSecond: elapsedSeconds > 0 ? words / elapsedSeconds : 0,
      alpha: Math.max(o.alpha * (1 - fraction), o.alpha * 1e-4),
      epoch: Math.min(o.epochs, Math.floor(fraction * o.epochs) + 1),
    });
  };
  const results = await runOnWorkers<Word2VecShardTask, ShardResult>(tasks, { signal: o.signal, stop: control.abort, onTick: o.onProgress && progress });
  const diverged = results.find((r) => r.diverged)?.diverged;
  if (diverged) throw divergenceError(diverged, vocabulary, o);
  progress();
}

/** Names the option most likely to blame for a diverged run (see src/word2vec/health.ts). */
function divergenceError(d: NonNullable<ShardResult['diverged']>, vocabulary: Vocabulary, o: ResolvedWord2VecOptions): Wasm2VecError {
  const defaultAlpha = o.model === 'cbow' || o.initWidth === 2 ? 0.05 : 0.025;
  const advice =
    o.alpha > defaultAlpha
      ? `lower alpha (now ${o.alpha}, default ${defaultAlpha})`
      : o.negative > 25 && o.update === 'batched'
        ? `lower negative (now ${o.negative}) or use update "classic" (--update classic), or lower alpha (now ${o.alpha})`
        : `lower alpha (now ${o.alpha})${o.negative > 25 ? ` or negative (now ${o.negative})` : ''}`;
  return new Wasm2VecError(
    `training diverged after ${(d.fraction * 100).toFixed(1)}% of a worker's share: the ${d.matrix} vector of "${vocabulary.words[d.word]}" ` +
      `holds ${d.value}; stopped early, nothing was written; ${advice}`,
  );
}

function report(o: ResolvedWord2VecOptions, event: ProgressEvent): void {
  o.onProgress?.(event);
}
