import { availableParallelism } from 'node:os';
import { Wasm2VecError } from '../errors.js';
import type { CorpusSource } from '../corpus/source.js';
import type { TokenizerOption } from '../corpus/tokenizer.js';
import { resolveSubwordOptions, type SubwordOptions, type SubwordSettings } from '../corpus/subwords.js';

/** What a long-running job reports to `onProgress`. */
export interface ProgressEvent {
  phase: 'vocabulary' | 'encode' | 'train' | 'save';
  /** 0..1 within the phase (training: words processed / epochs × training words). */
  fraction: number;
  /** Words processed so far in the phase. */
  words: number;
  /** Seconds since the phase started. */
  elapsedSeconds: number;
  /** Training only: words per second over the phase, and the current learning rate. */
  wordsPerSecond?: number;
  alpha?: number;
  epoch?: number;
}

export interface Word2VecOptions {
  /** Corpus: file path (plain or gzip), '-' for stdin, or an async iterable of text. */
  input: CorpusSource;
  /**
   * 'skipgram' or 'cbow' (word2vec.c), or 'fasttext-skipgram' / 'fasttext-cbow': fastText's
   * unsupervised models with character n-gram subwords and fastText's defaults (alpha 0.05,
   * sample 1e-4, noise distribution unigram^0.5, initial vectors in ±1/dim).
   */
  model?: 'skipgram' | 'cbow' | 'fasttext-skipgram' | 'fasttext-cbow';
  /**
   * Character n-gram subwords as fastText (default on for the fasttext models, off otherwise):
   * true for fastText's minn 3, maxn 6, 2 000 000 buckets, or your own. A word's vector is the mean
   * of its own row and its n-grams' rows, so the model also has vectors for unseen words. The
   * bucket rows live in the shared memory: buckets × dim × 4 bytes must fit in wasm32's 4 GiB.
   */
  subwords?: SubwordOptions | boolean;
  /** Vector dimension (word2vec.c -size). */
  dim?: number;
  /** Maximum context distance; each centre word draws its own window in 1..window (word2vec.c -window). */
  window?: number;
  /** Noise words per positive pair (word2vec.c -negative); 0 turns negative sampling off (needs hs). */
  negative?: number;
  /**
   * Hierarchical softmax over a Huffman tree of the vocabulary (word2vec.c -hs 1). As in word2vec.c
   * it adds to negative sampling (default negative 5); set negative: 0 for hierarchical softmax alone.
   */
  hs?: boolean;
  /**
   * How text is split into words: 'whitespace' (default, word2vec.c), 'unicode' (Intl.Segmenter word
   * boundaries, for Chinese, Japanese, Thai and other unspaced scripts; punctuation dropped), or a
   * function from a piece of text (never containing '\n') to its words. Every '\n' ends a sentence.
   */
  tokenizer?: TokenizerOption;
  /** Lowercase the text before splitting it (default false). */
  lowercase?: boolean;
  /** Unicode normalisation applied before splitting: 'NFKC' or false (default). */
  normalize?: 'NFKC' | false;
  /** Words seen fewer times are dropped (word2vec.c -min-count). */
  minCount?: number;
  /** Prune the vocabulary while counting when it grows past this size, as word2vec.c's ReduceVocab. */
  maxVocabSize?: number;
  /** Subsampling threshold for frequent words; 0 turns it off (word2vec.c -sample). */
  sample?: number;
  /** Passes over the corpus (word2vec.c -iter). */
  epochs?: number;
  /** Starting learning rate, decayed linearly to alpha·1e-4 (default 0.025 skip-gram, 0.05 CBOW and the fasttext models). */
  alpha?: number;
  /** Worker threads (default: all available cores). */
  threads?: number;
  /** Seed for initialisation and sampling; equal seeds give equal runs with one thread. */
  seed?: number;
  /**
   * Skip-gram update: 'classic' (word2vec.c: each context word draws its own noise words) or
   * 'batched' (HogBatch: the context words of a centre word share one draw, updated as a minibatch).
   * Default: batched for skip-gram with negative sampling; CBOW and hierarchical softmax always
   * use the classic update.
   */
  update?: 'classic' | 'batched';
  /** Where the encoded corpus lives while training: in the shared memory if it fits, or a temporary file. */
  tokenStore?: 'auto' | 'memory' | 'file';
  onProgress?: (event: ProgressEvent) => void;
  signal?: AbortSignal;
}

export type ResolvedWord2VecOptions = Required<Omit<Word2VecOptions, 'onProgress' | 'signal' | 'maxVocabSize' | 'model' | 'subwords'>> &
  Pick<Word2VecOptions, 'onProgress' | 'signal'> & {
    model: 'skipgram' | 'cbow';
    maxVocabSize: number;
    /** Subword n-grams, or undefined for plain word vectors. */
    subwords: SubwordSettings | undefined;
    /** Exponent of the noise distribution: 0.75 (word2vec.c) or 0.5 (fastText). */
    noisePower: number;
    /** Initial input vectors are uniform in ±initWidth / (2·dim): 1 (word2vec.c) or 2 (fastText). */
    initWidth: number;
  };

/** Defaults of word2vec.c (except threads: all cores). */
export const WORD2VEC_DEFAULTS = {
  model: 'skipgram',
  dim: 100,
  window: 5,
  negative: 5,
  minCount: 5,
  sample: 1e-3,
  epochs: 5,
  seed: 1,
  tokenStore: 'auto',
  hs: false,
  tokenizer: 'whitespace',
} as const;

