// A trained text classifier (fastText's supervised model): the dictionary of words and labels, the
// input matrix (words, then word and character n-gram buckets) and one output row per label.
// predict() builds a line's input rows as fastText's getLine does, takes the mean row, and scores
// the labels with the model's loss (softmax, sigmoids for ova and ns, the label tree for hs);
// test() computes fastText's N, P@k, R@k and per-label precision, recall and F1. Saves and loads
// fastText 0.9.2's supervised .bin.
import { nodeBuiltin } from '../runtime/node-builtins.js';
import { Wasm2VecError } from '../errors.js';
import { LabelDictionary } from '../corpus/label-dictionary.js';
import { readFastTextSupervised, writeFastTextSupervised, type SupervisedArgs, type SupervisedLossName, type SupervisedModelParts } from '../formats/fasttext-supervised.js';
import { buildLabelTree, type LabelTree } from './label-tree.js';
const { createReadStream } = nodeBuiltin('node:fs');
const { createInterface } = nodeBuiltin('node:readline');

export interface Prediction {
  /** The label as in the training file, prefix included (e.g. "__label__baking"). */
  label: string;
  probability: number;
}

export interface PredictOptions {
  /** How many labels, most probable first (fastText's k; default 1). */
  k?: number;
  /** Labels below this probability are left out (default 0). */
  threshold?: number;
}

export interface LabelScores {
  label: string;
  gold: number;
  predicted: number;
  correct: number;
  precision: number;
  recall: number;
  f1: number;
}

export interface ClassifierTestResult {
  /** Examples scored (lines with at least one known label). */
  examples: number;
  /** Lines skipped: no label the model knows. */
  skipped: number;
  k: number;
  /** fastText's P@k and R@k. */
  precision: number;
  recall: number;
  /** Per label, in the model's label order. */
  labels: LabelScores[];
}

/** fastText's std_log: log(x + 1e-5). */
function stdLog(x: number): number {
  return Math.log(x + 1e-5);
}

/** fastText's sigmoid table (Loss::sigmoid): 512 steps over [−8, 8], 0 and 1 outside; one-vs-all and negative-sampling predictions use it as fastText does (its hierarchical-softmax search uses exp). */
const SIGMOID_TABLE_SIZE = 512;
const MAX_SIGMOID = 8;
const SIGMOID_TABLE = Float32Array.from({ length: SIGMOID_TABLE_SIZE + 1 }, (_, i) => {
  const x = (i * 2 * MAX_SIGMOID) / SIGMOID_TABLE_SIZE - MAX_SIGMOID;
  return 1 / (1 + Math.exp(-x));
});

function tableSigmoid(x: number): number {
  if (x < -MAX_SIGMOID) return 0;
  if (x > MAX_SIGMOID) return 1;
  return SIGMOID_TABLE[Math.floor(((x + MAX_SIGMOID) * SIGMOID_TABLE_SIZE) / MAX_SIGMOID / 2)];
}

/** fastText's whitespace (readWord): space, \t, \n, \v, \f, \r and NUL. */
const FASTTEXT_SPACE = /[ \t\n\v\f\r\0]+/;

export function splitFastTextLine(line: string): string[] {
  return line.split(FASTTEXT_SPACE).filter((t) => t.length > 0);
}

export class Classifier {
  readonly dictionary: LabelDictionary;
  readonly args: SupervisedArgs;
  readonly dim: number;
  private readonly parts: SupervisedModelParts;
  private readonly tree?: LabelTree;
  /** A line's tokens → tokens (e.g. the unicode tokenizer for Chinese); default fastText's whitespace split. */
  readonly tokenize: (line: string) => string[];

  constructor(parts: SupervisedModelParts, options: { labelPrefix?: string; tokenize?: (line: string) => string[] } = {}) {
    this.parts = parts;
    this.args = parts.args;
    this.dim = parts.args.dim;
    this.dictionary = new LabelDictionary({
      words: parts.words,
      wordCounts: parts.wordCounts,
      labels: parts.labels,
      labelCounts: parts.labelCounts,
      ntokens: parts.ntokens,
      labelPrefix: options.labelPrefix ?? '__label__',
      wordNgrams: parts.args.wordNgrams,
      bucket: parts.args.bucket,
      minn: parts.args.minn,
      maxn: parts.args.maxn,
    });
    if (parts.args.loss === 'hs') this.tree = buildLabelTree(parts.labelCounts);
    this.tokenize = options.tokenize ?? splitFastTextLine;
  }

  get labels(): readonly string[] {
    return this.dictionary.labels;
  }

  get loss(): SupervisedLossName {
    return this.args.loss;
  }

