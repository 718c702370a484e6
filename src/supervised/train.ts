// trainClassifier: fastText's supervised model on all cores, through the common path — options →
// countVocabulary → dictionary and encoded examples → MemoryLayout → runOnWorkers (the supervised
// shard, src/supervised/shard.ts) → the kernel (assembly/supervised.ts) → a Classifier and a report.
import { AbortError, Wasm2VecError } from '../errors.js';
import { countVocabulary } from '../corpus/count-vocabulary.js';
import { IdSpool } from '../corpus/id-spool.js';
import { Vocabulary } from '../corpus/vocabulary.js';
import { seconds } from '../runtime/phases.js';
import { kernelModule, instantiateKernels } from '../runtime/kernels.js';
import { runOnWorkers } from '../runtime/worker-pool.js';
import { Classifier } from '../model/index.js';
import { readEmbeddings } from '../formats/index.js';
import { tokenizerFunction } from '../corpus/label-dictionary.js';
import { buildLabelTree } from '../model/label-tree.js';
import { resolveSupervisedOptions, type ResolvedSupervisedOptions, type SupervisedOptions } from './options.js';
import { buildLabelDictionary, encodeExamples, type EncodedExamples } from './examples.js';
import { planSupervisedLayout, supervisedControl, workerTotals, writeSupervisedConfig, writeSupervisedWorker, type SupervisedLayout } from './layout.js';
import type { SupervisedShardResult, SupervisedShardTask } from './shard.js';
import { planOfLayout, type MemoryPlan } from '../runtime/memory-plan.js';

export interface ClassifierReport {
  loss: ResolvedSupervisedOptions['loss'];
  words: number;
  labels: number;
  /** Training examples (lines with a known label), and lines skipped for having none. */
  examples: number;
  skippedLines: number;
  /** Tokens of the training file (fastText's ntokens). */
  tokens: number;
  /** n-gram buckets the training file uses (rows the input matrix holds besides the words). */
  bucketsUsed: number;
  epochs: number;
  threads: number;
  /** Mean loss over the examples of all epochs. */
  averageLoss: number;
  seconds: { vocabulary: number; encode: number; train: number; total: number };
  tokensPerSecondPerThread: number;
  memoryBytes: number;
}

export type TrainedClassifier = Classifier & { report: ClassifierReport };

/** Rows per initialisation call: V8 runs a WASM function's first call in its baseline tier. */
const INIT_BLOCK_ROWS = 4096;

