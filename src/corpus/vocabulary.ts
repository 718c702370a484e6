import { Wasm2VecError } from '../errors.js';
import { END_OF_LINE } from './tokenizer.js';
import type { IdSpool } from './id-spool.js';

/**
 * Counts words in one pass and records every token as a provisional id, so the corpus is read
 * once: the final, frequency-sorted ids are assigned afterwards by remapping.
 */
export class VocabularyCounter {
  private readonly index = new Map<string, number>();
  private readonly words: string[] = [];
  // Count per provisional id; −1 marks a word pruned by maxVocabSize.
  private readonly counts: number[] = [];
  private minReduce = 1;
  totalTokens = 0;

  constructor(
    private readonly spool: Pick<IdSpool, 'push'>,
    private readonly maxVocabSize = Number.POSITIVE_INFINITY,
  ) {
    this.idOf(END_OF_LINE);
  }

  private idOf(word: string): number {
    let id = this.index.get(word);
    if (id === undefined) {
      if (this.index.size >= this.maxVocabSize) this.prune();
      id = this.words.length;
      this.words.push(word);
      this.counts.push(0);
      this.index.set(word, id);
    }
    return id;
  }

  add(tokens: string[]): void {
    const index = this.index;
    const counts = this.counts;
    const spool = this.spool;
    for (let i = 0; i < tokens.length; i++) {
      let id = index.get(tokens[i]);
      if (id === undefined) id = this.idOf(tokens[i]);
      counts[id]++;
      spool.push(id);
    }
    this.totalTokens += tokens.length;
  }

  /** word2vec.c's ReduceVocab: drop words seen at most minReduce times, then raise the bar. */
  private prune(): void {
    for (const [word, id] of this.index) {
      if (word !== END_OF_LINE && this.counts[id] <= this.minReduce) {
        this.counts[id] = -1;
        this.index.delete(word);
      }
    }
    this.minReduce++;
  }

  /** This counter's words (in order of first appearance) and counts, to be merged into another. */
  snapshot(): TextCounterSnapshot {
    return { words: this.words.slice(), counts: this.counts.slice(), totalTokens: this.totalTokens };
  }

  /**
   * Adds the counts of a counter that saw the text right after this one's (not with maxVocabSize),
   * and returns the map from its provisional ids to this counter's: new words get ids in the order
   * the other counter first saw them, so counting in pieces and merging in order gives the ids of
   * one pass.
   */
  mergeFrom(other: TextCounterSnapshot): Int32Array {
    const map = new Int32Array(other.words.length);
    for (let i = 0; i < other.words.length; i++) {
      const id = this.idOf(other.words[i]);
      this.counts[id] += other.counts[i];
      map[i] = id;
    }
    this.totalTokens += other.totalTokens;
    return map;
  }

  finish(minCount: number, ties: VocabularyTies = 'first-seen'): { vocabulary: Vocabulary; remap: Int32Array } {
    return buildVocabulary(this.words, this.counts, minCount, ties);
  }
}

export interface TextCounterSnapshot {
  words: string[];
  counts: number[];
  totalTokens: number;
}

/**
 * How words of equal count are ordered: 'first-seen' (word2vec.c's sort leaves them unordered; this
 * is a stable choice), or 'bytes': by their UTF-8 bytes, as Stanford's vocab_count breaks ties
 * alphabetically (its scmp compares `char`s, so on platforms where char is signed, x86 among them,
 * words with bytes ≥ 0x80 sort before ASCII ones there; 'bytes' compares unsigned, as strcmp).
 */
export type VocabularyTies = 'first-seen' | 'bytes';

/**
 * Keeps words seen at least minCount times, sorted by count (ties: see VocabularyTies), with
 * END_OF_LINE (provisional id 0) pinned at id 0 as word2vec.c does. Provisional words that are the
 * same string (byte variants that decode alike) are merged. Returns the vocabulary and the
 * provisional→final id map (−1 for dropped words); counts of −1 mark pruned words.
 */
