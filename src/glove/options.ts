import { Wasm2VecError } from '../errors.js';
import { defaultCountingMemory } from '../cooccur/count.js';
import { boolean, callback, checkpointOption, describeValue, filePath, integer, oneOf, real, rejectNullValues, rejectUnknownKeys, threadCount } from '../validate.js';
import type { GloveTrainingState } from '../formats/wasm2vec-state.js';
import type { KeyedVectors } from '../model/index.js';
import { TOKENIZE_OPTION_KEYS, resolveTextOptions, type ResolvedTextOptions, type TokenizeOptions } from '../corpus/tokenizer.js';
import { checkPhrasesOption, type PhrasesOption } from '../phrases/prepare.js';
import { checkCorpusSource, type CorpusSource } from '../corpus/source.js';

/** What trainGlove reports to `onProgress`. */
export interface GloveProgressEvent {
  phase: 'vocabulary' | 'cooccur' | 'shuffle' | 'train' | 'save';
  /** 0..1 within the phase. */
  fraction: number;
  /** Tokens read (vocabulary, cooccur) or records trained (train) so far in the phase. */
  words: number;
  /** Seconds since the phase started. */
  elapsedSeconds: number;
  /** Training: records (word pairs) trained per second over the phase. */
  pairsPerSecond?: number;
  /** Training: the current iteration (1-based). */
  epoch?: number;
  /** Training: mean cost J/N of the last finished iteration (`iteration` of them), as glove.c prints it. */
  cost?: number;
  iteration?: number;
  /** Training: the mean cost of every finished iteration so far. */
  costs?: readonly number[];
}

/** What `onEpochEnd` receives after each iteration, with every worker parked at its end. */
export interface GloveEpochEndEvent {
  /** The iteration just completed, 1-based (counting a continued run's saved iterations). */
  epoch: number;
  epochs: number;
  /** The iteration's mean cost J/N (report.costs). */
  cost: number;
  /** The same figure, under word2vec's name. */
  loss: number;
  /** Records trained per second over the iteration (the callbacks' time excluded). */
  pairsPerSecond: number;
  /** A copy of the current vectors, in the `vectors` form. */
  vectors: KeyedVectors;
}

/** Return false (or a promise of false) to stop after this iteration; throw to fail the run. */
export type GloveEpochEndCallback = (event: GloveEpochEndEvent) => boolean | void | Promise<boolean | void>;

/** Which vectors trainGlove returns: W + W̃ (glove.c -model 2), W (-model 1), W ‖ W̃, or W b W̃ b̃ (-model 0). */
export type GloveVectors = 'sum' | 'word' | 'both' | 'all';

export interface GloveOptions extends TokenizeOptions {
  /** Corpus, as for train(): a file path, '-', a Readable, an (async) iterable of sentences or `{ text: chunks }`. */
  input?: CorpusSource;
  /** Train on a co-occurrence file written by `saveCooccur` instead of counting a corpus. */
  cooccur?: string;
  /** Also write the counted co-occurrences here (format in src/cooccur/record-file.ts). */
  saveCooccur?: string;
  /** Vector dimension (glove.c -vector-size). Default 100. */
  dim?: number;
  /** Context words on each side (cooccur -window-size). Default 10. */
  window?: number;
  /** Count right context as well as left (cooccur -symmetric 1). Default true. */
  symmetric?: boolean;
  /** Words seen fewer times are dropped (vocab_count -min-count). Default 5. */
  minCount?: number;
  /** Prune the vocabulary while counting when it grows past this size. */
  maxVocabSize?: number;
  /** Phrases joined into the tokens as the corpus is read, as train()'s `phrases`. */
  phrases?: PhrasesOption;
  /** Pairs of word ranks with a product below this are counted in a dense table (cooccur -max-product); default from `memory`. */
  maxProduct?: number;
  /** Weighting function cutoff (glove.c -x-max). Default 100. */
  xMax?: number;
  /** Weighting function exponent (glove.c -alpha). Default 0.75. */
  alpha?: number;
  /** Iterations over the co-occurrence records (glove.c -iter). Default 25. */
  epochs?: number;
  /** Initial AdaGrad learning rate (glove.c -eta). Default 0.05. */
  learningRate?: number;
  /** Each gradient component is clipped to ±gradClip (glove.c -grad-clip). Default 100. */
  gradClip?: number;
  /**
   * Soft limit in GiB for counting, shuffling and the co-occurrence records (cooccur/shuffle -memory);
   * the model's matrices come on top. Beyond it, runs and records go to temporary files.
   * Default: half the RAM, at most 3 GiB.
   */
  memory?: number;
  /** Worker threads (default: all available cores). */
  threads?: number;
  /** Seed for the shuffle and the initial vectors. */
  seed?: number;
  /** Which vectors to return. Default 'sum' (W + W̃). */
  vectors?: GloveVectors;
  /** Directory for temporary files (default: the OS temporary directory). */
  tempDir?: string;
  /** Stop after the vocabulary pass and return the memory plan instead of training (`--dry-run`). */
  planOnly?: boolean;
  onProgress?: (event: GloveProgressEvent) => void;
  /**
   * Called after every iteration with the vectors so far; the workers wait (parked, their pool kept)
   * while it runs; returning false ends training early with the vectors so far (report.stoppedEarly),
   * throwing rejects trainGlove() with that error. Unset, the workers never wait at iteration ends.
   */
  onEpochEnd?: GloveEpochEndCallback;
  /**
   * Writes the full training state (src/formats/wasm2vec-state.ts, version 2: options, vocabulary with
   * counts, W, W̃, biases and AdaGrad's sums, iterations done and their costs) here when training ends,
   * atomically: what `initialModel` continues from.
   */
  saveState?: string;
  /**
   * Writes the training state to `path` (atomically) at the first iteration end after every
   * `everySeconds` (default 600), and at the last; the workers wait at that iteration end meanwhile
   * (report.checkpoints). A run killed after a checkpoint continues with `resume`.
   */
  checkpoint?: { path: string; everySeconds?: number };
  /**
   * Continues a killed run from its checkpoint: same corpus (or co-occurrence file) and options
   * (checked: an error names the first difference); the co-occurrences are counted again, the
   * vectors, biases and AdaGrad sums restored, and training goes on at the next iteration.
   */
  resume?: string;
  /**
   * Trains `epochs` more iterations from a saved state (saveState or checkpoint file, or a
   * GloveTrainingState) with its AdaGrad sums (GloVe #170): on the same corpus or a new one, counted
   * over the saved vocabulary (words not in it are dropped; the vocabulary is never extended). Options
   * left unset take the saved values (dim, xMax, alpha, learningRate, gradClip, seed, memory, and
   * with `input` the counting options window, symmetric, maxProduct, tokenizer).
   */
  initialModel?: string | GloveTrainingState;
  signal?: AbortSignal;
}

