// GloVe (Pennington, Socher & Manning 2014) as the Stanford tool trains it: vocabulary, co-occurrence
// counting with 1/distance weights, a shuffle, then AdaGrad on f(X)(w·w̃ + b + b̃ − log X)² with
// Hogwild workers sharing the parameter matrices.
import { tmpdir } from 'node:os';
import { AbortError, WRITE_FAULT_CODES, Wasm2VecError, fromSystemError } from '../errors.js';
import { countVocabulary as countCorpusVocabulary } from '../corpus/count-vocabulary.js';
import { seconds } from '../runtime/phases.js';
import { IdSpool, encodeToFile, encodeToMemory, type EncodedCorpus } from '../corpus/id-spool.js';
import { END_OF_LINE } from '../corpus/tokenizer.js';
import { preparePhrases } from '../phrases/prepare.js';
import { instantiateKernels, kernelModule, type KernelExports } from '../runtime/kernels.js';
import {
  COST_RING, GloveMemory, TRAIN_CONFIG, planCount, writeGloveTrainConfig, planTrain, splitBudget, usableBudget, type CountPlan, planControl, glovePhasesPlan,
} from './layout.js';
import { memoryPlan, type MemoryPlan } from '../runtime/memory-plan.js';
import { formatBytes } from '../runtime/memory-layout.js';
import { resolveGloveOptions, type GloveOptions, type GloveProgressEvent, type ResolvedGloveOptions } from './options.js';
import { TempDir, countCooccurrences, type CountStats, type IdStream } from './cooccurrence.js';
import { readCooccurHeader, writeCooccurFile, type RecordSegment } from './cooccur-file.js';
import { shuffleRecords, type TrainingRecords } from './shuffle.js';
import { runOnWorkers } from '../runtime/worker-pool.js';
import type { GloveTrainResult, GloveTrainTask } from './shards.js';
import { KeyedVectors } from '../model/index.js';

export interface GloveReport {
  /** Words with vectors (the vocabulary without the line-break token). */
  vocabSize: number;
  /** Tokens in the corpus (from the co-occurrence file's header when training from one). */
  corpusTokens: number;
  /** Non-zero co-occurrence records: the pairs trained per iteration. */
  pairs: number;
  dim: number;
  window: number;
  symmetric: boolean;
  epochs: number;
  threads: number;
  /** Mean cost J/N after each iteration, as glove.c prints it. */
  costs: number[];
  /** The same figures as costs, under the name word2vec's report uses for its per-epoch loss. */
  losses: number[];
  /** Wall-clock seconds per phase; cooccur includes encoding, counting and merging (or reading a co-occurrence file). */
  seconds: { vocabulary: number; cooccur: number; shuffle: number; train: number; total: number };
  /** epochs × pairs / training seconds. */
  pairsPerSecond: number;
  memory: {
    /** The `memory` option, in bytes. */
    budgetBytes: number;
    /** Size of the WebAssembly memory at the end (untouched pages take no RAM). */
    wasmBytes: number;
    /** Where the encoded corpus and the records were kept. */
    tokens: 'memory' | 'file' | 'none';
    records: 'memory' | 'file';
  };
  counting?: Omit<CountStats, 'recordsIn'>;
}

export type TrainedGlove = KeyedVectors & { report: GloveReport };

/** Records per trainGloveChunk call: the kernels poll the abort flag in between too. */
const TRAIN_CHUNK_RECORDS = 1 << 16;
/** Rows per initGloveMatrix call (V8 optimises a function for its next call, not during a long one). */
const INIT_SLICE_ROWS = 4096;

interface VocabularyData {
  /** words[0] is the line-break token; ids index this list. */
  words: string[];
  counts: number[];
  corpusTokens: number;
}