/** Trains fastText's supervised classifier; with `planOnly: true`, returns the memory plan instead (`--dry-run`). */
export function trainClassifier(options: SupervisedOptions & { planOnly: true }): Promise<MemoryPlan>;
export function trainClassifier(options: SupervisedOptions): Promise<TrainedClassifier>;
export async function trainClassifier(options: SupervisedOptions): Promise<TrainedClassifier | MemoryPlan> {
  const o = resolveSupervisedOptions(options);
  const started = performance.now();
  if (o.signal?.aborted) throw new AbortError();
  const spool = new IdSpool();
  try {
    const { vocabulary, remap, corpusTokens } = await countVocabulary(o.input, spool, {
      minCount: 1,
      threads: o.threads,
      // Intl.Segmenter would split "__label__体育" at the script change: labels are kept whole.
      tokenizer: o.tokenizer === 'unicode' ? tokenizerFunction({ tokenizer: 'unicode', label: o.label }) : o.tokenizer,
      lowercase: o.lowercase,
      normalize: o.normalize,
      signal: o.signal,
      onProgress: o.onProgress && ((words, done, elapsedSeconds) => o.onProgress!({ phase: 'vocabulary', fraction: done ? 1 : 0, words, elapsedSeconds })),
    });
    const vocabularySeconds = seconds(started);

    const encodeStarted = performance.now();
    const dictionary = buildLabelDictionary(vocabulary, o, corpusTokens);
    const examples = encodeExamples(spool, remap, vocabulary, dictionary);
    spool.dispose();
    const tree = o.loss === 'hs' ? buildLabelTree(dictionary.labelCounts) : undefined;
    const plan = planSupervisedLayout(examples.inputRows, dictionary.nlabels, o.dim, o.threads, examples.records.length, tree?.codes.length ?? 0);
    if (o.planOnly) {
      return planOfLayout('supervised', dictionary.nwords, plan.layout, [`${dictionary.nlabels} labels, ${examples.inputRows - dictionary.nwords} n-gram buckets used, ${examples.records.length} example ints`]);
    }
    plan.layout.assertFits(`dim (${o.dim}) or the n-gram buckets (wordNgrams ${o.wordNgrams}, minn/maxn)`);
    const memory = plan.layout.createMemory();
    new Int32Array(memory.buffer, plan.records.offset, examples.records.length).set(examples.records);
    const encodeSeconds = seconds(encodeStarted);
    o.onProgress?.({ phase: 'encode', fraction: 1, words: corpusTokens, elapsedSeconds: encodeSeconds });

    const trainStarted = performance.now();
    prepareMemory(memory, plan, o, dictionary.labels, dictionary.labelCounts, examples, corpusTokens, tree);
    if (o.pretrainedVectors !== undefined) await loadPretrained(memory, plan, o, dictionary.words);
    await runTraining(memory, plan, examples, o, corpusTokens);
    const trainSeconds = seconds(trainStarted);

    let lossSum = 0;
    let trained = 0;
    for (let t = 0; t < o.threads; t++) {
      const totals = workerTotals(memory, plan, t);
      lossSum += totals.loss;
      trained += totals.examples;
    }
    if (!Number.isFinite(lossSum)) {
      // fastText stops with "Encountered NaN." in the same case.
      throw new Wasm2VecError(`training diverged (the loss became ${lossSum}) with lr ${o.lr} and loss ${o.loss}; lower lr`);
    }
    // The model keeps copies of the rows (the shared memory also holds the examples).
    const input = new Float32Array(memory.buffer, plan.input.offset, examples.inputRows * plan.stride).slice();
    const output = new Float32Array(memory.buffer, plan.output.offset, dictionary.nlabels * plan.stride).slice();
    const classifier = new Classifier(
      {
        args: {
          dim: o.dim, ws: 5, epoch: o.epochs, minCount: o.minCount, neg: o.neg, wordNgrams: o.wordNgrams, loss: o.loss,
          bucket: o.bucket, minn: o.minn, maxn: o.maxn, lrUpdateRate: o.lrUpdateRate, t: 1e-4,
        },
        words: dictionary.words,
        wordCounts: dictionary.wordCounts,
        labels: dictionary.labels,
        labelCounts: dictionary.labelCounts,
        ntokens: corpusTokens,
        input,
        stride: plan.stride,
        bucketRows: examples.bucketRows,
        output,
      },
      { labelPrefix: o.label, tokenize: tokenizerFunction(o) },
    ) as TrainedClassifier;
    const exampleCount = examples.starts.length - 1 - examples.skippedLines;
    classifier.report = {
      loss: o.loss,
      words: dictionary.nwords,
      labels: dictionary.nlabels,
      examples: exampleCount,
      skippedLines: examples.skippedLines,
      tokens: corpusTokens,
      bucketsUsed: examples.inputRows - dictionary.nwords,
      epochs: o.epochs,
      threads: o.threads,
      averageLoss: trained > 0 ? lossSum / trained : NaN,
      seconds: { vocabulary: vocabularySeconds, encode: encodeSeconds, train: trainSeconds, total: seconds(started) },
      tokensPerSecondPerThread: (o.epochs * corpusTokens) / trainSeconds / o.threads,
      memoryBytes: plan.layout.totalBytes,
    };
    return classifier;
  } finally {
    spool.dispose();
  }
}

