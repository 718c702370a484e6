// Options of trainSvd (count-based embeddings: PPMI + truncated SVD), validated once here. Defaults
// follow Levy, Goldberg & Dagan (TACL 2015) and their hyperwords scripts: window 2 with plain
// counts, context-distribution smoothing 0.75, no shift (neg 1), eigenvalue weighting 0.5.
import { Wasm2VecError } from '../errors.js';
import { boolean, callback, integer, oneOf, real, rejectNullValues, rejectUnknownKeys, threadCount } from '../validate.js';
import { TOKENIZE_OPTION_KEYS, resolveTextOptions, type ResolvedTextOptions, type TokenizeOptions } from '../corpus/tokenizer.js';
import { checkCorpusSource, type CorpusSource } from '../corpus/source.js';
import { defaultCountingMemory } from '../cooccur/count.js';
import type { CooccurrenceWeighting } from '../cooccur/count.js';

/** What trainSvd reports to `onProgress`. */
export interface SvdProgressEvent {
  phase: 'vocabulary' | 'cooccur' | 'ppmi' | 'svd';
  /** 0..1 within the phase. */
  fraction: number;
  /** Tokens read (vocabulary, cooccur) so far in the phase. */
  words: number;
  /** Seconds since the phase started. */
  elapsedSeconds: number;
}

export interface SvdOptions extends TokenizeOptions {
  /** Corpus: file path (plain or gzip), '-' for stdin, or an async iterable of text. */
  input?: CorpusSource;
  /** Also write the PPMI matrix here, in Matrix Market coordinate format (rows: words, columns: contexts, 1-based in vocabulary order). */
  savePpmi?: string;
  /** Vector dimension k (singular triplets kept). Default 100. */
  dim?: number;
  /** Context words on each side. Default 2 (hyperwords --win). */
  window?: number;
  /** Count right context as well as left. Default true. */
  symmetric?: boolean;
  /** Weight of a pair d words apart: 'uniform' 1 (default), 'linear' the dynamic window's expectation (hyperwords --dyn), 'harmonic' 1/d. */
  weighting?: CooccurrenceWeighting;
  /** Subsampling threshold t (hyperwords --sub with --del): a word of frequency f is dropped with probability 1 − √(t/f). 0 (default) keeps every word. */
  subsample?: number;
  /** Words seen fewer times are dropped. Default 5. */
  minCount?: number;
  /** Prune the vocabulary while counting when it grows past this size. */
  maxVocabSize?: number;
  /** Context-distribution smoothing α: P(c) ∝ #(c)^α. Default 0.75 (hyperwords --cds). */
  cds?: number;
  /** Shift: PMI − log(neg), then clipped at 0. Default 1 (no shift; hyperwords --neg). */
  neg?: number;
  /** Eigenvalue weighting p: W = U·Σ^p. Default 0.5 (hyperwords --eig). */
  eig?: number;
  /** Return W + C (C = V·Σ^p, the context vectors) instead of W. Default false (hyperwords --w+c). */
  addContexts?: boolean;
  /** L2-normalise the rows of W (and of C before adding), as hyperwords does. Default true. */
  normalizeVectors?: boolean;
  /** Oversampling p of the randomized SVD: the sketch has dim + oversamples columns. Default 10. */
  oversamples?: number;
  /** Power iterations q. Default 7 when dim < vocabulary/10, else 4 (scikit-learn's 'auto'). */
  powerIterations?: number;
  /** Soft limit in GiB for counting and the co-occurrence records (as trainGlove's). */
  memory?: number;
  /** Worker threads (default: all available cores; at most twice the cores, at least 4). */
  threads?: number;
  /** Seed for the test matrix and the subsampling. Default 1. */
  seed?: number;
  /** Directory for temporary files (default: the OS temporary directory). */
  tempDir?: string;
  /** Stop after the vocabulary pass and return the memory plan instead of training (`--dry-run`). */
  planOnly?: boolean;
  onProgress?: (event: SvdProgressEvent) => void;
  signal?: AbortSignal;
}

export interface ResolvedSvdOptions extends Omit<ResolvedTextOptions, 'plain'> {
  input: CorpusSource;
  savePpmi?: string;
  dim: number;
  window: number;
  symmetric: boolean;
  weighting: CooccurrenceWeighting;
  subsample: number;
  minCount: number;
  maxVocabSize: number;
  cds: number;
  neg: number;
  eig: number;
  addContexts: boolean;
  normalizeVectors: boolean;
  oversamples: number;
  powerIterations?: number;
  memory: number;
  memoryBytes: number;
  threads: number;
  seed: number;
  tempDir?: string;
  planOnly: boolean;
  onProgress?: (event: SvdProgressEvent) => void;
  signal?: AbortSignal;
}