  /** The parts of the model (for writers). */
  toParts(): SupervisedModelParts {
    return this.parts;
  }

  /** Row of the input matrix for a dictionary row (words, then nwords + bucket), −1 if never trained. */
  private inputRow(row: number): number {
    const nwords = this.dictionary.nwords;
    if (row < nwords || !this.parts.bucketRows) return row;
    return this.parts.bucketRows[row - nwords];
  }

  /** The mean of the input rows of a list of dictionary rows (fastText's computeHidden), in float32. */
  hiddenOfRows(rows: readonly number[]): Float32Array {
    const { input, stride } = this.parts;
    const dim = this.dim;
    const hidden = new Float32Array(dim);
    for (const row of rows) {
      const r = this.inputRow(row);
      if (r < 0) continue;
      const base = r * stride;
      for (let c = 0; c < dim; c++) hidden[c] += input[base + c];
    }
    if (rows.length > 0) {
      const inverse = Math.fround(1 / rows.length);
      for (let c = 0; c < dim; c++) hidden[c] *= inverse;
    }
    return hidden;
  }

  /** fastText's sentence vector of a supervised model: the mean of the line's input rows. */
  sentenceVector(text: string): Float32Array {
    return this.hiddenOfRows(this.dictionary.line(this.tokenize(text)).rows);
  }

  private outputDot(hidden: Float32Array, row: number): number {
    const { output, stride } = this.parts;
    let d = 0;
    const base = row * stride;
    for (let c = 0; c < this.dim; c++) d += hidden[c] * output[base + c];
    return d;
  }

  /** Every label's probability for a hidden vector (softmax, or independent sigmoids for ova and ns). */
  private scores(hidden: Float32Array): Float64Array {
    const n = this.dictionary.nlabels;
    const scores = new Float64Array(n);
    if (this.args.loss === 'softmax') {
      let max = -Infinity;
      for (let i = 0; i < n; i++) max = Math.max(max, (scores[i] = this.outputDot(hidden, i)));
      let sum = 0;
      for (let i = 0; i < n; i++) sum += scores[i] = Math.exp(scores[i] - max);
      for (let i = 0; i < n; i++) scores[i] /= sum;
    } else {
      for (let i = 0; i < n; i++) scores[i] = tableSigmoid(this.outputDot(hidden, i));
    }
    return scores;
  }

  /** Top-k labels of a list of dictionary rows, as (log probability, label id), best first. */
  predictRows(rows: readonly number[], k: number, threshold: number): [number, number][] {
    if (rows.length === 0) return [];
    const hidden = this.hiddenOfRows(rows);
    if (this.tree) return this.tree.best(k, threshold, (node) => 1 / (1 + Math.exp(-this.outputDot(hidden, node))));
    return findKBest(this.scores(hidden), k, threshold);
  }

  /** The k most probable labels of a text (fastText predict-prob), at least `threshold` each. */
  predict(text: string, options: PredictOptions = {}): Prediction[] {
    const { k, threshold } = predictOptions(options);
    const { rows } = this.dictionary.line(this.tokenize(text));
    return this.predictRows(rows, k, threshold).map(([logProbability, id]) => ({
      label: this.dictionary.labels[id],
      // exp(log(p + 1e-5)), as fastText predict-prob prints it (so a saturated label shows 1.00001).
      probability: Math.exp(logProbability),
    }));
  }

  /**
   * Scores a labelled file (fastText format) as fastText's test: N, P@k, R@k, and per label the
   * gold and predicted counts, precision, recall and F1. Lines without a known label are skipped.
   */
  async test(path: string, options: PredictOptions = {}): Promise<ClassifierTestResult> {
    const { k, threshold } = predictOptions(options);
    const n = this.dictionary.nlabels;
    const gold = new Float64Array(n);
    const predicted = new Float64Array(n);
    const correct = new Float64Array(n);
    let examples = 0;
    let skipped = 0;
    let goldTotal = 0;
    let predictedTotal = 0;
    let correctTotal = 0;
    for await (const line of readLines(path)) {
      const tokens = this.tokenize(line);
      if (tokens.length === 0) continue;
      const { rows, labels } = this.dictionary.line(tokens);
      if (labels.length === 0) {
        skipped++;
        continue;
      }
      examples++;
      const predictions = this.predictRows(rows, k, threshold);
      goldTotal += labels.length;
      predictedTotal += predictions.length;
      for (const [, id] of predictions) {
        predicted[id]++;
        if (labels.includes(id)) (correct[id]++, correctTotal++);
      }
      for (const id of labels) gold[id]++;
    }
    if (examples === 0) {
      throw new Wasm2VecError(`${path}: no line has a label the model knows (${skipped} lines skipped); is it a labelled file in fastText format?`);
    }
    const labelScores: LabelScores[] = [];
    for (let i = 0; i < n; i++) {
      const precision = predicted[i] > 0 ? correct[i] / predicted[i] : NaN;
      const recall = gold[i] > 0 ? correct[i] / gold[i] : NaN;
      labelScores.push({
        label: this.dictionary.labels[i], gold: gold[i], predicted: predicted[i], correct: correct[i], precision, recall,
        f1: precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : NaN,
      });
    }
    return {
      examples, skipped, k,
      precision: predictedTotal > 0 ? correctTotal / predictedTotal : NaN,
      recall: goldTotal > 0 ? correctTotal / goldTotal : NaN,
      labels: labelScores,
    };
  }

