import { Wasm2VecError } from '../errors.js';
import { checkCorpusSource, type CorpusSource } from '../corpus/source.js';
import { TOKENIZE_OPTION_KEYS, resolveTextOptions, type ResolvedTextOptions, type TokenizeOptions } from '../corpus/tokenizer.js';
import { boolean, callback, integer, oneOf, real, rejectNullValues, rejectUnknownKeys, threadCount } from '../validate.js';
import { checkPhrasesOption, type PhrasesOption } from '../phrases/prepare.js';
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

export interface Word2VecOptions extends TokenizeOptions {
  /**
   * Corpus: a file path (plain or gzip), '-' for stdin, a Readable (raw text), an (async) iterable of
   * sentences (a string is one sentence, a string[] its words), or `{ text: chunks }` for raw text chunks.
   */
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
  /**
   * Phrases joined into the tokens as the corpus is read ("new york" → "new_york"): a Phrases object
   * (learnPhrases), a phrases file, or word2phrase settings ({ threshold, minCount, passes, scoring })
   * to learn them from the input file first.
   */
  phrases?: PhrasesOption;
  onProgress?: (event: ProgressEvent) => void;
  signal?: AbortSignal;
}

export type ResolvedWord2VecOptions = Required<Omit<Word2VecOptions, 'onProgress' | 'signal' | 'maxVocabSize' | 'model' | 'subwords' | 'phrases' | keyof TokenizeOptions>> &
  Pick<Word2VecOptions, 'onProgress' | 'signal' | 'phrases'> & Omit<ResolvedTextOptions, 'plain'> & {
    model: 'skipgram' | 'cbow';
    maxVocabSize: number;
    /** Subword n-grams, or undefined for plain word vectors. */
    subwords: SubwordSettings | undefined;
    /** Exponent of the noise distribution: 0.75 (word2vec.c) or 0.5 (fastText). */
    noisePower: number;
    /** Initial input vectors are uniform in ±initWidth / (2·dim): 1 (word2vec.c) or 2 (fastText). */
    initWidth: number;
  };

/** Every key of Word2VecOptions: anything else is rejected (JavaScript callers get no type check). */
export const WORD2VEC_OPTION_KEYS = [
  'input', 'model', 'subwords', 'dim', 'window', 'negative', 'hs', ...TOKENIZE_OPTION_KEYS, 'minCount', 'maxVocabSize',
  'sample', 'epochs', 'alpha', 'threads', 'seed', 'update', 'tokenStore', 'phrases', 'onProgress', 'signal',
] as const satisfies readonly (keyof Word2VecOptions)[];

/** word2vec.c, gensim and fastText spellings, named in the unknown-key message. */
const WORD2VEC_ALIASES: Record<string, string> = {
  size: 'dim', vector_size: 'dim', vectorSize: 'dim', iter: 'epochs', iterations: 'epochs', epoch: 'epochs',
  min_count: 'minCount', mincount: 'minCount', cbow: 'model', sg: 'model', workers: 'threads', thread: 'threads',
  lr: 'alpha', learningRate: 'alpha', train: 'input', corpus: 'input', dimension: 'dim', dimensions: 'dim',
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
  rejectUnknownKeys(options, WORD2VEC_OPTION_KEYS, 'train()', WORD2VEC_ALIASES);
  rejectNullValues(options, 'train()');
  if (options.input === undefined || options.input === '') throw new Wasm2VecError('option input is required: a corpus file, "-", a Readable or an iterable of sentences');
  checkCorpusSource(options.input);
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
  const tokenStore = oneOf('tokenStore', options.tokenStore ?? WORD2VEC_DEFAULTS.tokenStore, ['auto', 'memory', 'file'] as const);
  const hs = boolean('hs', options.hs ?? WORD2VEC_DEFAULTS.hs);
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
  const { tokenizer, lowercase, normalize, userDict } = resolveTextOptions(options);
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
    userDict,
    minCount: integer('minCount', options.minCount ?? WORD2VEC_DEFAULTS.minCount, 1, Number.MAX_SAFE_INTEGER),
    maxVocabSize: integer('maxVocabSize', options.maxVocabSize ?? Number.MAX_SAFE_INTEGER, 2, Number.MAX_SAFE_INTEGER),
    sample: real('sample', options.sample ?? (fastText ? 1e-4 : WORD2VEC_DEFAULTS.sample), 0, 1),
    epochs: integer('epochs', options.epochs ?? WORD2VEC_DEFAULTS.epochs, 1, 100_000),
    alpha: real('alpha', options.alpha ?? (model === 'cbow' || fastText ? 0.05 : 0.025), Number.MIN_VALUE, 10),
    threads: threadCount('threads', options.threads),
    seed: integer('seed', options.seed ?? WORD2VEC_DEFAULTS.seed, 0, Number.MAX_SAFE_INTEGER),
    tokenStore,
    phrases: checkPhrasesOption(options.phrases),
    onProgress: callback('onProgress', options.onProgress),
    signal: options.signal,
  };
}