export const SVD_DEFAULTS = {
  dim: 100,
  window: 2,
  symmetric: true,
  weighting: 'uniform',
  subsample: 0,
  minCount: 5,
  cds: 0.75,
  neg: 1,
  eig: 0.5,
  addContexts: false,
  normalizeVectors: true,
  oversamples: 10,
  seed: 1,
} as const;

/** Every key of SvdOptions: anything else is rejected. */
export const SVD_OPTION_KEYS = [
  'input', 'savePpmi', 'dim', 'window', 'symmetric', 'weighting', 'subsample', 'minCount', 'maxVocabSize', 'cds', 'neg', 'eig',
  'addContexts', 'normalizeVectors', 'oversamples', 'powerIterations', 'memory', 'threads', 'seed', 'tempDir', 'planOnly', ...TOKENIZE_OPTION_KEYS,
  'onProgress', 'signal',
] as const satisfies readonly (keyof SvdOptions)[];

/** hyperwords and scikit-learn spellings, named in the unknown-key message. */
const SVD_ALIASES: Record<string, string> = {
  win: 'window', sub: 'subsample', dyn: 'weighting', thr: 'minCount', min_count: 'minCount', size: 'dim', n_components: 'dim',
  n_oversamples: 'oversamples', n_iter: 'powerIterations', random_state: 'seed', workers: 'threads', wplusc: 'addContexts',
};

export function resolveSvdOptions(options: SvdOptions): ResolvedSvdOptions {
  if (options === null || typeof options !== 'object') throw new Wasm2VecError('trainSvd() needs an options object');
  rejectUnknownKeys(options, SVD_OPTION_KEYS, 'trainSvd()', SVD_ALIASES);
  rejectNullValues(options, 'trainSvd()');
  if (options.input === undefined || options.input === '') throw new Wasm2VecError('option input is required: a corpus file, "-", a Readable or an iterable of sentences');
  checkCorpusSource(options.input);
  if (options.savePpmi !== undefined && (typeof options.savePpmi !== 'string' || options.savePpmi === '')) throw new Wasm2VecError('option savePpmi must be a file path');
  if (options.tempDir !== undefined && (typeof options.tempDir !== 'string' || options.tempDir === '')) throw new Wasm2VecError('option tempDir must be a directory path');
  const memory = real('memory', options.memory ?? defaultCountingMemory(), 1 / 1024, 1024);
  return {
    input: options.input,
    savePpmi: options.savePpmi,
    dim: integer('dim', options.dim ?? SVD_DEFAULTS.dim, 1, 4_096),
    window: integer('window', options.window ?? SVD_DEFAULTS.window, 1, 10_000),
    symmetric: boolean('symmetric', options.symmetric ?? SVD_DEFAULTS.symmetric),
    weighting: oneOf('weighting', options.weighting ?? SVD_DEFAULTS.weighting, ['uniform', 'linear', 'harmonic'] as const),
    subsample: real('subsample', options.subsample ?? SVD_DEFAULTS.subsample, 0, 1),
    minCount: integer('minCount', options.minCount ?? SVD_DEFAULTS.minCount, 1, Number.MAX_SAFE_INTEGER),
    maxVocabSize: integer('maxVocabSize', options.maxVocabSize ?? Number.MAX_SAFE_INTEGER, 2, Number.MAX_SAFE_INTEGER),
    cds: real('cds', options.cds ?? SVD_DEFAULTS.cds, 0, 1),
    neg: real('neg', options.neg ?? SVD_DEFAULTS.neg, 1e-6, 1e6),
    eig: real('eig', options.eig ?? SVD_DEFAULTS.eig, 0, 1),
    addContexts: boolean('addContexts', options.addContexts ?? SVD_DEFAULTS.addContexts),
    normalizeVectors: boolean('normalizeVectors', options.normalizeVectors ?? SVD_DEFAULTS.normalizeVectors),
    oversamples: integer('oversamples', options.oversamples ?? SVD_DEFAULTS.oversamples, 0, 4_096),
    powerIterations: options.powerIterations === undefined ? undefined : integer('powerIterations', options.powerIterations, 0, 100),
    memory,
    memoryBytes: Math.floor(memory * 2 ** 30),
    threads: threadCount('threads', options.threads),
    seed: integer('seed', options.seed ?? SVD_DEFAULTS.seed, 0, Number.MAX_SAFE_INTEGER),
    ...resolveTextOptions(options),
    tempDir: options.tempDir,
    planOnly: boolean('planOnly', options.planOnly ?? false),
    onProgress: callback('onProgress', options.onProgress),
    signal: options.signal,
  };
}