/** Trains GloVe vectors on all cores; with `planOnly: true`, returns the memory plan instead (`--dry-run`). */
export function trainGlove(options: GloveOptions & { planOnly: true }): Promise<MemoryPlan>;
export function trainGlove(options: GloveOptions): Promise<TrainedGlove>;
export async function trainGlove(options: GloveOptions): Promise<TrainedGlove | MemoryPlan> {
  const o = resolveGloveOptions(options);
  const started = performance.now();
  if (o.signal?.aborted) throw new AbortError();
  const temp = new TempDir(o.tempDir);
  const budgetBytes = usableBudget(o.memoryBytes);
  const budget = splitBudget(budgetBytes);
  const spool = new IdSpool(budget.count / 4, o.tempDir);
  let encoded: EncodedCorpus | undefined;
  try {
    // Phase 1: vocabulary (or the co-occurrence file's header).
    let vocabulary: VocabularyData;
    let remap: Int32Array | undefined;
    let fileSegments: RecordSegment[] | undefined;
    let pairs = 0;
    let window = o.window;
    let symmetric = o.symmetric;
    if (o.cooccur !== undefined) {
      const header = readCooccurHeader(o.cooccur);
      vocabulary = { words: [END_OF_LINE, ...header.words], counts: [0, ...header.counts], corpusTokens: header.corpusTokens };
      pairs = header.records;
      window = header.window;
      symmetric = header.symmetric;
      fileSegments = pairs > 0 ? [{ kind: 'file', path: o.cooccur, offset: header.recordsOffset, count: pairs }] : [];
    } else {
      const counted = await countVocabulary(o, spool);
      vocabulary = counted.vocabulary;
      remap = counted.remap;
    }
    const vocabularySeconds = seconds(started);
    const vocabSize = vocabulary.words.length;
    if (vocabSize - 1 > 2 ** 24 - 2) throw new Wasm2VecError(`the vocabulary has ${vocabSize - 1} words; GloVe supports fewer than 2^24: raise minCount or set maxVocabSize`);

    // One memory for all phases: its arena holds the counting structures, then the shuffle chunk,
    // then the parameter matrices; the records follow it.
    const threads = o.threads;
    const streamIds = remap ? spool.length : 0;
    const streamInMemory = remap !== undefined && streamIds * 4 <= budgetBytes / 8;
    const countPlanInput = {
      budget, budgetBytes, vocabSize, counts: vocabulary.counts, threads, window, symmetric, streamIds, streamInMemory, maxProduct: o.maxProduct,
    };
    const countBytes = remap ? planCount(countPlanInput, 0).bytes : 0;
    const trainBytes = planTrain(vocabSize, o.dim, threads, true, budgetBytes, 0).bytes;
    const arenaBytes = Math.max(countBytes, trainBytes, budget.shuffleChunk);
    if (o.planOnly) {
      const control = planControl(threads, o.epochs, window);
      const phases = glovePhasesPlan(
        control, remap ? planCount(countPlanInput, control.end) : undefined, budget.shuffleChunk, planTrain(vocabSize, o.dim, threads, true, budgetBytes, control.end), budget.records,
      );
      return memoryPlan('glove', vocabSize - 1, phases.regions, phases.totalBytes, [
        'counting, the shuffle and training run one after the other and reuse one area (the largest of the three);',
        `the records take 16 bytes per co-occurring pair, known only after counting: the plan reserves up to ${formatBytes(phases.recordsBytes)}`,
        `(memory ${o.memory} GiB), the rest spill to temporary files`,
        ...(remap ? [`the encoded corpus (${streamIds} ids) ${streamInMemory ? 'stays in memory' : 'goes to a temporary file'} while counting`] : []),
      ]);
    }
    const gm = new GloveMemory(threads, o.epochs, window, arenaBytes, budget.records);
    const kernels = instantiateKernels(gm.memory);

    // Phase 2: co-occurrences.
    const cooccurStarted = performance.now();
    let segments: RecordSegment[];
    let counting: CountStats | undefined;
    if (remap) {
      const plan = planCount(countPlanInput, gm.arena);
      const stream = encodeStream(gm, plan, spool, remap, streamInMemory, o.tempDir);
      encoded = stream.encoded;
      spool.dispose();
      const counted = await countCooccurrences({
        gm, plan, counts: vocabulary.counts, stream: stream.stream, window, symmetric, threads, budgetBytes, temp,
        signal: o.signal,
        onProgress: o.onProgress && ((fraction, tokens) => report(o, { phase: 'cooccur', fraction, words: tokens, elapsedSeconds: seconds(cooccurStarted) })),
      });
      if (encoded?.kind === 'file') encoded.dispose();
      encoded = undefined;
      segments = counted.segments;
      pairs = counted.pairs;
      counting = counted.stats;
      if (pairs === 0) {
        throw new Wasm2VecError(
          `no two vocabulary words occur within ${window} words of each other on one line: nothing to train on ` +
            '(GloVe windows never cross a line break; lower minCount or use a larger corpus)',
        );
      }
      if (o.saveCooccur !== undefined) {
        await writeCooccurFile(o.saveCooccur, { window, symmetric, minCount: o.minCount, corpusTokens: vocabulary.corpusTokens }, vocabulary.words, vocabulary.counts, segments, gm.memory);
      }
    } else {
      segments = fileSegments!;
      if (pairs === 0) throw new Wasm2VecError(`the co-occurrence file ${o.cooccur} has no records: nothing to train on`);
    }
    report(o, { phase: 'cooccur', fraction: 1, words: vocabulary.corpusTokens, elapsedSeconds: seconds(cooccurStarted) });
    const cooccurSeconds = seconds(cooccurStarted);

    // Phase 3: shuffle (file records from --cooccur are checked as they are read).
    const shuffleStarted = performance.now();
    const records = await shuffleRecords({
      gm, kernels, segments, count: pairs, seed: o.seed, xMax: o.xMax, alpha: o.alpha, budgetBytes, temp, signal: o.signal,
      validate: o.cooccur !== undefined ? { path: o.cooccur, vocabSize } : undefined,
      onProgress: o.onProgress && ((fraction) => report(o, { phase: 'shuffle', fraction, words: Math.round(fraction * pairs), elapsedSeconds: seconds(shuffleStarted) })),
    });
    const shuffleSeconds = seconds(shuffleStarted);
    report(o, { phase: 'shuffle', fraction: 1, words: pairs, elapsedSeconds: shuffleSeconds });

    // Phase 4: training.
    const trainStarted = performance.now();
    const plan = planTrain(vocabSize, o.dim, threads, records.kind === 'file', budgetBytes, gm.arena);
    const costs = await train(gm, kernels, plan, records, vocabSize, o);
    const trainSeconds = seconds(trainStarted);

    const model = buildVectors(gm, plan, vocabulary, o) as TrainedGlove;
    model.report = {
      vocabSize: vocabSize - 1,
      corpusTokens: vocabulary.corpusTokens,
      pairs,
      dim: o.dim,
      window,
      symmetric,
      epochs: o.epochs,
      threads,
      costs,
      losses: costs,
      seconds: { vocabulary: vocabularySeconds, cooccur: cooccurSeconds, shuffle: shuffleSeconds, train: trainSeconds, total: seconds(started) },
      pairsPerSecond: (o.epochs * pairs) / trainSeconds,
      memory: {
        budgetBytes: o.memoryBytes,
        wasmBytes: gm.bytes,
        tokens: remap ? (streamInMemory ? 'memory' : 'file') : 'none',
        records: records.kind,
      },
      counting: counting && (({ recordsIn: _, ...rest }) => rest)(counting),
    };
    return model;
  } catch (error) {
    // A full or read-only temporary directory (spilled runs are written on the workers) is a clear error.
    throw fromSystemError(error, 'write temporary files in', temp.created ?? o.tempDir ?? tmpdir(), WRITE_FAULT_CODES);
  } finally {
    spool.dispose();
    if (encoded?.kind === 'file') encoded.dispose();
    temp.remove();
  }
}