export function buildVocabulary(
  words: string[], counts: number[], minCount: number, ties: VocabularyTies = 'first-seen',
): { vocabulary: Vocabulary; remap: Int32Array } {
  const canonical = new Map<string, number>();
  const merged = counts.slice();
  const alias = new Int32Array(words.length);
  let realWords = 0;
  for (let id = 0; id < words.length; id++) {
    alias[id] = id;
    if (counts[id] < 0) continue;
    if (id > 0 && counts[id] > 0) realWords++;
    const first = canonical.get(words[id]);
    if (first === undefined) {
      canonical.set(words[id], id);
    } else {
      alias[id] = first;
      merged[first] += counts[id];
      merged[id] = -1;
    }
  }
  if (realWords === 0) throw new Wasm2VecError('the corpus is empty: it contains no words');
  const kept: number[] = [];
  for (let id = 1; id < words.length; id++) if (merged[id] >= minCount) kept.push(id);
  if (kept.length === 0) {
    const tokens = merged.reduce((a, c) => a + Math.max(c, 0), 0);
    throw new Wasm2VecError(`no word occurs at least ${minCount} times (minCount) in the corpus of ${tokens} tokens; lower minCount`);
  }
  if (ties === 'bytes') {
    const bytes = new Map(kept.map((id) => [id, Buffer.from(words[id], 'utf8')]));
    kept.sort((a, b) => merged[b] - merged[a] || Buffer.compare(bytes.get(a)!, bytes.get(b)!));
  } else {
    kept.sort((a, b) => merged[b] - merged[a] || a - b);
  }
  const order = [0, ...kept];
  const remap = new Int32Array(words.length).fill(-1);
  const finalWords: string[] = new Array(order.length);
  const finalCounts = new Float64Array(order.length);
  order.forEach((id, finalId) => {
    remap[id] = finalId;
    finalWords[finalId] = words[id];
    finalCounts[finalId] = merged[id];
  });
  for (let id = 0; id < words.length; id++) if (alias[id] !== id) remap[id] = remap[alias[id]];
  return { vocabulary: new Vocabulary(finalWords, finalCounts), remap };
}

/** The final vocabulary: words sorted by frequency, END_OF_LINE first. */
export class Vocabulary {
  readonly index: Map<string, number>;
  /** Occurrences of vocabulary words in the corpus: the number of ids training reads per epoch. */
  readonly trainWords: number;

  constructor(
    readonly words: string[],
    readonly counts: Float64Array,
  ) {
    this.index = new Map(words.map((w, i) => [w, i]));
    this.trainWords = counts.reduce((a, b) => a + b, 0);
  }

  get size(): number {
    return this.words.length;
  }

  /**
   * The negative-sampling distribution (count^power, END_OF_LINE excluded) as a Vose alias table:
   * column c is accepted when a uniform 32-bit coin is below threshold[c], otherwise alias[c] is drawn.
   * Exact and O(1) per draw, and small enough to stay in cache (8 bytes a word), unlike word2vec.c's
   * 10^8-entry table.
   */
  noiseDistribution(power = 0.75): { threshold: Uint32Array; alias: Int32Array } {
    const n = this.size;
    const weights = new Float64Array(n);
    let sum = 0;
    for (let i = 0; i < n; i++) {
      weights[i] = this.words[i] === END_OF_LINE ? 0 : Math.pow(this.counts[i], power);
      sum += weights[i];
    }
    const scaled = weights.map((w) => (w * n) / sum);
    const alias = new Int32Array(n);
    const probability = new Float64Array(n);
    const small: number[] = [];
    const large: number[] = [];
    scaled.forEach((p, i) => (p < 1 ? small : large).push(i));
    while (small.length > 0 && large.length > 0) {
      const s = small.pop()!;
      const l = large.pop()!;
      probability[s] = scaled[s];
      alias[s] = l;
      scaled[l] = scaled[l] + scaled[s] - 1;
      (scaled[l] < 1 ? small : large).push(l);
    }
    for (const i of large) (probability[i] = 1), (alias[i] = i);
    for (const i of small) (probability[i] = 1), (alias[i] = i); // only rounding leftovers
    const threshold = new Uint32Array(n);
    for (let i = 0; i < n; i++) threshold[i] = Math.min(0xffffffff, Math.round(probability[i] * 2 ** 32));
    return { threshold, alias };
  }

  /**
   * word2vec.c's subsampling: a word is kept when keep[w] ≥ a uniform draw, with
   * keep = (sqrt(c / (t·N)) + 1) · (t·N) / c. Values above 1 mean always kept.
   */
  keepProbabilities(sample: number): Float32Array {
    const keep = new Float32Array(this.size);
    const threshold = sample * this.trainWords;
    for (let i = 0; i < this.size; i++) {
      const c = this.counts[i];
      keep[i] = c === 0 ? Number.POSITIVE_INFINITY : (Math.sqrt(c / threshold) + 1) * (threshold / c);
    }
    return keep;
  }
}