export function resolveWord2VecOptions(options: Word2VecOptions): ResolvedWord2VecOptions {
  if (options === null || typeof options !== 'object') throw new Wasm2VecError('train() needs an options object');
  if (options.input === undefined || options.input === '') throw new Wasm2VecError('option input is required: a corpus file, "-" or an async iterable');
  const requested = options.model ?? WORD2VEC_DEFAULTS.model;
  if (!['skipgram', 'cbow', 'fasttext-skipgram', 'fasttext-cbow'].includes(requested)) {
    throw new Wasm2VecError(`option model must be "skipgram", "cbow", "fasttext-skipgram" or "fasttext-cbow", got ${JSON.stringify(requested)}`);
  }
  const fastText = requested.startsWith('fasttext-');
  const model = requested.endsWith('cbow') ? 'cbow' : 'skipgram';
  const subwordOption = options.subwords ?? fastText;
  if (fastText && subwordOption === false) {
    throw new Wasm2VecError(`option model "${requested}" trains subwords; use model "${model}" for plain word vectors`);
  }
  const subwords = subwordOption === false ? undefined : resolveSubwordOptions(subwordOption);
  const maxn0 = subwords?.maxn === 0;
  const tokenStore = options.tokenStore ?? WORD2VEC_DEFAULTS.tokenStore;
  if (!['auto', 'memory', 'file'].includes(tokenStore)) throw new Wasm2VecError(`option tokenStore must be auto, memory or file, got ${JSON.stringify(tokenStore)}`);
  const hs = options.hs ?? WORD2VEC_DEFAULTS.hs;
  if (typeof hs !== 'boolean') throw new Wasm2VecError(`option hs must be true or false, got ${JSON.stringify(hs)}`);
  // Batched skip-gram is faster at equal or better quality (see README), so it is the default
  // where it applies; CBOW and hierarchical softmax use the classic update. With subwords,
  // 'batched' means one mean row and one update of the centre word's rows per window.
  const update = options.update ?? (model === 'skipgram' && (!hs || subwords) ? 'batched' : 'classic');
  if (update !== 'classic' && update !== 'batched') throw new Wasm2VecError(`option update must be "classic" or "batched", got ${JSON.stringify(update)}`);
  if (!hs && options.negative === 0) {
    throw new Wasm2VecError('option negative is 0 and hs is off: nothing would be trained; turn on hierarchical softmax (hs) or use negative ≥ 1');
  }
  const negative = integer('negative', options.negative ?? WORD2VEC_DEFAULTS.negative, hs ? 0 : 1, 1_000);
  if (hs && update === 'batched' && !subwords) {
    throw new Wasm2VecError('option update "batched" is for negative sampling only; hierarchical softmax (hs) uses the classic update');
  }
  const tokenizer = options.tokenizer ?? WORD2VEC_DEFAULTS.tokenizer;
  if (tokenizer !== 'whitespace' && tokenizer !== 'unicode' && typeof tokenizer !== 'function') {
    throw new Wasm2VecError(`option tokenizer must be "whitespace", "unicode" or a function (text) => string[], got ${JSON.stringify(tokenizer)}`);
  }
  const lowercase = options.lowercase ?? false;
  if (typeof lowercase !== 'boolean') throw new Wasm2VecError(`option lowercase must be true or false, got ${JSON.stringify(lowercase)}`);
  const normalize = options.normalize ?? false;
  if (normalize !== false && normalize !== 'NFKC') throw new Wasm2VecError(`option normalize must be "NFKC" or false, got ${JSON.stringify(normalize)}`);
  return {
    input: options.input,
    update,
    model,
    subwords: maxn0 ? undefined : subwords,
    noisePower: fastText ? 0.5 : 0.75,
    initWidth: fastText ? 2 : 1,
    dim: integer('dim', options.dim ?? WORD2VEC_DEFAULTS.dim, 1, 10_000),
    window: integer('window', options.window ?? WORD2VEC_DEFAULTS.window, 1, 1_000),
    negative,
    hs,
    tokenizer,
    lowercase,
    normalize,
    minCount: integer('minCount', options.minCount ?? WORD2VEC_DEFAULTS.minCount, 1, Number.MAX_SAFE_INTEGER),
    maxVocabSize: integer('maxVocabSize', options.maxVocabSize ?? Number.MAX_SAFE_INTEGER, 2, Number.MAX_SAFE_INTEGER),
    sample: real('sample', options.sample ?? (fastText ? 1e-4 : WORD2VEC_DEFAULTS.sample), 0, 1),
    epochs: integer('epochs', options.epochs ?? WORD2VEC_DEFAULTS.epochs, 1, 100_000),
    alpha: real('alpha', options.alpha ?? (model === 'cbow' || fastText ? 0.05 : 0.025), Number.MIN_VALUE, 10),
    threads: integer('threads', options.threads ?? availableParallelism(), 1, 1_024),
    seed: integer('seed', options.seed ?? WORD2VEC_DEFAULTS.seed, 0, Number.MAX_SAFE_INTEGER),
    tokenStore,
    onProgress: callback('onProgress', options.onProgress),
    signal: options.signal,
  };
}

export function integer(name: string, value: unknown, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new Wasm2VecError(`option ${name} must be an integer from ${min} to ${max}, got ${JSON.stringify(value)}`);
  }
  return value;
}

export function real(name: string, value: unknown, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > max) {
    throw new Wasm2VecError(`option ${name} must be a number from ${min} to ${max}, got ${JSON.stringify(value)}`);
  }
  return value;
}

function callback<T>(name: string, value: T | undefined): T | undefined {
  if (value !== undefined && typeof value !== 'function') throw new Wasm2VecError(`option ${name} must be a function`);
  return value;
}