async function countVocabulary(o: ResolvedGloveOptions, spool: IdSpool): Promise<{ vocabulary: VocabularyData; remap: Int32Array }> {
  const { vocabulary, remap, corpusTokens } = await countCorpusVocabulary(o.input!, spool, {
    ...o,
    phrases: await preparePhrases(o.phrases, o.input, o),
    // As vocab_count: equal counts in alphabetical (byte) order, so the ids, and the order of the
    // vectors in the output, are those of Stanford's vocab.txt.
    ties: 'bytes',
    onProgress: o.onProgress && ((words, done, elapsedSeconds) => report(o, { phase: 'vocabulary', fraction: done ? 1 : 0, words, elapsedSeconds })),
  });
  return { vocabulary: { words: vocabulary.words, counts: Array.from(vocabulary.counts), corpusTokens }, remap };
}

/** Writes the final ids (dropped words removed, line breaks kept as id 0) to the arena or a file. */
function encodeStream(gm: GloveMemory, plan: CountPlan, spool: IdSpool, remap: Int32Array, inMemory: boolean, tempDir?: string): { stream: IdStream; encoded?: EncodedCorpus } {
  if (inMemory) {
    const target = new Int32Array(gm.memory.buffer, plan.streamOffset!, spool.length);
    const length = encodeToMemory(spool, remap, target);
    return { stream: { kind: 'memory', offset: plan.streamOffset!, length } };
  }
  const encoded = encodeToFile(spool, remap, tempDir);
  if (encoded.kind !== 'file') throw new Error('internal: expected an id file');
  return { stream: { kind: 'file', path: encoded.path, length: encoded.length }, encoded };
}

