// The options of phrase learning (learnPhrases, `wasm2vec phrases`, train's `phrases`): one typed
// object, defaults from word2vec.c's word2phrase (threshold 100, min-count 5, one pass), validated
// once here; unknown keys are rejected.
import { Wasm2VecError } from '../errors.js';
import { checkCorpusSource, type CorpusSource } from '../corpus/source.js';
import { callback, integer, oneOf, real, rejectNullValues, rejectUnknownKeys, threadCount } from '../validate.js';
import type { PhraseScoring } from './counter.js';

export interface PhraseOptions {
  /** Scorer: word2phrase's (count(ab) − minCount) / (count(a) · count(b)) · N (default), or gensim's 'npmi'. */
  scoring?: PhraseScoring;
  /**
   * A pair is joined when its score is above this (word2phrase: 100; npmi: a number in [−1, 1],
   * default 0.5). One number for every pass, or one per pass (word2vec's demo-phrases.sh: [200, 100]).
   */
  threshold?: number | readonly number[];
  /** word2phrase's min-count (δ): words and pairs seen fewer times are never joined (default 5). */
  minCount?: number;
  /** Passes over the text; each pass can join a word to a phrase of the pass before (default 1). */
  passes?: number;
}

export interface LearnPhrasesOptions extends PhraseOptions {
  /** A corpus file path (split across threads when large), "-", a stream or sentences. */
  input: CorpusSource;
  /** Threads counting a large file (default: all cores). */
  threads?: number;
  /** Smallest file split across threads (default 16 MiB; tests lower it). */
  parallelMinBytes?: number;
  signal?: AbortSignal;
  /** Words counted so far in the current pass: at most every 250 ms, and once at each pass's end. */
  onProgress?: (event: { pass: number; words: number; done: boolean }) => void;
}

export interface ResolvedPhraseOptions {
  scoring: PhraseScoring;
  thresholds: number[];
  minCount: number;
  passes: number;
}

const PHRASE_KEYS = ['scoring', 'threshold', 'minCount', 'passes'] as const;
const LEARN_KEYS = [...PHRASE_KEYS, 'input', 'threads', 'parallelMinBytes', 'signal', 'onProgress'] as const;
const ALIASES = { 'min-count': 'minCount', min_count: 'minCount', train: 'input', iter: 'passes', scorer: 'scoring' };

/** Checks the scoring options (what train's `phrases: { … }` takes too). */
export function resolvePhraseOptions(options: PhraseOptions, what = 'phrases', known: readonly string[] = PHRASE_KEYS): ResolvedPhraseOptions {
  if (options === null || typeof options !== 'object') throw new Wasm2VecError(`${what}: options must be an object, got ${String(options)}`);
  rejectUnknownKeys(options, known, what, ALIASES);
  rejectNullValues(options, what);
  const scoring = oneOf('scoring', options.scoring ?? 'default', ['default', 'npmi'] as const);
  const passes = integer('passes', options.passes ?? 1, 1, 16);
  // word2phrase.c keeps pa = 0 after a join so the next word cannot join; with min-count 0 it would.
  const minCount = integer('minCount', options.minCount ?? 5, 1, 2 ** 31 - 1);
  const raw = options.threshold ?? (scoring === 'npmi' ? 0.5 : 100);
  const list = typeof raw === 'number' ? Array.from({ length: passes }, () => raw) : Array.isArray(raw) ? [...raw] : [raw as unknown as number];
  if (list.length !== passes) throw new Wasm2VecError(`option threshold has ${list.length} values for ${passes} passes: give one, or one per pass`);
  // word2phrase scores a pair it cannot score (a rare word) 0, so a negative threshold would join
  // every word to the one before it.
  const thresholds = list.map((t, k) => (scoring === 'npmi' ? real(`threshold[${k}]`, t, -1, 1) : real(`threshold[${k}]`, t, 0, 3.4e38)));
  return { scoring, thresholds, minCount, passes };
}

export interface ResolvedLearnPhrasesOptions extends ResolvedPhraseOptions {
  input: CorpusSource;
  threads: number;
  parallelMinBytes: number;
  signal?: AbortSignal;
  onProgress?: LearnPhrasesOptions['onProgress'];
}

export function resolveLearnPhrasesOptions(options: LearnPhrasesOptions): ResolvedLearnPhrasesOptions {
  const base = resolvePhraseOptions(options, 'learnPhrases', LEARN_KEYS);
  checkCorpusSource(options.input);
  return {
    ...base,
    input: options.input,
    threads: options.threads === undefined ? threadCount('threads', undefined) : threadCount('threads', options.threads),
    parallelMinBytes: integer('parallelMinBytes', options.parallelMinBytes ?? 16 << 20, 1, Number.MAX_SAFE_INTEGER),
    signal: options.signal,
    onProgress: callback('onProgress', options.onProgress),
  };
}
