import * as abi from '../abi/word2vec.js';
import { MemoryLayout, paddedDim, raiseFlag, type Region } from '../runtime/memory-layout.js';
import { Rendezvous, rendezvousBytes } from '../runtime/rendezvous.js';
import type { HuffmanTree } from './huffman.js';

// Field offsets of the config and worker blocks, by name, from the kernel ABI (src/abi/word2vec.ts).
export const CONFIG = {
  mode: abi.C_MODE, dim: abi.C_DIM, window: abi.C_WINDOW, negative: abi.C_NEGATIVE, vocabSize: abi.C_VOCAB_SIZE,
  startAlpha: abi.C_START_ALPHA, minAlpha: abi.C_MIN_ALPHA, input: abi.C_INPUT, output: abi.C_OUTPUT,
  noiseThreshold: abi.C_NOISE_THRESHOLD, noiseAlias: abi.C_NOISE_ALIAS, keep: abi.C_KEEP, sigmoid: abi.C_SIGMOID,
  subsample: abi.C_SUBSAMPLE, abort: abi.C_ABORT, wordsDone: abi.C_WORDS_DONE, wordsTotal: abi.C_WORDS_TOTAL,
  maxSentence: abi.C_MAX_SENTENCE, update: abi.C_UPDATE, hs: abi.C_HS, hsOutput: abi.C_HS_OUTPUT, hsCodes: abi.C_HS_CODES,
  hsPoints: abi.C_HS_POINTS, hsPaths: abi.C_HS_PATHS, subwords: abi.C_SUBWORDS, subwordOffsets: abi.C_SUBWORD_OFFSETS,
  subwordRows: abi.C_SUBWORD_ROWS, loss: abi.C_LOSS, lossTable: abi.C_LOSS_TABLE,
  bytes: abi.CONFIG_BYTES,
} as const;
export const WORKER = {
  random: abi.W_RANDOM, alpha: abi.W_ALPHA, hidden: abi.W_HIDDEN, gradient: abi.W_GRADIENT, sentence: abi.W_SENTENCE,
  contexts: abi.W_CONTEXTS, targets: abi.W_TARGETS, scores: abi.W_SCORES, deltas: abi.W_DELTAS,
  loss: abi.W_LOSS, predictions: abi.W_PREDICTIONS, bytes: abi.WORKER_BYTES,
} as const;

/** word2vec.c's MAX_SENTENCE_LENGTH. */
export const MAX_SENTENCE_LENGTH = 1000;
/** word2vec.c's EXP_TABLE_SIZE and MAX_EXP. */
const SIGMOID_TABLE_SIZE = 1000;
const MAX_EXP = 6;
/** Ids per kernel call: big enough that the JS↔WASM call costs nothing, small enough to abort fast. */
export const CHUNK_IDS = 1 << 18;

export interface Word2VecLayout {
  layout: MemoryLayout;
  stride: number;
  config: Region;
  /** Where workers park at epoch ends and for checkpoints (src/runtime/rendezvous.ts); the kernel never reads it. */
  rendezvous: Region;
  sigmoid: Region;
  /** −log σ(±x) per bin (lossTable()), read only when the loss is tallied. */
  lossTable: Region;
  noiseThreshold: Region;
  noiseAlias: Region;
  keep: Region;
  /** Input vectors: one row per word, then (with subwords) one per n-gram bucket. */
  input: Region;
  inputRows: number;
  /** Negative sampling's output vectors (syn1neg); empty when negative is 0. */
  output: Region;
  /** Hierarchical softmax (empty without hs): syn1, one row per inner node, and the Huffman paths. */
  hsOutput: Region;
  hsCodes: Region;
  hsPoints: Region;
  /** i32 pairs per word: start of its path in hsCodes/hsPoints, and its length. */
  hsPaths: Region;
  /** Subwords (empty without): i32 offsets per word + 1, and the input rows each word sums over. */
  subwordOffsets: Region;
  subwordRows: Region;
  workers: {
    block: Region; hidden: Region; gradient: Region; sentence: Region;
    contexts: Region; targets: Region; scores: Region; deltas: Region; chunk?: Region;
  }[];
  stream?: Region;
}

/**
 * Places everything a word2vec run needs in one memory. With `streamIds` the encoded corpus gets
 * a region of its own; otherwise each worker gets a chunk buffer to read the corpus file into.
 * `hsPathNodes` is the total length of all Huffman paths (bounded by vocabSize × MAX_CODE_LENGTH);
 * 0 means no hierarchical softmax. `subwords` adds the n-gram bucket rows to the input matrix and
 * the table of rows per word (`tableEntries` = the words' own rows plus all their n-grams).
 */