async function train(
  gm: GloveMemory, kernels: KernelExports, plan: ReturnType<typeof planTrain>, records: TrainingRecords, vocabSize: number, o: ResolvedGloveOptions,
): Promise<number[]> {
  const memory = gm.memory;
  const threads = o.threads;
  kernels.seedRandom(gm.control.rng, BigInt.asUintN(64, BigInt(o.seed) ^ 0x5deece66dn));
  for (const matrix of [plan.words, plan.contexts]) {
    for (let row = 0; row < vocabSize; row += INIT_SLICE_ROWS) {
      kernels.initGloveMatrix(matrix + row * plan.rowBytes, Math.min(INIT_SLICE_ROWS, vocabSize - row), o.dim, plan.stride, plan.rowBytes, gm.control.rng);
    }
  }
  writeGloveTrainConfig(memory, gm.control.trainConfig, {
    stride: plan.stride, rowBytes: plan.rowBytes, words: plan.words, contexts: plan.contexts, eta: o.learningRate, clip: o.gradClip,
  });
  const ringSize = Math.min(o.epochs, COST_RING);
  const costTable = new Float64Array(memory.buffer, gm.control.costTable, ringSize * threads).fill(0);
  const epochsDone = new Int32Array(memory.buffer, gm.control.epochsDone, threads).fill(0);
  const pairsDone = new BigInt64Array(memory.buffer, gm.control.trainConfig + TRAIN_CONFIG.pairsDone, 1);

  const n = records.count;
  const module = kernelModule();
  const tasks: GloveTrainTask[] = [];
  for (let t = 0; t < threads; t++) {
    // As glove.c: thread t trains records [N/T·t, N/T·(t+1)), the last one also the remainder.
    const start = Math.floor(n / threads) * t;
    const end = t === threads - 1 ? n : start + Math.floor(n / threads);
    tasks.push({
      kind: 'glove-train',
      module,
      memory,
      worker: t,
      threads,
      epochs: o.epochs,
      config: gm.control.trainConfig,
      costTable: gm.control.costTable,
      costRing: ringSize,
      epochsDone: gm.control.epochsDone,
      start,
      end,
      chunkRecords: records.kind === 'file' ? plan.buffers[t].records : TRAIN_CHUNK_RECORDS,
      records: records.kind === 'memory' ? { kind: 'memory', offset: records.offset } : { kind: 'file', path: records.path, buffer: plan.buffers[t].offset },
    });
  }

  const costs: number[] = [];
  const started = performance.now();
  // Live costs: iteration e is complete once every worker has finished it, and still in the ring
  // while no worker has gone ringSize iterations further. The final costs come from the workers.
  const collect = () => {
    let finished = o.epochs;
    let ahead = 0;
    for (let t = 0; t < threads; t++) {
      const done = Atomics.load(epochsDone, t);
      finished = Math.min(finished, done);
      ahead = Math.max(ahead, done);
    }
    while (costs.length < finished && ahead - costs.length < ringSize) {
      const slot = costs.length % ringSize;
      let sum = 0;
      for (let t = 0; t < threads; t++) sum += costTable[slot * threads + t];
      costs.push(sum / n);
    }
  };
  const progress = () => {
    if (costs.length < o.epochs) collect();
    const done = Number(Atomics.load(pairsDone, 0));
    const elapsedSeconds = seconds(started);
    const total = n * o.epochs;
    report(o, {
      phase: 'train',
      fraction: Math.min(1, done / total),
      words: done,
      elapsedSeconds,
      pairsPerSecond: elapsedSeconds > 0 ? done / elapsedSeconds : 0,
      epoch: Math.min(o.epochs, costs.length + 1),
      cost: costs.length > 0 ? costs[costs.length - 1] : undefined,
      iteration: costs.length > 0 ? costs.length : undefined,
      costs: costs.slice(),
    });
  };
  const results = await runOnWorkers<GloveTrainTask, GloveTrainResult>(tasks, { signal: o.signal, stop: () => gm.abort(), onTick: o.onProgress && progress });
  if (results.some((r) => r.aborted)) throw new AbortError();
  costs.length = 0;
  for (let e = 0; e < o.epochs; e++) costs.push(results.reduce((sum, r) => sum + r.costs[e], 0) / n);
  if (o.onProgress) progress();
  if (costs.length !== o.epochs) throw new Error(`internal: ${costs.length} of ${o.epochs} iterations reported a cost`);
  if (!costs.every(Number.isFinite)) throw new Wasm2VecError(`training diverged (cost ${costs.at(-1)}); lower learningRate`);
  return costs;
}