export interface ResolvedGloveOptions extends ResolvedTextOptions {
  input?: CorpusSource;
  cooccur?: string;
  saveCooccur?: string;
  dim: number;
  window: number;
  symmetric: boolean;
  minCount: number;
  maxVocabSize: number;
  phrases?: PhrasesOption;
  maxProduct?: number;
  xMax: number;
  alpha: number;
  epochs: number;
  learningRate: number;
  gradClip: number;
  memory: number;
  memoryBytes: number;
  threads: number;
  seed: number;
  vectors: GloveVectors;
  tempDir?: string;
  planOnly: boolean;
  onProgress?: (event: GloveProgressEvent) => void;
  onEpochEnd?: GloveEpochEndCallback;
  saveState?: string;
  checkpoint?: { path: string; everySeconds: number };
  resume?: string;
  initialModel?: string | GloveTrainingState;
  signal?: AbortSignal;
}

const GIB = 2 ** 30;

/**
 * Defaults. From Stanford's glove.c: xMax 100, alpha 0.75, learning rate 0.05, 25 iterations, gradient
 * clip 100, W + W̃ output. Window 10 as in the GloVe paper (cooccur's own default is 15), dim 100
 * (glove.c's is 50), minCount 5 (as word2vec.c and GloVe's demo.sh; vocab_count's is 1).
 */
export const GLOVE_DEFAULTS = {
  dim: 100,
  window: 10,
  symmetric: true,
  minCount: 5,
  xMax: 100,
  alpha: 0.75,
  epochs: 25,
  learningRate: 0.05,
  gradClip: 100,
  seed: 1,
  vectors: 'sum',
} as const;

/** GloVe's default memory budget in GiB: the co-occurrence engine's (src/cooccur/count.ts). */
export const defaultGloveMemory = defaultCountingMemory;

const COUNTING_OPTIONS = ['window', 'symmetric', 'minCount', 'maxVocabSize', 'maxProduct', 'phrases', ...TOKENIZE_OPTION_KEYS] as const;

/** Every key of GloveOptions: anything else is rejected (JavaScript callers get no type check). */
export const GLOVE_OPTION_KEYS = [
  'input', 'cooccur', 'saveCooccur', 'dim', 'window', 'symmetric', 'minCount', 'maxVocabSize', 'maxProduct', 'xMax', 'alpha',
  'epochs', 'learningRate', 'gradClip', 'memory', 'threads', 'seed', 'vectors', 'tempDir', 'planOnly', 'phrases', ...TOKENIZE_OPTION_KEYS, 'onProgress', 'onEpochEnd', 'saveState', 'checkpoint', 'resume', 'initialModel', 'signal',
] as const satisfies readonly (keyof GloveOptions)[];

/** Stanford GloVe and gensim spellings, named in the unknown-key message. */
const GLOVE_ALIASES: Record<string, string> = {
  vectorSize: 'dim', vector_size: 'dim', size: 'dim', iter: 'epochs', iterations: 'epochs', eta: 'learningRate',
  x_max: 'xMax', windowSize: 'window', window_size: 'window', min_count: 'minCount', workers: 'threads',
};