export function planWord2VecLayout(
  vocabSize: number, dim: number, threads: number, streamIds?: number, window = 5, negative = 5, hsPathNodes = 0,
  subwords?: { buckets: number; tableEntries: number },
): Word2VecLayout {
  const layout = new MemoryLayout();
  const stride = paddedDim(dim);
  const matrixBytes = vocabSize * stride * 4;
  const inputRows = vocabSize + (subwords?.buckets ?? 0);
  const hs = hsPathNodes > 0;
  const plan: Word2VecLayout = {
    layout,
    stride,
    config: layout.reserve('config (word counter and abort flag atomic)', CONFIG.bytes, 'atomic'),
    rendezvous: layout.reserve('rendezvous (pause, epoch barrier, worker places)', rendezvousBytes(threads), 'atomic'),
    sigmoid: layout.reserve('sigmoid table', SIGMOID_TABLE_SIZE * 4 + 16),
    lossTable: layout.reserve('loss table', 2 * abi.LOSS_BINS * 4),
    noiseThreshold: layout.reserve('noise table', vocabSize * 4),
    noiseAlias: layout.reserve('noise alias', vocabSize * 4),
    keep: layout.reserve('subsampling table', vocabSize * 4),
    input: subwords
      ? layout.reserve(`input vectors (${vocabSize} words + ${subwords.buckets} n-gram buckets × ${stride} floats)`, inputRows * stride * 4, 'hogwild')
      : layout.reserve(`input vectors (${vocabSize} × ${stride} floats)`, matrixBytes, 'hogwild'),
    inputRows,
    output: layout.reserve(`output vectors (${negative > 0 ? vocabSize : 0} × ${stride} floats)`, negative > 0 ? matrixBytes : 0, 'hogwild'),
    hsOutput: layout.reserve(`hierarchical softmax vectors (${hs ? vocabSize - 1 : 0} × ${stride} floats)`, hs ? (vocabSize - 1) * stride * 4 : 0, 'hogwild'),
    hsCodes: layout.reserve('Huffman codes', hsPathNodes),
    hsPoints: layout.reserve('Huffman points', hsPathNodes * 4),
    hsPaths: layout.reserve('Huffman paths', hs ? vocabSize * 8 : 0),
    subwordOffsets: layout.reserve('subword offsets', subwords ? (vocabSize + 1) * 4 : 0),
    subwordRows: layout.reserve('subword rows', subwords ? subwords.tableEntries * 4 : 0),
    workers: [],
  };
  for (let t = 0; t < threads; t++) {
    plan.workers.push({
      block: layout.reserve(`worker ${t}`, WORKER.bytes, 'worker'),
      hidden: layout.reserve(`worker ${t} hidden`, stride * 4, 'worker'),
      gradient: layout.reserve(`worker ${t} gradient`, stride * 4, 'worker'),
      sentence: layout.reserve(`worker ${t} sentence`, MAX_SENTENCE_LENGTH * 4, 'worker'),
      contexts: layout.reserve(`worker ${t} batch contexts`, 2 * window * 4, 'worker'),
      targets: layout.reserve(`worker ${t} batch targets`, (negative + 1) * 4, 'worker'),
      scores: layout.reserve(`worker ${t} batch scores`, 2 * window * (negative + 1) * 4, 'worker'),
      deltas: layout.reserve(`worker ${t} batch updates`, 2 * window * stride * 4, 'worker'),
      chunk: streamIds === undefined ? layout.reserve(`worker ${t} corpus buffer`, CHUNK_IDS * 4, 'worker') : undefined,
    });
  }
  if (streamIds !== undefined) plan.stream = layout.reserve(`encoded corpus (${streamIds} ids)`, streamIds * 4);
  return plan;
}

/** word2vec.c's expTable: σ(x) for x in [−MAX_EXP, MAX_EXP) in SIGMOID_TABLE_SIZE steps. */
export function sigmoidTable(): Float32Array {
  const table = new Float32Array(SIGMOID_TABLE_SIZE);
  for (let i = 0; i < SIGMOID_TABLE_SIZE; i++) {
    const e = Math.exp(((i / SIGMOID_TABLE_SIZE) * 2 - 1) * MAX_EXP);
    table[i] = e / (e + 1);
  }
  return table;
}