/** The trained vectors of every word (the line-break token excluded), in the requested form. */
function buildVectors(gm: GloveMemory, plan: ReturnType<typeof planTrain>, vocabulary: VocabularyData, o: ResolvedGloveOptions): KeyedVectors {
  const dim = o.dim;
  const rows = vocabulary.words.length - 1;
  const outDim = o.vectors === 'both' ? 2 * dim : o.vectors === 'all' ? 2 * dim + 2 : dim;
  const vectors = new Float32Array(rows * outDim);
  const floats = new Float32Array(gm.memory.buffer);
  const rowFloats = plan.rowBytes / 4;
  const biasAt = 2 * plan.stride;
  for (let r = 0; r < rows; r++) {
    const w = plan.words / 4 + (r + 1) * rowFloats;
    const c = plan.contexts / 4 + (r + 1) * rowFloats;
    const out = r * outDim;
    switch (o.vectors) {
      case 'sum':
        for (let i = 0; i < dim; i++) vectors[out + i] = floats[w + i] + floats[c + i];
        break;
      case 'word':
        vectors.set(floats.subarray(w, w + dim), out);
        break;
      case 'both':
        vectors.set(floats.subarray(w, w + dim), out);
        vectors.set(floats.subarray(c, c + dim), out + dim);
        break;
      case 'all':
        vectors.set(floats.subarray(w, w + dim), out);
        vectors[out + dim] = floats[w + biasAt];
        vectors.set(floats.subarray(c, c + dim), out + dim + 1);
        vectors[out + 2 * dim + 1] = floats[c + biasAt];
        break;
    }
  }
  return new KeyedVectors(vocabulary.words.slice(1), outDim, vectors, vocabulary.counts.slice(1));
}

function report(o: ResolvedGloveOptions, event: GloveProgressEvent): void {
  o.onProgress?.(event);
}
