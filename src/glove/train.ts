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
import { COST_RING, GloveMemory, TRAIN_CONFIG, planGloveControl, planTrain, writeGloveTrainConfig } from './layout.js';
import { countingPhasesPlan, planCount, splitBudget, usableBudget, type CountPlan } from '../cooccur/layout.js';
import { memoryPlan, type MemoryPlan } from '../runtime/memory-plan.js';
import { formatBytes } from '../runtime/memory-layout.js';
import { resolveGloveOptions, type GloveOptions, type GloveProgressEvent, type ResolvedGloveOptions } from './options.js';
import { TempDir, countCooccurrences, type CountStats, type IdStream } from '../cooccur/count.js';
import { readCooccurHeader, writeCooccurFile, type RecordSegment } from '../cooccur/record-file.js';
import { shuffleRecords, type TrainingRecords } from './shuffle.js';
import { runOnWorkers } from '../runtime/worker-pool.js';
import { Rendezvous, runWithMeetings } from '../runtime/rendezvous.js';
import { MAX_STATE_ITERATIONS, readGloveState, writeGloveState, type GloveSchedule, type GloveTrainingState } from '../formats/wasm2vec-state.js';
import { captureGloveState, checkResumable, checkSameVocabulary, inheritedGloveOptions, remapToSaved, restoreGloveState } from './state.js';
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
  /** Mean cost J/N after each iteration, as glove.c prints it (after resume or initialModel: the saved iterations' first). */
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
  /** Iterations completed (saved ones included): fewer than planned when onEpochEnd returned false. */
  epochsCompleted: number;
  /** Set when onEpochEnd returned false. */
  stoppedEarly?: boolean;
  /** Seconds the workers spent parked at iteration ends for epoch callbacks and checkpoints, within seconds.train. */
  pausedSeconds: number;
  /** With `checkpoint`: states written (the last one after the final iteration) and the seconds spent writing them. */
  checkpoints?: { written: number; seconds: number };
  /** With `resume`: the checkpoint and the iterations it had done. */
  resumedFrom?: { path: string; iterationsDone: number };
  /** With `initialModel`: the saved iterations trained before, and the tokens of the new text dropped (not in the saved vocabulary). */
  continued?: { iterationsBefore: number; droppedTokens: number };
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
  const started = performance.now();
  let o = resolveGloveOptions(options);
  // A saved model to continue from is read first: options left unset take its values.
  const initial = typeof o.initialModel === 'string' ? await readGloveState(o.initialModel) : o.initialModel;
  if (initial) {
    const given = Object.fromEntries(Object.entries(options).filter(([, value]) => value !== undefined));
    o = resolveGloveOptions({ ...inheritedGloveOptions(initial.options, o.cooccur === undefined), ...given });
    if (o.dim !== initial.dim) {
      const source = typeof options.initialModel === 'string' ? options.initialModel : 'initialModel';
      throw new Wasm2VecError(`cannot continue training from ${source}: option dim is ${o.dim} but the saved model has ${initial.dim}; leave dim unset to take the saved value`);
    }
  }
  // A checkpoint is read (and its options checked) before the corpus, so a bad one fails at once.
  const resumed = o.resume !== undefined ? await readGloveState(o.resume) : undefined;
  if (resumed?.schedule.givenVocabulary) {
    // A continued run's checkpoint: its command line left these to the saved model, so they come from the checkpoint.
    const given = Object.fromEntries(Object.entries(options).filter(([, value]) => value !== undefined));
    o = resolveGloveOptions({ ...inheritedGloveOptions(resumed.options, o.cooccur === undefined), ...given });
  }
  if (resumed) checkResumable(o.resume!, resumed, o);
  /** The state whose vocabulary this run uses, with what to call it in errors. */
  const base = resumed ? { state: resumed, path: o.resume!, what: 'resume' } : initial && { state: initial, path: typeof o.initialModel === 'string' ? o.initialModel : 'initialModel', what: 'continue training' };
  const givenVocabulary = initial !== undefined || resumed?.schedule.givenVocabulary === true;
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
    let droppedTokens = 0;
    if (o.cooccur !== undefined) {
      const header = readCooccurHeader(o.cooccur);
      vocabulary = { words: [END_OF_LINE, ...header.words], counts: [0, ...header.counts], corpusTokens: header.corpusTokens };
      pairs = header.records;
      window = header.window;
      symmetric = header.symmetric;
      fileSegments = pairs > 0 ? [{ kind: 'file', path: o.cooccur, offset: header.recordsOffset, count: pairs }] : [];
      // The file's ids are its vocabulary's: a saved state's rows must be the same words.
      if (base) checkSameVocabulary(base.path, base.state, vocabulary.words, resumed && !givenVocabulary ? vocabulary.counts : undefined, base.what);
      if (base && givenVocabulary) vocabulary = { ...vocabulary, counts: base.state.counts.slice() };
    } else if (base && givenVocabulary) {
      // Counted over the saved vocabulary: its words keep their ids, other words are dropped.
      const counted = await countVocabulary({ ...o, minCount: 1, maxVocabSize: Number.MAX_SAFE_INTEGER }, spool);
      const mapped = remapToSaved(base.state.words, counted.vocabulary, counted.remap);
      if (mapped.knownTokens === 0) throw new Wasm2VecError(`the input has no word of the vocabulary of ${base.path}: nothing to train (GloVe continues on the saved vocabulary only)`);
      vocabulary = { words: base.state.words.slice(), counts: base.state.counts.slice(), corpusTokens: counted.vocabulary.corpusTokens };
      remap = mapped.remap;
      droppedTokens = mapped.droppedTokens;
    } else {
      const counted = await countVocabulary(o, spool);
      vocabulary = counted.vocabulary;
      remap = counted.remap;
      if (base) checkSameVocabulary(base.path, base.state, vocabulary.words, vocabulary.counts, base.what);
    }
    if (resumed && vocabulary.corpusTokens !== resumed.schedule.corpusTokens) {
      throw new Wasm2VecError(`cannot resume from ${o.resume}: the corpus has ${vocabulary.corpusTokens} tokens, the checkpoint's had ${resumed.schedule.corpusTokens}; give the same input`);
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
    // Iterations [firstEpoch, lastEpoch) of the run's schedule (0-based; a continued run counts its saved ones).
    const firstEpoch = resumed?.schedule.iterationsDone ?? initial?.schedule.iterationsDone ?? 0;
    const lastEpoch = resumed ? resumed.schedule.epochs : firstEpoch + o.epochs;
    if (lastEpoch > MAX_STATE_ITERATIONS) throw new Wasm2VecError(`the saved model has ${firstEpoch} iterations; ${o.epochs} more exceed the ${MAX_STATE_ITERATIONS} a state can record`);
    if (o.planOnly) {
      const control = planGloveControl(threads, lastEpoch, window);
      const phases = countingPhasesPlan(
        control, remap ? planCount(countPlanInput, control.end) : undefined, budget.shuffleChunk, planTrain(vocabSize, o.dim, threads, true, budgetBytes, control.end), budget.records,
      );
      return memoryPlan('glove', vocabSize - 1, phases.regions, phases.totalBytes, [
        'counting, the shuffle and training run one after the other and reuse one area (the largest of the three);',
        `the records take 16 bytes per co-occurring pair, known only after counting: the plan reserves up to ${formatBytes(phases.recordsBytes)}`,
        `(memory ${o.memory} GiB), the rest spill to temporary files`,
        ...(remap ? [`the encoded corpus (${streamIds} ids) ${streamInMemory ? 'stays in memory' : 'goes to a temporary file'} while counting`] : []),
        ...(o.checkpoint || o.saveState ? ['checkpoints and --save-state are written from the word and context rows in place (no extra WebAssembly memory);',
          `the file holds ${formatBytes(2 * vocabSize * (2 * o.dim + 2) * 4)} of rows`] : []),
        ...(base ? [`${resumed ? '--resume' : '--init'} reads the saved state (${formatBytes(2 * vocabSize * (2 * o.dim + 2) * 4)} of rows) into JavaScript memory before training`] : []),
      ]);
    }
    const gm = new GloveMemory(threads, lastEpoch, window, arenaBytes, budget.records);
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
    if (resumed && pairs !== resumed.schedule.pairs) {
      throw new Wasm2VecError(`cannot resume from ${o.resume}: the corpus gives ${pairs} co-occurring pairs, the checkpoint's gave ${resumed.schedule.pairs}; give the same input and options`);
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
    const run = await train(gm, kernels, plan, records, vocabulary, o, {
      firstEpoch, lastEpoch, savedCosts: base?.state.schedule.costs ?? [], restore: base?.state,
      schedule: { pairs, corpusTokens: vocabulary.corpusTokens, givenVocabulary },
    });
    const costs = run.costs;
    const trainSeconds = seconds(trainStarted);
    if (o.saveState) await writeGloveState(o.saveState, captureGloveState(gm.memory, plan, vocabulary, o, run.schedule()));

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
      epochsCompleted: run.epochsCompleted,
      stoppedEarly: run.stoppedEarly || undefined,
      pausedSeconds: run.pausedSeconds,
      checkpoints: o.checkpoint && run.checkpoints,
      resumedFrom: resumed && { path: o.resume!, iterationsDone: resumed.schedule.iterationsDone },
      continued: initial && { iterationsBefore: initial.schedule.iterationsDone, droppedTokens },
      seconds: { vocabulary: vocabularySeconds, cooccur: cooccurSeconds, shuffle: shuffleSeconds, train: trainSeconds, total: seconds(started) },
      pairsPerSecond: ((run.epochsCompleted - firstEpoch) * pairs) / trainSeconds,
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

interface TrainSchedule {
  /** Iterations [firstEpoch, lastEpoch) of the run's schedule, 0-based. */
  firstEpoch: number;
  lastEpoch: number;
  /** The mean costs of the iterations before firstEpoch. */
  savedCosts: number[];
  /** A state whose vectors, biases and AdaGrad sums replace the random start (resume, initialModel). */
  restore?: GloveTrainingState;
  /** What a state written by this run records besides the iterations. */
  schedule: { pairs: number; corpusTokens: number; givenVocabulary: boolean };
}

interface TrainOutcome {
  /** Every iteration's mean cost (the saved ones first). */
  costs: number[];
  epochsCompleted: number;
  stoppedEarly: boolean;
  pausedSeconds: number;
  checkpoints: { written: number; seconds: number };
  /** The schedule a state written now records. */
  schedule(): GloveSchedule;
}

async function train(
  gm: GloveMemory, kernels: KernelExports, plan: ReturnType<typeof planTrain>, records: TrainingRecords, vocabulary: VocabularyData, o: ResolvedGloveOptions,
  run: TrainSchedule,
): Promise<TrainOutcome> {
  const memory = gm.memory;
  const threads = o.threads;
  const vocabSize = vocabulary.words.length;
  const { firstEpoch, lastEpoch } = run;
  // The random start is drawn even when a state replaces it, so the generator and row 0 (the
  // line-break token, never trained) are the uninterrupted run's.
  kernels.seedRandom(gm.control.rng, BigInt.asUintN(64, BigInt(o.seed) ^ 0x5deece66dn));
  for (const matrix of [plan.words, plan.contexts]) {
    for (let row = 0; row < vocabSize; row += INIT_SLICE_ROWS) {
      kernels.initGloveMatrix(matrix + row * plan.rowBytes, Math.min(INIT_SLICE_ROWS, vocabSize - row), o.dim, plan.stride, plan.rowBytes, gm.control.rng);
    }
  }
  if (run.restore) restoreGloveState(memory, plan, run.restore);
  writeGloveTrainConfig(memory, gm.control.trainConfig, {
    stride: plan.stride, rowBytes: plan.rowBytes, words: plan.words, contexts: plan.contexts, eta: o.learningRate, clip: o.gradClip,
  });
  const ringSize = Math.min(lastEpoch, COST_RING);
  const costTable = new Float64Array(memory.buffer, gm.control.costTable, ringSize * threads).fill(0);
  const epochsDone = new Int32Array(memory.buffer, gm.control.epochsDone, threads).fill(firstEpoch);
  const pairsDone = new BigInt64Array(memory.buffer, gm.control.trainConfig + TRAIN_CONFIG.pairsDone, 1);
  const rendezvous = new Rendezvous(memory.buffer, gm.control.rendezvous, threads);
  rendezvous.reset();
  // Workers meet at iteration ends only when someone waits there: the default run never parks.
  const epochBarrier = o.onEpochEnd !== undefined || o.checkpoint !== undefined;

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
      firstEpoch,
      epochs: lastEpoch,
      epochBarrier,
      rendezvous: gm.control.rendezvous,
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

  const costs: number[] = run.savedCosts.slice();
  const started = performance.now();
  // Live costs: iteration e is complete once every worker has finished it, and still in the ring
  // while no worker has gone ringSize iterations further. The final costs come from the workers.
  const collect = () => {
    let finished = lastEpoch;
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
    if (costs.length < lastEpoch) collect();
    const done = Number(Atomics.load(pairsDone, 0));
    const elapsedSeconds = seconds(started);
    const total = n * (lastEpoch - firstEpoch);
    report(o, {
      phase: 'train',
      fraction: Math.min(1, done / total),
      words: done,
      elapsedSeconds,
      pairsPerSecond: elapsedSeconds > 0 ? done / elapsedSeconds : 0,
      epoch: Math.min(lastEpoch, costs.length + 1),
      cost: costs.length > 0 ? costs[costs.length - 1] : undefined,
      iteration: costs.length > 0 ? costs.length : undefined,
      costs: costs.slice(),
    });
  };
  const outcome: TrainOutcome = {
    costs,
    epochsCompleted: lastEpoch,
    stoppedEarly: false,
    pausedSeconds: 0,
    checkpoints: { written: 0, seconds: 0 },
    schedule: () => ({
      epochs: lastEpoch, iterationsDone: outcome.costs.length, costs: outcome.costs.slice(), pairs: run.schedule.pairs, corpusTokens: run.schedule.corpusTokens,
      ...(run.schedule.givenVocabulary ? { givenVocabulary: true } : {}),
    }),
  };
  const checkpoint = o.checkpoint;
  const writeCheckpoint = checkpoint && (async () => {
    const writeStarted = performance.now();
    await writeGloveState(checkpoint.path, captureGloveState(memory, plan, vocabulary, o, outcome.schedule()));
    outcome.checkpoints.written++;
    outcome.checkpoints.seconds += seconds(writeStarted);
  });
  let lastCheckpoint = performance.now();
  const stop = () => {
    gm.abort();
    rendezvous.stop();
  };
  const running = runOnWorkers<GloveTrainTask, GloveTrainResult>(tasks, { signal: o.signal, stop, onTick: o.onProgress && progress });
  const results = await runWithMeetings(running, stop, epochBarrier ? {
    rendezvous,
    firstEpoch: firstEpoch + 1,
    epochs: lastEpoch,
    atEpochEnd: async (epoch, epochSeconds) => {
      // Every worker is parked at the end of `epoch`: its cost is complete in the ring.
      collect();
      if (costs.length !== epoch) throw new Error(`internal: ${costs.length} costs at the end of iteration ${epoch}`);
      // The last iteration's checkpoint is written once the workers are done (below).
      if (writeCheckpoint && epoch < lastEpoch && performance.now() - lastCheckpoint >= checkpoint.everySeconds * 1000) {
        await writeCheckpoint();
        lastCheckpoint = performance.now();
      }
      if (!o.onEpochEnd) return true;
      const vectors = buildVectors(gm, plan, vocabulary, o);
      return (await o.onEpochEnd({ epoch, epochs: lastEpoch, cost: costs[epoch - 1], loss: costs[epoch - 1], pairsPerSecond: n / Math.max(epochSeconds, 1e-9), vectors })) !== false;
    },
  } : undefined, outcome);
  if (results.some((r) => r.aborted)) throw new AbortError();
  costs.length = firstEpoch;
  for (let e = 0; e < outcome.epochsCompleted - firstEpoch; e++) costs.push(results.reduce((sum, r) => sum + r.costs[e], 0) / n);
  if (o.onProgress) progress();
  if (costs.length !== outcome.epochsCompleted) throw new Error(`internal: ${costs.length} of ${outcome.epochsCompleted} iterations reported a cost`);
  if (!costs.every(Number.isFinite)) throw new Wasm2VecError(`training diverged (cost ${costs.at(-1)}); lower learningRate`);
  // The last checkpoint: the state after the final iteration.
  if (writeCheckpoint) await writeCheckpoint();
  return outcome;
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