/**
 * The loss table the kernel reads (assembly/losses.ts tallyTerm): −log σ(c) for the LOSS_BINS bin
 * centres c over [−LOSS_MAX_X, LOSS_MAX_X) (label 1), then −log σ(−c) (label 0).
 */
export function lossTable(): Float32Array {
  const table = new Float32Array(2 * abi.LOSS_BINS);
  const width = (2 * abi.LOSS_MAX_X) / abi.LOSS_BINS;
  for (let i = 0; i < abi.LOSS_BINS; i++) {
    const c = -abi.LOSS_MAX_X + (i + 0.5) * width;
    table[i] = softplus(-c);
    table[abi.LOSS_BINS + i] = softplus(c);
  }
  return table;
}

/** log(1 + e^x) = −log σ(−x), without overflow. */
export function softplus(x: number): number {
  return x > 0 ? x + Math.log1p(Math.exp(-x)) : Math.log1p(Math.exp(x));
}

export interface Word2VecConfig {
  mode: 'skipgram' | 'cbow';
  dim: number;
  window: number;
  negative: number;
  vocabSize: number;
  alpha: number;
  subsample: boolean;
  wordsTotal: number;
  update: 'classic' | 'batched';
  /** Hierarchical softmax; the plan must have been made with its path length. */
  hs?: boolean;
  /** fastText-style subwords; the plan must have been made with them. */
  subwords?: boolean;
  /** Tally the training loss (the loss table must have been written: writeLossTable). */
  loss?: boolean;
}

export function writeWord2VecConfig(memory: WebAssembly.Memory, plan: Word2VecLayout, config: Word2VecConfig): void {
  const view = new DataView(memory.buffer, plan.config.offset, CONFIG.bytes);
  view.setInt32(CONFIG.mode, config.mode === 'cbow' ? 1 : 0, true);
  view.setInt32(CONFIG.dim, plan.stride, true);
  view.setInt32(CONFIG.window, config.window, true);
  view.setInt32(CONFIG.negative, config.negative, true);
  view.setInt32(CONFIG.vocabSize, config.vocabSize, true);
  view.setFloat32(CONFIG.startAlpha, config.alpha, true);
  view.setFloat32(CONFIG.minAlpha, config.alpha * 1e-4, true);
  view.setUint32(CONFIG.input, plan.input.offset, true);
  view.setUint32(CONFIG.output, plan.output.offset, true);
  view.setUint32(CONFIG.noiseThreshold, plan.noiseThreshold.offset, true);
  view.setUint32(CONFIG.noiseAlias, plan.noiseAlias.offset, true);
  view.setUint32(CONFIG.keep, plan.keep.offset, true);
  view.setUint32(CONFIG.sigmoid, plan.sigmoid.offset, true);
  view.setInt32(CONFIG.subsample, config.subsample ? 1 : 0, true);
  view.setInt32(CONFIG.abort, 0, true);
  view.setBigInt64(CONFIG.wordsDone, 0n, true);
  view.setBigInt64(CONFIG.wordsTotal, BigInt(config.wordsTotal), true);
  view.setInt32(CONFIG.maxSentence, MAX_SENTENCE_LENGTH, true);
  view.setInt32(CONFIG.update, config.update === 'batched' ? 1 : 0, true);
  view.setInt32(CONFIG.hs, config.hs ? 1 : 0, true);
  view.setUint32(CONFIG.hsOutput, plan.hsOutput.offset, true);
  view.setUint32(CONFIG.hsCodes, plan.hsCodes.offset, true);
  view.setUint32(CONFIG.hsPoints, plan.hsPoints.offset, true);
  view.setUint32(CONFIG.hsPaths, plan.hsPaths.offset, true);
  view.setInt32(CONFIG.subwords, config.subwords ? 1 : 0, true);
  view.setUint32(CONFIG.subwordOffsets, plan.subwordOffsets.offset, true);
  view.setUint32(CONFIG.subwordRows, plan.subwordRows.offset, true);
  view.setInt32(CONFIG.loss, config.loss ? 1 : 0, true);
  view.setUint32(CONFIG.lossTable, plan.lossTable.offset, true);
}

export function writeLossTable(memory: WebAssembly.Memory, plan: Word2VecLayout): void {
  new Float32Array(memory.buffer, plan.lossTable.offset, 2 * abi.LOSS_BINS).set(lossTable());
}

/** A worker's loss tally so far (sum of terms, predictions); the kernel adds to it at each chunk's end. */
export function workerLoss(memory: WebAssembly.Memory, plan: Word2VecLayout, index: number): { loss: number; predictions: number } {
  return readLossTally(memory, plan.workers[index].block.offset);
}

