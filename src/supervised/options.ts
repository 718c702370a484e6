// Options of the supervised trainer (fastText's text classifier), with fastText 0.9.2's defaults for
// `fasttext supervised` (except threads: all cores, at most 2 × cores), validated once here.
import { Wasm2VecError } from '../errors.js';
import { checkCorpusSource, type CorpusSource } from '../corpus/source.js';
import { TOKENIZE_OPTION_KEYS, resolveTextOptions, type TokenizeOptions } from '../corpus/tokenizer.js';
import { boolean, callback, integer, oneOf, real, rejectNullValues, rejectUnknownKeys, threadCount } from '../validate.js';

export type SupervisedLoss = 'softmax' | 'ova' | 'ns' | 'hs';

export interface SupervisedProgressEvent {
  phase: 'vocabulary' | 'encode' | 'train';
  /** 0..1 within the phase (training: tokens processed / epochs × tokens). */
  fraction: number;
  /** Tokens processed so far in the phase. */
  words: number;
  elapsedSeconds: number;
  /** Training only: the current learning rate. */
  lr?: number;
}

export interface SupervisedOptions extends TokenizeOptions {
  /** Training file in fastText's format: one example per line, its labels as `__label__X` tokens. */
  input: CorpusSource;
  /** Prefix that marks a token as a label (fastText -label). */
  label?: string;
  /** Vector dimension (fastText -dim). */
  dim?: number;
  /** Starting learning rate, decayed linearly to 0 (fastText -lr). */
  lr?: number;
  /** Passes over the training file (fastText -epoch). */
  epochs?: number;
  /** Words seen fewer times are dropped (fastText -minCount). */
  minCount?: number;
  /** Labels seen fewer times are dropped (fastText -minCountLabel). */
  minCountLabel?: number;
  /** Longest word n-gram (fastText -wordNgrams); 1 = words only. */
  wordNgrams?: number;
  /** Hash buckets of word and character n-grams (fastText -bucket; 0 when neither is on, as fastText). */
  bucket?: number;
  /** Character n-grams of words, minn..maxn characters (fastText -minn/-maxn; off by default). */
  minn?: number;
  maxn?: number;
  /** softmax (default), ova (one-vs-all, for multi-label), ns (negative sampling) or hs (hierarchical softmax). */
  loss?: SupervisedLoss;
  /** Negative labels per example with loss ns (fastText -neg). */
  neg?: number;
  /** Tokens between learning-rate refreshes (fastText -lrUpdateRate). */
  lrUpdateRate?: number;
  /**
   * Word vectors to start from (fastText -pretrainedVectors): any embedding file wasm2vec reads
   * (.vec, word2vec, GloVe; format detected), of dimension `dim`. Rows of dictionary words found in
   * it start from its vectors; words only in the file are not added (fastText adds them).
   */
  pretrainedVectors?: string;
  /** Worker threads (default: all available cores; at most twice the cores, at least 4). */
  threads?: number;
  seed?: number;
  /** Stop after the vocabulary pass and encoding and return the memory plan instead of training (`--dry-run`). */
  planOnly?: boolean;
  onProgress?: (event: SupervisedProgressEvent) => void;
  signal?: AbortSignal;
}

export type ResolvedSupervisedOptions = Required<Omit<SupervisedOptions, 'onProgress' | 'signal' | 'pretrainedVectors' | 'userDict'>> &
  Pick<SupervisedOptions, 'onProgress' | 'signal' | 'pretrainedVectors'>;

export const SUPERVISED_OPTION_KEYS = [
  'input', 'label', 'dim', 'lr', 'epochs', 'minCount', 'minCountLabel', 'wordNgrams', 'bucket', 'minn', 'maxn', 'loss', 'neg',
  'lrUpdateRate', 'pretrainedVectors', 'threads', 'seed', 'planOnly', ...TOKENIZE_OPTION_KEYS, 'onProgress', 'signal',
] as const satisfies readonly (keyof SupervisedOptions)[];

const SUPERVISED_ALIASES: Record<string, string> = {
  epoch: 'epochs', iter: 'epochs', alpha: 'lr', learningRate: 'lr', thread: 'threads', workers: 'threads', size: 'dim',
  negative: 'neg', buckets: 'bucket', pretrained: 'pretrainedVectors', pretrainedvectors: 'pretrainedVectors', labelPrefix: 'label', train: 'input', min_count: 'minCount',
};

/** fastText 0.9.2's defaults for supervised models. */
export const SUPERVISED_DEFAULTS = {
  label: '__label__',
  dim: 100,
  lr: 0.1,
  epochs: 5,
  minCount: 1,
  minCountLabel: 0,
  wordNgrams: 1,
  bucket: 2_000_000,
  minn: 0,
  maxn: 0,
  loss: 'softmax',
  neg: 5,
  lrUpdateRate: 100,
  seed: 0,
} as const;