function prepareMemory(
  memory: WebAssembly.Memory, plan: SupervisedLayout, o: ResolvedSupervisedOptions, labels: string[], labelCounts: number[], examples: EncodedExamples,
  corpusTokens: number, tree?: ReturnType<typeof buildLabelTree>,
): void {
  // Input rows uniform in ±1/dim as fastText; output rows start at zero (fresh memory is zeroed).
  const kernels = instantiateKernels(memory);
  let random = BigInt(o.seed) + 1n;
  for (let row = 0; row < examples.inputRows; row += INIT_BLOCK_ROWS) {
    const rows = Math.min(INIT_BLOCK_ROWS, examples.inputRows - row);
    random = kernels.initSupervisedMatrix(plan.input.offset + row * plan.stride * 4, rows, o.dim, plan.stride, random);
  }
  if (o.loss === 'ns') {
    // fastText's negative table: labels drawn in proportion to count^0.5.
    const { threshold, alias } = new Vocabulary(labels, Float64Array.from(labelCounts)).noiseDistribution(0.5);
    new Uint32Array(memory.buffer, plan.noiseThreshold.offset, labelCounts.length).set(threshold);
    new Int32Array(memory.buffer, plan.noiseAlias.offset, labelCounts.length).set(alias);
  }
  if (tree) {
    new Uint8Array(memory.buffer, plan.hsCodes.offset, tree.codes.length).set(tree.codes);
    new Int32Array(memory.buffer, plan.hsPoints.offset, tree.points.length).set(tree.points);
    const paths = new Int32Array(memory.buffer, plan.hsPaths.offset, labelCounts.length * 2);
    for (let l = 0; l < labelCounts.length; l++) (paths[2 * l] = tree.starts[l]), (paths[2 * l + 1] = tree.lengths[l]);
  }
  writeSupervisedConfig(memory, plan, {
    loss: o.loss, labels: labelCounts.length, negative: o.neg, lr: o.lr, tokensTotal: o.epochs * corpusTokens, lrUpdateRate: o.lrUpdateRate,
  });
  for (let t = 0; t < o.threads; t++) writeSupervisedWorker(memory, plan, t, BigInt(o.seed) * 1000003n + BigInt(t) + 1n);
}

async function runTraining(memory: WebAssembly.Memory, plan: SupervisedLayout, examples: EncodedExamples, o: ResolvedSupervisedOptions, corpusTokens: number) {
  const module = kernelModule();
  const control = supervisedControl(memory, plan);
  const lines = examples.starts.length - 1;
  const threads = Math.max(1, Math.min(o.threads, lines));
  const base = plan.records.offset;
  const tasks: SupervisedShardTask[] = [];
  for (let t = 0; t < threads; t++) {
    const first = Math.floor((lines * t) / threads);
    const last = Math.floor((lines * (t + 1)) / threads);
    tasks.push({
      kind: 'supervised', module, memory, config: plan.config.offset, worker: plan.workers[t].block.offset,
      begin: base + examples.starts[first] * 4, end: base + examples.starts[last] * 4, epochs: o.epochs,
    });
  }
  const totalTokens = o.epochs * corpusTokens;
  const started = performance.now();
  const progress = () => {
    const words = control.tokensDone();
    const fraction = Math.min(1, words / totalTokens);
    o.onProgress?.({ phase: 'train', fraction, words, elapsedSeconds: seconds(started), lr: o.lr * (1 - fraction) });
  };
  await runOnWorkers<SupervisedShardTask, SupervisedShardResult>(tasks, { signal: o.signal, stop: control.abort, onTick: o.onProgress && progress });
  progress();
}

/** fastText's -pretrainedVectors: dictionary words found in the file start from its vectors. */
async function loadPretrained(memory: WebAssembly.Memory, plan: SupervisedLayout, o: ResolvedSupervisedOptions, words: string[]): Promise<number> {
  const table = await readEmbeddings(o.pretrainedVectors!);
  if (table.dim !== o.dim) {
    throw new Wasm2VecError(`${o.pretrainedVectors}: the pretrained vectors have dimension ${table.dim}, the model ${o.dim}; set dim to ${table.dim}`);
  }
  const rowOf = new Map(table.words.map((w, i) => [w, i]));
  const input = new Float32Array(memory.buffer, plan.input.offset, words.length * plan.stride);
  let found = 0;
  words.forEach((word, row) => {
    const r = rowOf.get(word);
    if (r === undefined) return;
    input.set(table.vectors.subarray(r * o.dim, (r + 1) * o.dim), row * plan.stride);
    found++;
  });
  return found;
}
