import { Wasm2VecError } from '../errors.js';
import { checkCorpusSource, type CorpusSource } from '../corpus/source.js';
import { TOKENIZE_OPTION_KEYS, resolveTextOptions, type ResolvedTextOptions, type TokenizeOptions } from '../corpus/tokenizer.js';
import { boolean, callback, checkpointOption, describeValue, filePath, integer, oneOf, real, rejectNullValues, rejectUnknownKeys, threadCount } from '../validate.js';
import type { KeyedVectors } from '../model/index.js';
import type { TrainingState } from '../formats/wasm2vec-state.js';
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
  /**
   * Training with the loss on: the mean loss per prediction (see TrainingReport.losses) over the
   * chunks the workers finished since the previous event (workers add their tally at the end of
   * each chunk of ~262 000 ids); the previous figure when none finished in between.
   */
  loss?: number;
}

/** What `onEpochEnd` receives after each epoch, with every worker parked at the epoch's end. */
export interface EpochEndEvent {
  /** The epoch just completed, 1-based. */
  epoch: number;
  epochs: number;
  /** The epoch's mean training loss per prediction (see TrainingReport.losses); undefined with `loss: false`. */
  loss: number | undefined;
  /** Training words of this epoch per second of its wall time (the callbacks' time excluded). */
  wordsPerSecond: number;
  /**
   * A copy of the current word vectors (for subword models, each word's composed vector): training
   * goes on after the callback returns, so a view would change under whatever the callback keeps.
   */
  vectors: KeyedVectors;
}

/** Return false (or a promise of false) to stop training after this epoch; throw to fail the run. */
export type EpochEndCallback = (event: EpochEndEvent) => boolean | void | Promise<boolean | void>;

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
  /**
   * Tally the training loss (report.losses, `loss` in progress events). Default true; false skips
   * the tally in the kernel (bench/loss-cost.ts measures what it costs).
   */
  loss?: boolean;
  /**
   * Stop after the vocabulary pass and return the memory plan (src/runtime/memory-plan.ts: each
   * region, its sharing, the total, where the corpus stays) instead of training (`--dry-run`).
   */
  planOnly?: boolean;
  /** Where the encoded corpus lives while training: in the shared memory if it fits, or a temporary file. */
  tokenStore?: 'auto' | 'memory' | 'file';
  /**
   * Phrases joined into the tokens as the corpus is read ("new york" → "new_york"): a Phrases object
   * (learnPhrases), a phrases file, or word2phrase settings ({ threshold, minCount, passes, scoring })
   * to learn them from the input file first.
   */
  phrases?: PhrasesOption;
  onProgress?: (event: ProgressEvent) => void;
  /**
   * Called after every epoch with the vectors so far. The workers wait (parked, their pool kept)
   * while it runs; returning false ends training early with the vectors so far (report.stoppedEarly),
   * throwing rejects train() with that error. Unset, the workers never wait at epoch ends.
   */
  onEpochEnd?: EpochEndCallback;
  /**
   * Writes the full training state (src/formats/wasm2vec-state.ts: options, vocabulary with counts,
   * input, output and n-gram matrices, schedule position) to this file when training ends, atomically:
   * what `initialModel` continues from.
   */
  saveState?: string;
  /**
   * Writes the training state to `path` (atomically) every `everySeconds` (default 600) while training,
   * and at every epoch end; the workers park at their next chunk boundary meanwhile
   * (report.checkpoints). A run killed after a checkpoint continues with `resume`.
   */
  checkpoint?: { path: string; everySeconds?: number };
  /**
   * Continues a killed run from its checkpoint file: same corpus and options (checked: an error names
   * the first difference), each worker at its saved shard position and epoch with its random state,
   * and the same learning-rate schedule. A continued run's checkpoint needs the same initialModel
   * (and updateVocabulary, mergeSaved) again: it records the saved model's fingerprint.
   */
  resume?: string;
  /**
   * Continues training from a saved state (a .w2v file from saveState or checkpoint, or a
   * TrainingState) on `input`: known words keep their input and output vectors; options left unset
   * take the saved model's values (dim, model, subwords, hs, negative, window, sample, alpha,
   * minCount, update, tokenizer). See src/word2vec/continue.ts for the vocabulary and the schedule.
   */
  initialModel?: string | TrainingState;
  /** With initialModel: add the new text's words seen at least minCount times (gensim's build_vocab(update=True)). Default false. */
  updateVocabulary?: boolean;
  /**
   * With initialModel: when training ends, each saved word's input and output vectors become the
   * count-weighted mean of its saved and its continued vector, so what the saved model learnt is not
   * overwritten by the new text (see src/word2vec/continue.ts). Default true; false keeps the
   * continued vectors as they are (gensim's behaviour; domain adaptation, where the new text should win).
   */
  mergeSaved?: boolean;
  /** fastText's -pretrainedVectors: input vectors of the words found in this .vec/.txt/.bin file start from there (dim must match). */
  pretrainedVectors?: string;
  signal?: AbortSignal;
}