export function resolveSupervisedOptions(options: SupervisedOptions): ResolvedSupervisedOptions {
  if (options === null || typeof options !== 'object') throw new Wasm2VecError('trainClassifier() needs an options object');
  rejectUnknownKeys(options, SUPERVISED_OPTION_KEYS, 'trainClassifier()', SUPERVISED_ALIASES);
  rejectNullValues(options, 'trainClassifier()');
  if (options.input === undefined || options.input === '') throw new Wasm2VecError('option input is required: a training file in fastText format, "-" or an async iterable');
  checkCorpusSource(options.input);
  const label = options.label ?? SUPERVISED_DEFAULTS.label;
  if (typeof label !== 'string' || label === '' || /\s/.test(label)) {
    throw new Wasm2VecError(`option label must be a non-empty prefix without spaces, got ${JSON.stringify(label)}`);
  }
  const minn = integer('minn', options.minn ?? SUPERVISED_DEFAULTS.minn, 0, 100);
  const maxn = integer('maxn', options.maxn ?? SUPERVISED_DEFAULTS.maxn, 0, 100);
  if (maxn > 0 && minn > maxn) throw new Wasm2VecError(`option minn (${minn}) must not exceed maxn (${maxn})`);
  if (maxn > 0 && minn === 0) throw new Wasm2VecError(`option minn must be at least 1 when maxn is ${maxn}`);
  const wordNgrams = integer('wordNgrams', options.wordNgrams ?? SUPERVISED_DEFAULTS.wordNgrams, 1, 100);
  // As fastText's Args::parseArgs: no n-grams of either kind, no buckets.
  const bucket = wordNgrams <= 1 && maxn === 0 ? 0 : integer('bucket', options.bucket ?? SUPERVISED_DEFAULTS.bucket, 1, 2 ** 31 - 1);
  const text = resolveTextOptions(options);
  if (text.tokenizer === 'jieba' || typeof text.tokenizer === 'object') {
    throw new Wasm2VecError('trainClassifier(): option tokenizer must be "whitespace", "unicode" or a function (jieba and tokenizer modules are not supported for classifiers yet)');
  }
  if (text.normalize && text.normalize.some((n) => n !== 'NFKC')) {
    throw new Wasm2VecError(`trainClassifier(): option normalize supports "NFKC" only, got ${JSON.stringify(options.normalize)}`);
  }
  return {
    input: options.input,
    label,
    dim: integer('dim', options.dim ?? SUPERVISED_DEFAULTS.dim, 1, 10_000),
    lr: real('lr', options.lr ?? SUPERVISED_DEFAULTS.lr, Number.MIN_VALUE, 100),
    epochs: integer('epochs', options.epochs ?? SUPERVISED_DEFAULTS.epochs, 1, 100_000),
    minCount: integer('minCount', options.minCount ?? SUPERVISED_DEFAULTS.minCount, 1, Number.MAX_SAFE_INTEGER),
    minCountLabel: integer('minCountLabel', options.minCountLabel ?? SUPERVISED_DEFAULTS.minCountLabel, 0, Number.MAX_SAFE_INTEGER),
    wordNgrams,
    bucket,
    minn: maxn === 0 ? 0 : minn,
    maxn,
    loss: oneOf('loss', options.loss ?? SUPERVISED_DEFAULTS.loss, ['softmax', 'ova', 'ns', 'hs'] as const),
    neg: integer('neg', options.neg ?? SUPERVISED_DEFAULTS.neg, 1, 1_000),
    lrUpdateRate: integer('lrUpdateRate', options.lrUpdateRate ?? SUPERVISED_DEFAULTS.lrUpdateRate, 1, 2 ** 31 - 1),
    pretrainedVectors: pretrainedPath(options.pretrainedVectors),
    threads: threadCount('threads', options.threads),
    seed: integer('seed', options.seed ?? SUPERVISED_DEFAULTS.seed, 0, Number.MAX_SAFE_INTEGER),
    planOnly: boolean('planOnly', options.planOnly ?? false),
    tokenizer: text.tokenizer,
    lowercase: text.lowercase,
    normalize: text.normalize && text.normalize.length > 0 ? 'NFKC' : false,
    onProgress: callback('onProgress', options.onProgress),
    signal: options.signal,
  };
}

function pretrainedPath(value: unknown): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || value === '') throw new Wasm2VecError(`option pretrainedVectors must be a file path, got ${JSON.stringify(value)}`);
  return value;
}