  /** Saves as fastText 0.9.2's supervised .bin (`fasttext predict` reads it). */
  async save(path: string): Promise<void> {
    await writeFastTextSupervised(path, this.parts);
  }

  /** Loads a supervised .bin written by fastText 0.9.2 or by wasm2vec. */
  static async load(path: string, options: { labelPrefix?: string; tokenize?: (line: string) => string[] } = {}): Promise<Classifier> {
    return new Classifier(await readFastTextSupervised(path), options);
  }
}

/**
 * fastText's Loss::findKBest and the sort_heap after it, with libstdc++'s heap algorithms step for
 * step, so that labels of equal probability (common with one-vs-all's sigmoid table) come out in
 * fastText's order.
 */
export function findKBest(scores: ArrayLike<number>, k: number, threshold: number): [number, number][] {
  const heap: [number, number][] = [];
  const greater = (a: [number, number], b: [number, number]) => a[0] > b[0];
  for (let i = 0; i < scores.length; i++) {
    if (scores[i] < threshold) continue;
    const score = stdLog(scores[i]);
    if (heap.length === k && score < heap[0][0]) continue;
    heap.push([score, i]);
    pushHeap(heap, heap.length - 1, 0, heap[heap.length - 1], greater);
    if (heap.length > k) {
      popHeap(heap, heap.length, greater);
      heap.pop();
    }
  }
  for (let last = heap.length; last > 1; last--) popHeap(heap, last, greater);
  return heap;
}

type Less = (a: [number, number], b: [number, number]) => boolean;

function pushHeap(heap: [number, number][], hole: number, top: number, value: [number, number], less: Less): void {
  let parent = Math.floor((hole - 1) / 2);
  while (hole > top && less(heap[parent], value)) {
    heap[hole] = heap[parent];
    hole = parent;
    parent = Math.floor((hole - 1) / 2);
  }
  heap[hole] = value;
}

function adjustHeap(heap: [number, number][], hole: number, length: number, value: [number, number], less: Less): void {
  const top = hole;
  let child = hole;
  while (child < Math.floor((length - 1) / 2)) {
    child = 2 * (child + 1);
    if (less(heap[child], heap[child - 1])) child--;
    heap[hole] = heap[child];
    hole = child;
  }
  if ((length & 1) === 0 && child === Math.floor((length - 2) / 2)) {
    child = 2 * (child + 1);
    heap[hole] = heap[child - 1];
    hole = child - 1;
  }
  pushHeap(heap, hole, top, value, less);
}

/** Moves the top of heap[0, last) to last − 1 and restores the heap on [0, last − 1). */
function popHeap(heap: [number, number][], last: number, less: Less): void {
  if (last < 2) return;
  const value = heap[last - 1];
  heap[last - 1] = heap[0];
  adjustHeap(heap, 0, last - 1, value, less);
}

function predictOptions(options: PredictOptions): { k: number; threshold: number } {
  const k = options.k ?? 1;
  const threshold = options.threshold ?? 0;
  if (!Number.isInteger(k) || k < 1) throw new Wasm2VecError(`option k must be an integer ≥ 1, got ${k}`);
  if (typeof threshold !== 'number' || !(threshold >= 0 && threshold <= 1)) throw new Wasm2VecError(`option threshold must be a number from 0 to 1, got ${threshold}`);
  return { k, threshold };
}

/** Lines of a file ('-' for standard input). */
export async function* readLines(path: string): AsyncGenerator<string> {
  const stream = path === '-' ? process.stdin : createReadStream(path);
  const lines = createInterface({ input: stream, crlfDelay: Infinity });
  try {
    for await (const line of lines) yield line;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new Wasm2VecError(`${path}: no such file`);
    if (code === 'EISDIR') throw new Wasm2VecError(`${path}: is a directory, expected a text file`);
    throw err;
  }
}