export function readLossTally(memory: WebAssembly.Memory, workerBlock: number): { loss: number; predictions: number } {
  const view = new DataView(memory.buffer, workerBlock, WORKER.bytes);
  return { loss: view.getFloat64(WORKER.loss, true), predictions: view.getFloat64(WORKER.predictions, true) };
}

/** Copies the rows each word sums over (src/subwords.ts subwordRowTable) into the plan's regions. */
export function writeSubwordTable(memory: WebAssembly.Memory, plan: Word2VecLayout, table: { offsets: Int32Array; rows: Int32Array }): void {
  if (table.offsets.byteLength !== plan.subwordOffsets.bytes || table.rows.byteLength !== plan.subwordRows.bytes) {
    throw new Error(`subword table of ${table.offsets.length} offsets and ${table.rows.length} rows does not match the layout`);
  }
  new Int32Array(memory.buffer, plan.subwordOffsets.offset, table.offsets.length).set(table.offsets);
  new Int32Array(memory.buffer, plan.subwordRows.offset, table.rows.length).set(table.rows);
}

/** Copies a Huffman tree into the plan's regions (sized by planWord2VecLayout's hsPathNodes). */
export function writeHuffmanTree(memory: WebAssembly.Memory, plan: Word2VecLayout, tree: HuffmanTree): void {
  if (tree.codes.length !== plan.hsCodes.bytes) throw new Error(`Huffman paths hold ${tree.codes.length} nodes, the layout ${plan.hsCodes.bytes}`);
  new Uint8Array(memory.buffer, plan.hsCodes.offset, tree.codes.length).set(tree.codes);
  new Int32Array(memory.buffer, plan.hsPoints.offset, tree.points.length).set(tree.points);
  const paths = new Int32Array(memory.buffer, plan.hsPaths.offset, tree.starts.length * 2);
  for (let w = 0; w < tree.starts.length; w++) {
    paths[2 * w] = tree.starts[w];
    paths[2 * w + 1] = tree.lengths[w];
  }
}

export function writeWorkerBlock(memory: WebAssembly.Memory, plan: Word2VecLayout, index: number, seed: bigint, alpha: number): void {
  const w = plan.workers[index];
  const view = new DataView(memory.buffer, w.block.offset, WORKER.bytes);
  view.setBigUint64(WORKER.random, BigInt.asUintN(64, seed), true);
  view.setFloat32(WORKER.alpha, alpha, true);
  view.setUint32(WORKER.hidden, w.hidden.offset, true);
  view.setUint32(WORKER.gradient, w.gradient.offset, true);
  view.setUint32(WORKER.sentence, w.sentence.offset, true);
  view.setUint32(WORKER.contexts, w.contexts.offset, true);
  view.setUint32(WORKER.targets, w.targets.offset, true);
  view.setUint32(WORKER.scores, w.scores.offset, true);
  view.setUint32(WORKER.deltas, w.deltas.offset, true);
  view.setFloat64(WORKER.loss, 0, true);
  view.setFloat64(WORKER.predictions, 0, true);
}

/**
 * Live views of the counters the main thread polls and sets while workers train. `abort` raises the
 * kernels' abort flag and wakes every worker parked at the rendezvous, so a stop never hangs.
 */
export function controlViews(memory: WebAssembly.Memory, plan: Word2VecLayout) {
  const wordsDone = new BigInt64Array(memory.buffer, plan.config.offset + CONFIG.wordsDone, 1);
  const rendezvous = new Rendezvous(memory.buffer, plan.rendezvous.offset, plan.workers.length);
  return {
    wordsDone: () => Number(Atomics.load(wordsDone, 0)),
    setWordsDone: (words: number) => Atomics.store(wordsDone, 0, BigInt(words)),
    rendezvous,
    abort: () => {
      raiseFlag(memory.buffer, plan.config.offset + CONFIG.abort);
      rendezvous.stop();
    },
  };
}

/** A worker's learning-rate state between kernel calls: its random state and current alpha. */
export function readWorkerState(memory: WebAssembly.Memory, plan: Word2VecLayout, index: number): { random: bigint; alpha: number } {
  const view = new DataView(memory.buffer, plan.workers[index].block.offset, WORKER.bytes);
  return { random: view.getBigUint64(WORKER.random, true), alpha: view.getFloat32(WORKER.alpha, true) };
}
