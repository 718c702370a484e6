import { totalMemoryBytes } from '../runtime/node-builtins.js';
import { AbortError, Wasm2VecError } from '../errors.js';
import { countVocabulary } from '../corpus/count-vocabulary.js';
import { preparePhrases } from '../phrases/prepare.js';
import type { Vocabulary } from '../corpus/vocabulary.js';
import { seconds } from '../runtime/phases.js';
import { buildHuffmanTree, type HuffmanTree } from './huffman.js';
import { IdSpool, encodeToFile, encodeToMemory, type EncodedCorpus } from '../corpus/id-spool.js';
import { inheritedOptions, resolveWord2VecOptions, type ContinuedFrom, type ProgressEvent, type ResolvedWord2VecOptions, type Word2VecOptions } from './options.js';
import { kernelModule, instantiateKernels, type KernelExports } from '../runtime/kernels.js';
import { MAX_WASM_BYTES, formatBytes } from '../runtime/memory-layout.js';
import { planOfLayout, type MemoryPlan } from '../runtime/memory-plan.js';
import {
  CHUNK_IDS, controlViews, planWord2VecLayout, readWorkerState, sigmoidTable, workerLoss, writeHuffmanTree, writeLossTable, writeSubwordTable,
  writeWord2VecConfig, writeWorkerBlock, type Word2VecLayout,
} from './layout.js';
import { subwordRowTable, type SubwordOptions } from '../corpus/subwords.js';
import { SubwordVectors } from '../model/subword-vectors.js';
import { runOnWorkers } from '../runtime/worker-pool.js';
import { runWithMeetings } from '../runtime/rendezvous.js';
import { readTrainingState, writeTrainingState, type TrainingState, type WorkerSchedule } from '../formats/wasm2vec-state.js';
import { captureState, differingOption, restoreState, workerSchedules } from './state.js';
import { applyInitialState, applyPretrainedVectors, checkContinuable, mergeSavedVectors, mergeVocabulary, stateFingerprint } from './continue.js';
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
  /**
   * With the loss on (option loss, default true): the mean training loss per prediction of each
   * epoch, as fastText's progress line: a prediction is one (centre word, context word) pair in
   * skip-gram, one centre word in CBOW; its loss is −log σ(s⁺) + Σ −log σ(−s⁻) over the positive
   * target and the noise words drawn (negative sampling), plus Σ −log σ(±s) along the word's Huffman
   * path (hierarchical softmax), each score s clipped to ±6. Epoch e's figure is the sum over
   * workers of the terms of their e-th pass over their shards ÷ the predictions in it.
   */
  losses?: number[];
  memoryBytes: number;
  /** Epochs completed: fewer than `epochs` when onEpochEnd returned false. */
  epochsCompleted: number;
  /** Set when onEpochEnd returned false. */
  stoppedEarly?: boolean;
  /** Seconds the workers spent parked for epoch callbacks (and checkpoints), within seconds.train. */
  pausedSeconds: number;
  /** With `checkpoint`: states written while training, and the seconds spent writing them (the workers parked). */
  checkpoints?: { written: number; seconds: number };
  /** With `initialModel`: the saved model's words, the new words added (updateVocabulary), and whether the saved vectors were merged in (mergeSaved). */
  continued?: { knownWords: number; addedWords: number; merged: boolean };
  /** With `pretrainedVectors`: vocabulary words whose input vector started from the file. */
  pretrainedWords?: number;
  /** With `resume`: the checkpoint and the words it had done (of epochs × trainWords). */
  resumedFrom?: { path: string; wordsDone: number };
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
export function train(options: Word2VecOptions & { planOnly: true }): Promise<MemoryPlan>;
export function train(options: SubwordTrainingOptions): Promise<TrainedSubwordModel>;
export function train(options: WordTrainingOptions): Promise<TrainedModel>;
export function train(options: Word2VecOptions): Promise<TrainedModel | TrainedSubwordModel>;
export async function train(options: Word2VecOptions): Promise<TrainedModel | MemoryPlan> {
  const started = performance.now();
  // A saved model to continue from is read first: options left unset take its values.
  const initial = typeof options?.initialModel === 'string' ? await readTrainingState(options.initialModel) : options?.initialModel;
  const given = initial ? Object.fromEntries(Object.entries(options).filter(([, value]) => value !== undefined)) : options;
  const o = resolveWord2VecOptions(initial ? ({ ...inheritedOptions(initial.options), ...given } as Word2VecOptions) : options);
  if (initial) {
    checkContinuable(initial, o, typeof options.initialModel === 'string' ? options.initialModel : 'initialModel');
    // fastText's noise power and initial range follow the saved model, whatever the model name.
    if (typeof initial.options.noisePower === 'number') o.noisePower = initial.options.noisePower;
    if (typeof initial.options.initWidth === 'number') o.initWidth = initial.options.initWidth;
    // Only checkpoints (and a resume, which compares them) need the origin: no fingerprint pass otherwise.
    if (o.checkpoint !== undefined || o.resume !== undefined) {
      o.continuedFrom = { knownWords: initial.words.length, fingerprint: stateFingerprint(initial), updateVocabulary: o.updateVocabulary, mergeSaved: o.mergeSaved };
    }
  }
  const signal = o.signal;
  if (signal?.aborted) throw new AbortError();

  // A checkpoint is read (and its options checked) before the corpus, so a bad one fails at once.
  const resumed = o.resume !== undefined ? await readResumableState(o.resume, o) : undefined;
  const spool = new IdSpool(o.tokenStore === 'file' ? 0 : totalMemoryBytes() / 4);
  let encoded: EncodedCorpus | undefined;
  try {
    const counted = await countVocabulary(o.input, spool, {
      ...o,
      // Continuing: known words count whatever their count in the new text (mergeVocabulary applies minCount to new words).
      minCount: initial ? 1 : o.minCount,
      phrases: await preparePhrases(o.phrases, o.input, o),
      onProgress: o.onProgress && ((words, done, elapsedSeconds) => report(o, { phase: 'vocabulary', fraction: done ? 1 : 0, words, elapsedSeconds })),
    });
    const { corpusTokens } = counted;
    const merged = initial && mergeVocabulary(initial, counted, o.minCount, o.updateVocabulary);
    // `vocabulary` counts what each epoch trains on; `distribution` what the noise, subsampling and
    // Huffman tables and the model's counts use: the same except when continuing (summed counts).
    const vocabulary = merged ? merged.training : counted.vocabulary;
    const distribution = merged ? merged.distribution : counted.vocabulary;
    const remap = merged ? merged.remap : counted.remap;
    if (merged && vocabulary.trainWords === 0) throw new Wasm2VecError('the new text has no word of the saved vocabulary and no new word seen minCount times: nothing to train; set updateVocabulary or lower minCount');
    const vocabularySeconds = seconds(started);
    if (resumed) checkSameCorpus(o.resume!, resumed, vocabulary, corpusTokens);

    const encodeStarted = performance.now();
    const tree = o.hs ? buildHuffmanTree(distribution.counts) : undefined;
    const hsPathNodes = tree?.codes.length ?? 0;
    const subwordTable = o.subwords ? subwordRowTable(vocabulary.words, o.subwords) : undefined;
    const subwordPlan = subwordTable && { buckets: o.subwords!.buckets, tableEntries: subwordTable.rows.length };
    const inMemory = chooseTokenStore(o, vocabulary, hsPathNodes, subwordPlan);
    const plan = planWord2VecLayout(vocabulary.size, o.dim, o.threads, inMemory ? vocabulary.trainWords : undefined, o.window, o.negative, hsPathNodes, subwordPlan);
    if (o.planOnly) return planOfLayout('word2vec', vocabulary.size, plan.layout, [tokenStoreNote(inMemory, vocabulary.trainWords)]);
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
    prepareMemory(memory, plan, distribution, o, tree, vocabulary.trainWords);
    if (resumed) restoreState(memory, plan, resumed, controlViews(memory, plan).setWordsDone);
    // A resumed run's rows come from its checkpoint, whatever started them.
    if (initial && !resumed) applyInitialState(memory, plan, initial, vocabulary.size, o.subwords?.buckets ?? 0);
    const pretrainedFound = o.pretrainedVectors !== undefined && !resumed ? await applyPretrainedVectors(memory, plan, vocabulary.words, o.dim, o.pretrainedVectors) : undefined;
    const run = await runTraining(memory, plan, encoded, vocabulary, o, corpusTokens, resumed?.schedule.workers);
    if (initial && o.mergeSaved) mergeSavedVectors(memory, plan, initial, vocabulary.counts, vocabulary.size, o.subwords?.buckets ?? 0);
    const trainSeconds = seconds(trainStarted);
    if (o.saveState) {
      const shards = shardsOf(encoded.length, o.threads);
      const workers = shards.map(({ start, end }, t) => ({ start, end, epoch: run.epochsCompleted, position: start, ...readWorkerState(memory, plan, t) }));
      await writeTrainingState(o.saveState, captureState(memory, plan, vocabulary, o, { wordsDone: controlViews(memory, plan).wordsDone(), corpusTokens, workers }, distribution.counts));
    }

    // Words trained by this run (a resumed run started with some done).
    const totalWords = run.epochsCompleted * vocabulary.trainWords - (resumed?.schedule.wordsDone ?? 0);
    const model = (o.subwords ? subwordModel(memory, plan, distribution, o, corpusTokens) : wordModel(memory, plan, distribution, o)) as TrainedModel;
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
      losses: run.losses,
      memoryBytes: plan.layout.totalBytes,
      epochsCompleted: run.epochsCompleted,
      stoppedEarly: run.stoppedEarly || undefined,
      pausedSeconds: run.pausedSeconds,
      checkpoints: o.checkpoint && run.checkpoints,
      resumedFrom: resumed && { path: o.resume!, wordsDone: resumed.schedule.wordsDone },
      continued: merged && { knownWords: merged.knownWords, addedWords: merged.addedWords, merged: o.mergeSaved },
      pretrainedWords: pretrainedFound,
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

function tokenStoreNote(inMemory: boolean, trainWords: number): string {
  return inMemory
    ? `the encoded corpus (${trainWords} ids) stays in the shared memory (tokenStore "memory")`
    : `the encoded corpus (${trainWords} ids, ${formatBytes(trainWords * 4)}) goes to a temporary file, read in chunks (tokenStore "file")`;
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
  return fits && streamBytes <= totalMemoryBytes() / 4;
}

/** `vocabulary` gives the noise and subsampling tables; `trainWords` the ids each epoch trains on. */
function prepareMemory(memory: WebAssembly.Memory, plan: Word2VecLayout, vocabulary: Vocabulary, o: ResolvedWord2VecOptions, tree: HuffmanTree | undefined, trainWords: number): void {
  const { threshold, alias } = vocabulary.noiseDistribution(o.noisePower);
  new Uint32Array(memory.buffer, plan.noiseThreshold.offset, vocabulary.size).set(threshold);
  new Int32Array(memory.buffer, plan.noiseAlias.offset, vocabulary.size).set(alias);
  new Float32Array(memory.buffer, plan.keep.offset, vocabulary.size).set(vocabulary.keepProbabilities(o.sample || 1));
  new Float32Array(memory.buffer, plan.sigmoid.offset, 1000).set(sigmoidTable());
  writeLossTable(memory, plan);
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
    wordsTotal: o.epochs * trainWords,
    update: o.update,
    hs: o.hs,
    subwords: o.subwords !== undefined,
    loss: o.loss,
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

/** Ids per kernel call; tests lower it (WASM2VEC_CHUNK_IDS) to reach chunk boundaries inside an epoch of a small corpus. */
function chunkIdsPerCall(): number {
  const override = Number(globalThis.process?.env.WASM2VEC_CHUNK_IDS);
  return Number.isInteger(override) && override >= 1 ? override : CHUNK_IDS;
}

interface RunOutcome {
  epochsCompleted: number;
  stoppedEarly: boolean;
  pausedSeconds: number;
  checkpoints: { written: number; seconds: number };
  /** With the loss on: the mean loss per prediction of each epoch (NaN for epochs a resumed run did not train). */
  losses?: number[];
}

/** The workers' loss tallies summed (each worker adds its chunk's terms when the chunk ends). */
function lossTally(memory: WebAssembly.Memory, plan: Word2VecLayout, threads: number): { loss: number; predictions: number } {
  const tally = { loss: 0, predictions: 0 };
  for (let t = 0; t < threads; t++) {
    const w = workerLoss(memory, plan, t);
    tally.loss += w.loss;
    tally.predictions += w.predictions;
  }
  return tally;
}

/** Mean loss per prediction between two tallies; undefined when no prediction was made in between. */
function meanLoss(from: { loss: number; predictions: number }, to: { loss: number; predictions: number }): number | undefined {
  return to.predictions > from.predictions ? (to.loss - from.loss) / (to.predictions - from.predictions) : undefined;
}

/** Each worker's contiguous shard of the encoded corpus. */
function shardsOf(length: number, threads: number): { start: number; end: number }[] {
  return Array.from({ length: threads }, (_, t) => ({ start: Math.floor((length * t) / threads), end: Math.floor((length * (t + 1)) / threads) }));
}

async function runTraining(
  memory: WebAssembly.Memory, plan: Word2VecLayout, encoded: EncodedCorpus, vocabulary: Vocabulary, o: ResolvedWord2VecOptions, corpusTokens: number,
  resume?: WorkerSchedule[],
): Promise<RunOutcome> {
  const module = kernelModule();
  const control = controlViews(memory, plan);
  control.rendezvous.reset();
  const totalWords = o.epochs * vocabulary.trainWords;
  // Workers meet at epoch ends only when someone is waiting there: the default run never parks.
  const epochBarrier = o.onEpochEnd !== undefined || o.checkpoint !== undefined;
  const shards = shardsOf(encoded.length, o.threads);
  const tasks: Word2VecShardTask[] = plan.workers.map((w, t) => ({
    kind: 'word2vec',
    module,
    memory,
    config: plan.config.offset,
    worker: w.block.offset,
    start: shards[t].start,
    end: shards[t].end,
    from: resume && { epoch: resume[t].epoch, position: resume[t].position },
    epochs: o.epochs,
    chunkIds: chunkIdsPerCall(),
    rendezvous: plan.rendezvous.offset,
    index: t,
    threads: o.threads,
    epochBarrier,
    stream: encoded.kind === 'memory' ? { kind: 'memory', offset: encoded.offset } : { kind: 'file', path: encoded.path, buffer: w.chunk!.offset },
  }));
  const started = performance.now();
  // A resumed run's tallies start where the checkpoint left them: figures are differences.
  let tallied = lossTally(memory, plan, o.threads);
  let epochTallied = tallied;
  let loss: number | undefined;
  const progress = () => {
    if (o.loss) {
      const tally = lossTally(memory, plan, o.threads);
      loss = meanLoss(tallied, tally) ?? loss;
      tallied = tally;
    }
    const words = control.wordsDone();
    const elapsedSeconds = seconds(started);
    const fraction = Math.min(1, words / totalWords);
    report(o, {
      phase: 'train', fraction, words, elapsedSeconds,
      wordsPerSecond: elapsedSeconds > 0 ? words / elapsedSeconds : 0,
      alpha: Math.max(o.alpha * (1 - fraction), o.alpha * 1e-4),
      epoch: Math.min(o.epochs, Math.floor(fraction * o.epochs) + 1),
      loss,
    });
  };
  const outcome: RunOutcome = { epochsCompleted: o.epochs, stoppedEarly: false, pausedSeconds: 0, checkpoints: { written: 0, seconds: 0 } };
  const checkpoint = o.checkpoint;
  const writeCheckpoint = checkpoint && (async () => {
    const writeStarted = performance.now();
    const workers = workerSchedules(control.rendezvous.places(), shards, o.epochs, memory, plan);
    await writeTrainingState(checkpoint.path, captureState(memory, plan, vocabulary, o, { wordsDone: control.wordsDone(), corpusTokens, workers }));
    outcome.checkpoints.written++;
    outcome.checkpoints.seconds += seconds(writeStarted);
  });
  const running = runOnWorkers<Word2VecShardTask, ShardResult>(tasks, { signal: o.signal, stop: control.abort, onTick: o.onProgress && progress });
  const results = await runWithMeetings(running, control.abort, epochBarrier ? {
    rendezvous: control.rendezvous,
    firstEpoch: resume ? Math.min(...resume.map((w) => w.epoch)) + 1 : 1,
    epochs: o.epochs,
    pause: writeCheckpoint,
    pauseEverySeconds: checkpoint?.everySeconds,
    atEpochEnd: async (epoch, epochSeconds) => {
      // Every worker is parked at the epoch's end, so the tallies hold exactly this epoch's terms.
      const epochTally = lossTally(memory, plan, o.threads);
      const loss = o.loss ? meanLoss(epochTallied, epochTally) : undefined;
      epochTallied = epochTally;
      if (writeCheckpoint) await writeCheckpoint();
      if (!o.onEpochEnd) return true;
      const vectors = epochVectors(memory, plan, vocabulary, o, corpusTokens);
      return (await o.onEpochEnd({ epoch, epochs: o.epochs, loss, wordsPerSecond: vocabulary.trainWords / Math.max(epochSeconds, 1e-9), vectors })) !== false;
    },
  } : undefined, outcome);
  const diverged = results.find((r) => r.diverged)?.diverged;
  if (diverged) throw divergenceError(diverged, vocabulary, o);
  progress();
  if (o.loss) outcome.losses = epochLosses(results, outcome.epochsCompleted);
  return outcome;
}

/** Per epoch: the workers' terms of that epoch ÷ its predictions (NaN for an epoch no worker trained in this run). */
function epochLosses(results: ShardResult[], epochs: number): number[] {
  const sums = Array.from({ length: epochs }, () => ({ loss: 0, predictions: 0 }));
  for (const r of results) {
    for (const e of r.epochLosses) {
      if (e.epoch >= epochs) continue;
      sums[e.epoch].loss += e.loss;
      sums[e.epoch].predictions += e.predictions;
    }
  }
  return sums.map((s) => (s.predictions > 0 ? s.loss / s.predictions : NaN));
}

/** The vectors an epoch callback sees: a copy of every word's vector (composed from its n-grams with subwords). */
function epochVectors(memory: WebAssembly.Memory, plan: Word2VecLayout, vocabulary: Vocabulary, o: ResolvedWord2VecOptions, corpusTokens: number): KeyedVectors {
  if (!o.subwords) return wordModel(memory, plan, vocabulary, o);
  const model = subwordModel(memory, plan, vocabulary, o, corpusTokens);
  return new KeyedVectors(vocabulary.words.slice(), o.dim, model.vectors, Array.from(vocabulary.counts));
}

/** Reads a checkpoint and checks that this run's options are the checkpoint's. */
async function readResumableState(path: string, o: ResolvedWord2VecOptions): Promise<TrainingState> {
  const state = await readTrainingState(path);
  // Checked first: without the saved model, every option it gave would differ.
  checkSameOrigin(path, state, o);
  const differs = differingOption(state.options, o);
  if (differs) {
    throw new Wasm2VecError(
      `cannot resume from ${path}: option ${differs.name} is ${differs.now} but the checkpoint was trained with ${differs.saved}; resume with the checkpoint's options`,
    );
  }
  if (state.schedule.workers.length !== o.threads) throw new Wasm2VecError(`cannot resume from ${path}: it holds ${state.schedule.workers.length} workers' positions, this run has ${o.threads} threads`);
  return state;
}

/** A checkpoint of a continued run resumes only with the same saved model (initialModel), continued the same way. */
function checkSameOrigin(path: string, state: TrainingState, o: ResolvedWord2VecOptions): void {
  const then = state.options.continuedFrom as ContinuedFrom | undefined;
  const now = o.continuedFrom;
  if (!then && now) throw new Wasm2VecError(`cannot resume from ${path}: the checkpoint's run did not continue a saved model; resume without initialModel (--init)`);
  if (then && !now) {
    throw new Wasm2VecError(`cannot resume from ${path}: the checkpoint's run continued a saved model of ${then.knownWords} words; give the same initialModel (--init FILE) again`);
  }
  if (!then || !now) return;
  if (then.fingerprint !== now.fingerprint) {
    throw new Wasm2VecError(`cannot resume from ${path}: initialModel is not the saved model the checkpoint's run continued (fingerprint ${now.fingerprint}, the run's ${then.fingerprint}); give the same file`);
  }
  for (const name of ['updateVocabulary', 'mergeSaved'] as const) {
    if (then[name] !== now[name]) throw new Wasm2VecError(`cannot resume from ${path}: option ${name} is ${now[name]} but the checkpoint's run had ${then[name]}; resume with the checkpoint's options`);
  }
}

/** A resumed run must read the corpus the checkpoint was trained on: same vocabulary, counts and length. */
function checkSameCorpus(path: string, state: TrainingState, vocabulary: Vocabulary, corpusTokens: number): void {
  const differs = (what: string) =>
    new Wasm2VecError(`cannot resume from ${path}: the corpus is not the one it was trained on (${what}); give the same input`);
  if (corpusTokens !== state.schedule.corpusTokens) throw differs(`${corpusTokens} tokens, the checkpoint's corpus had ${state.schedule.corpusTokens}`);
  if (vocabulary.size !== state.words.length) throw differs(`${vocabulary.size} vocabulary words, the checkpoint has ${state.words.length}`);
  for (let i = 0; i < vocabulary.size; i++) {
    if (vocabulary.words[i] !== state.words[i] || vocabulary.counts[i] !== state.counts[i]) {
      throw differs(`word ${i} is ${JSON.stringify(vocabulary.words[i])} × ${vocabulary.counts[i]}, in the checkpoint ${JSON.stringify(state.words[i])} × ${state.counts[i]}`);
    }
  }
  const shards = shardsOf(vocabulary.trainWords, state.schedule.workers.length);
  state.schedule.workers.forEach((w, t) => {
    if (w.start !== shards[t].start || w.end !== shards[t].end) throw differs(`worker ${t}'s shard differs`);
    if (w.epoch > Number(state.options.epochs)) throw differs(`worker ${t} is in epoch ${w.epoch}`);
  });
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