export type ResolvedWord2VecOptions = Required<Omit<Word2VecOptions, 'onProgress' | 'onEpochEnd' | 'signal' | 'maxVocabSize' | 'model' | 'subwords' | 'saveState' | 'checkpoint' | 'resume' | 'initialModel' | 'pretrainedVectors' | 'phrases' | keyof TokenizeOptions>> &
  Pick<Word2VecOptions, 'onProgress' | 'onEpochEnd' | 'signal' | 'saveState' | 'resume' | 'initialModel' | 'pretrainedVectors' | 'phrases'> & Omit<ResolvedTextOptions, 'plain'> & {
    model: 'skipgram' | 'cbow';
    maxVocabSize: number;
    /** Subword n-grams, or undefined for plain word vectors. */
    subwords: SubwordSettings | undefined;
    /** Exponent of the noise distribution: 0.75 (word2vec.c) or 0.5 (fastText). */
    noisePower: number;
    /** Initial input vectors are uniform in ±initWidth / (2·dim): 1 (word2vec.c) or 2 (fastText). */
    initWidth: number;
    checkpoint: { path: string; everySeconds: number } | undefined;
    /**
     * Set by train() (never by the caller) when continuing from initialModel with a checkpoint or a
     * resume: which saved model and how, saved with the options in checkpoints so that a resume can
     * check it continues the same.
     */
    continuedFrom?: ContinuedFrom;
  };

/** A continued run's origin, in its checkpoints' options. */
export interface ContinuedFrom {
  /** Words of the saved model, and a fingerprint of its words, counts and input rows (stateFingerprint). */
  knownWords: number;
  fingerprint: string;
  updateVocabulary: boolean;
  mergeSaved: boolean;
}

/** Every key of Word2VecOptions: anything else is rejected (JavaScript callers get no type check). */
export const WORD2VEC_OPTION_KEYS = [
  'input', 'model', 'subwords', 'dim', 'window', 'negative', 'hs', ...TOKENIZE_OPTION_KEYS, 'minCount', 'maxVocabSize',
  'sample', 'epochs', 'alpha', 'threads', 'seed', 'update', 'loss', 'planOnly', 'tokenStore', 'phrases', 'onProgress', 'onEpochEnd', 'saveState', 'checkpoint', 'resume', 'initialModel', 'updateVocabulary', 'mergeSaved', 'pretrainedVectors', 'signal',
] as const satisfies readonly (keyof Word2VecOptions)[];

/** word2vec.c, gensim and fastText spellings, named in the unknown-key message. */
const WORD2VEC_ALIASES: Record<string, string> = {
  size: 'dim', vector_size: 'dim', vectorSize: 'dim', iter: 'epochs', iterations: 'epochs', epoch: 'epochs',
  min_count: 'minCount', mincount: 'minCount', cbow: 'model', sg: 'model', workers: 'threads', thread: 'threads',
  lr: 'alpha', learningRate: 'alpha', compute_loss: 'loss', computeLoss: 'loss', train: 'input', corpus: 'input', dimension: 'dim', dimensions: 'dim',
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
  loss: true,
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
  if (options.updateVocabulary !== undefined && options.initialModel === undefined) throw new Wasm2VecError('option updateVocabulary needs initialModel (the saved model whose vocabulary it updates)');
  if (options.mergeSaved !== undefined && options.initialModel === undefined) throw new Wasm2VecError('option mergeSaved needs initialModel (the saved model whose vectors it merges in)');
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
    loss: boolean('loss', options.loss ?? WORD2VEC_DEFAULTS.loss),
    planOnly: boolean('planOnly', options.planOnly ?? false),
    phrases: checkPhrasesOption(options.phrases),
    onProgress: callback('onProgress', options.onProgress),
    onEpochEnd: callback('onEpochEnd', options.onEpochEnd),
    saveState: filePath('saveState', options.saveState),
    checkpoint: checkpointOption(options.checkpoint),
    resume: filePath('resume', options.resume),
    initialModel: initialModelOption(options.initialModel),
    updateVocabulary: boolean('updateVocabulary', options.updateVocabulary ?? false),
    mergeSaved: boolean('mergeSaved', options.mergeSaved ?? true),
    pretrainedVectors: filePath('pretrainedVectors', options.pretrainedVectors),
    signal: options.signal,
  };
}

function initialModelOption(value: unknown): string | TrainingState | undefined {
  if (value === undefined || typeof value === 'string') return filePath('initialModel', value);
  const state = value as Partial<TrainingState>;
  if (value === null || typeof value !== 'object' || !Array.isArray(state.words) || !state.input || !state.schedule) {
    throw new Wasm2VecError(`option initialModel must be a state file path (.w2v) or a TrainingState from readTrainingState(), got ${describeValue(value)}`);
  }
  return value as TrainingState;
}

/**
 * The options a continued run takes from its saved model when they are not given: the model's
 * shape (dim, model, subwords, hs, negative), its window, sampling, learning rate and tokenizer.
 */
export function inheritedOptions(saved: Record<string, unknown>): Partial<Word2VecOptions> {
  const out: Record<string, unknown> = {};
  const fastText = saved.initWidth === 2;
  if (saved.model === 'skipgram' || saved.model === 'cbow') out.model = fastText && saved.subwords ? `fasttext-${saved.model}` : saved.model;
  out.subwords = saved.subwords ?? false;
  for (const key of ['dim', 'window', 'negative', 'hs', 'sample', 'alpha', 'minCount', 'update', 'tokenizer', 'lowercase', 'normalize'] as const) {
    if (saved[key] !== undefined && saved[key] !== null) out[key] = saved[key];
  }
  return out as Partial<Word2VecOptions>;
}