export function resolveGloveOptions(options: GloveOptions): ResolvedGloveOptions {
  if (options === null || typeof options !== 'object') throw new Wasm2VecError('trainGlove() needs an options object');
  rejectUnknownKeys(options, GLOVE_OPTION_KEYS, 'trainGlove()', GLOVE_ALIASES);
  rejectNullValues(options, 'trainGlove()');
  const hasInput = options.input !== undefined && options.input !== '';
  if (hasInput) checkCorpusSource(options.input);
  if (options.cooccur !== undefined) {
    if (typeof options.cooccur !== 'string' || options.cooccur === '') throw new Wasm2VecError('option cooccur must be a file path');
    if (hasInput) throw new Wasm2VecError('give either input (a corpus to count) or cooccur (a co-occurrence file), not both');
    for (const name of COUNTING_OPTIONS) {
      if (options[name] !== undefined) throw new Wasm2VecError(`option ${name} does not apply when training from a co-occurrence file (it was fixed when the file was counted)`);
    }
    if (options.saveCooccur !== undefined) throw new Wasm2VecError('option saveCooccur does not apply when training from a co-occurrence file');
  } else if (!hasInput) {
    throw new Wasm2VecError('option input is required: a corpus file, "-", a Readable or an iterable of sentences (or cooccur: a co-occurrence file)');
  }
  if (options.saveCooccur !== undefined && (typeof options.saveCooccur !== 'string' || options.saveCooccur === '')) {
    throw new Wasm2VecError('option saveCooccur must be a file path');
  }
  const symmetric = boolean('symmetric', options.symmetric ?? GLOVE_DEFAULTS.symmetric);
  const vectors = oneOf('vectors', options.vectors ?? GLOVE_DEFAULTS.vectors, ['sum', 'word', 'both', 'all'] as const);
  if (options.tempDir !== undefined && (typeof options.tempDir !== 'string' || options.tempDir === '')) throw new Wasm2VecError('option tempDir must be a directory path');
  const memory = real('memory', options.memory ?? defaultGloveMemory(), 1 / 1024, 1024);
  if (options.resume !== undefined && options.initialModel !== undefined) {
    throw new Wasm2VecError('options resume and initialModel exclude each other: resume continues a killed run as it was, initialModel trains a saved model further');
  }
  const initialModel = options.initialModel;
  if (initialModel !== undefined && typeof initialModel !== 'string' && (initialModel === null || typeof initialModel !== 'object' || initialModel.trainer !== 'glove')) {
    throw new Wasm2VecError(`option initialModel must be a GloVe state file path (.w2v) or a GloveTrainingState from readGloveState(), got ${describeValue(initialModel)}`);
  }
  return {
    input: hasInput ? options.input : undefined,
    cooccur: options.cooccur,
    saveCooccur: options.saveCooccur,
    dim: integer('dim', options.dim ?? GLOVE_DEFAULTS.dim, 1, 10_000),
    window: integer('window', options.window ?? GLOVE_DEFAULTS.window, 1, 10_000),
    symmetric,
    minCount: integer('minCount', options.minCount ?? GLOVE_DEFAULTS.minCount, 1, Number.MAX_SAFE_INTEGER),
    maxVocabSize: integer('maxVocabSize', options.maxVocabSize ?? Number.MAX_SAFE_INTEGER, 2, Number.MAX_SAFE_INTEGER),
    phrases: checkPhrasesOption(options.phrases),
    maxProduct: options.maxProduct === undefined ? undefined : integer('maxProduct', options.maxProduct, 0, Number.MAX_SAFE_INTEGER),
    xMax: real('xMax', options.xMax ?? GLOVE_DEFAULTS.xMax, Number.MIN_VALUE, 1e12),
    alpha: real('alpha', options.alpha ?? GLOVE_DEFAULTS.alpha, 0, 10),
    epochs: integer('epochs', options.epochs ?? GLOVE_DEFAULTS.epochs, 1, 100_000),
    learningRate: real('learningRate', options.learningRate ?? GLOVE_DEFAULTS.learningRate, Number.MIN_VALUE, 10),
    gradClip: real('gradClip', options.gradClip ?? GLOVE_DEFAULTS.gradClip, Number.MIN_VALUE, 1e30),
    memory,
    memoryBytes: Math.floor(memory * GIB),
    threads: threadCount('threads', options.threads),
    seed: integer('seed', options.seed ?? GLOVE_DEFAULTS.seed, 0, Number.MAX_SAFE_INTEGER),
    vectors,
    ...resolveTextOptions(options),
    tempDir: options.tempDir,
    planOnly: boolean('planOnly', options.planOnly ?? false),
    onProgress: callback('onProgress', options.onProgress),
    onEpochEnd: callback('onEpochEnd', options.onEpochEnd),
    saveState: filePath('saveState', options.saveState),
    checkpoint: checkpointOption(options.checkpoint),
    resume: filePath('resume', options.resume),
    initialModel: typeof initialModel === 'string' ? filePath('initialModel', initialModel) : initialModel,
    signal: options.signal,
  };
}
