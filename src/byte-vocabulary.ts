import { AbortError } from './errors.js';
import { readCorpusBytes, type CorpusSource } from './corpus.js';
import { END_OF_LINE } from './tokenizer.js';
import { buildVocabulary, type Vocabulary, type VocabularyTies } from './vocabulary.js';
import type { IdSpool } from './token-stream.js';

/** Words longer than this many bytes are truncated (word2vec.c truncates at 100). */
export const MAX_WORD_BYTES = 4096;

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

/**
 * The whitespace tokenizer and the vocabulary count in one pass over UTF-8 bytes: words are hashed
 * straight from the input buffer into an open-addressing table, so no JS string is made per token
 * (only one per distinct word, at the end). Splits on Unicode White_Space like tokenizeWhitespace,
 * '\n' gives END_OF_LINE, and every token is recorded as a provisional id in the spool.
 */
export class ByteVocabularyCounter {
  private table = new Int32Array(1 << 16); // provisional id + 1; 0 = empty
  private arena = new Uint8Array(1 << 20);
  private arenaUsed = 0;
  private starts = new Int32Array(1 << 12);
  private lengths = new Int32Array(1 << 12);
  private hashes = new Int32Array(1 << 12);
  // Count per provisional id; −1 marks a word pruned by maxVocabSize.
  private counts = new Float64Array(1 << 12);
  private size = 0;
  private live = 0;
  private minReduce = 1;
  private buffer = new Uint8Array(0);
  private carry = 0; // bytes of an unfinished word at the start of `buffer`
  private skippingLongWord = false;
  totalTokens = 0;

  constructor(
    private readonly spool: IdSpool,
    private readonly maxVocabSize = Number.POSITIVE_INFINITY,
  ) {
    const eol = new TextEncoder().encode(END_OF_LINE);
    this.insert(eol, 0, eol.length, hashBytes(eol, 0, eol.length));
  }

  /** Adds a chunk of UTF-8 bytes; a word or a multi-byte space may continue in the next chunk. */
  add(chunk: Uint8Array): void {
    const needed = this.carry + chunk.length;
    if (this.buffer.length < needed) {
      const grown = new Uint8Array(Math.max(needed, this.buffer.length * 2));
      grown.set(this.buffer.subarray(0, this.carry));
      this.buffer = grown;
    }
    this.buffer.set(chunk, this.carry);
    this.scan(needed, false);
  }

  /** Ends the input: the last word counts even without a space after it. */
  end(): void {
    this.scan(this.carry, true);
  }

  private scan(end: number, final: boolean): void {
    const buffer = this.buffer;
    let i = 0;
    let start = -1;
    while (i < end) {
      const b = buffer[i];
      let space = 0; // bytes of whitespace at i, or 0
      if (b < 0x80) {
        if (b === 0x20 || (b >= 0x09 && b <= 0x0d)) space = 1;
      } else if (b === 0xc2 || b === 0xe1 || b === 0xe2 || b === 0xe3) {
        space = multiByteSpace(buffer, i, end);
        if (space < 0) {
          if (!final) break; // the sequence may be cut by the chunk end: rescan it with the next chunk
          space = 0;
        }
      }
      if (space === 0) {
        if (start < 0) start = i;
        i++;
        continue;
      }
      if (start >= 0) this.word(buffer, start, i);
      start = -1;
      if (b === 0x0a) this.token(0);
      i += space;
    }
    if (start < 0) start = i;
    if (final) {
      if (start < end) this.word(buffer, start, end);
      this.carry = 0;
      this.skippingLongWord = false;
      return;
    }
    // Keep the unfinished word (and any cut multi-byte sequence) for the next chunk.
    let keep = end - start;
    if (keep > MAX_WORD_BYTES) {
      // A huge token: count its first MAX_WORD_BYTES once, then drop bytes until it ends.
      if (!this.skippingLongWord) this.word(buffer, start, start + MAX_WORD_BYTES);
      this.skippingLongWord = true;
      keep = 0;
    }
    buffer.copyWithin(0, start, start + keep);
    this.carry = keep;
  }

  private word(buffer: Uint8Array, start: number, end: number): void {
    if (this.skippingLongWord) {
      this.skippingLongWord = false;
      return;
    }
    if (end - start > MAX_WORD_BYTES) end = start + MAX_WORD_BYTES;
    const hash = hashBytes(buffer, start, end);
    const mask = this.table.length - 1;
    let slot = hash & mask;
    for (;;) {
      const entry = this.table[slot];
      if (entry === 0) break;
      const id = entry - 1;
      if (this.hashes[id] === hash && this.equals(id, buffer, start, end)) {
        this.token(id);
        return;
      }
      slot = (slot + 1) & mask;
    }
    if (this.live >= this.maxVocabSize) {
      this.prune();
      return this.word(buffer, start, end);
    }
    this.token(this.insert(buffer, start, end, hash));
  }

  private token(id: number): void {
    this.counts[id]++;
    this.spool.push(id);
    this.totalTokens++;
  }

  private equals(id: number, buffer: Uint8Array, start: number, end: number): boolean {
    const length = end - start;
    if (this.lengths[id] !== length) return false;
    const arena = this.arena;
    const offset = this.starts[id];
    for (let k = 0; k < length; k++) if (arena[offset + k] !== buffer[start + k]) return false;
    return true;
  }

  private insert(bytes: Uint8Array, start: number, end: number, hash: number): number {
    const length = end - start;
    if (this.arenaUsed + length > this.arena.length) this.arena = grow(this.arena, this.arenaUsed + length);
    this.arena.set(bytes.subarray(start, end), this.arenaUsed);
    if (this.size === this.starts.length) {
      this.starts = grow(this.starts, this.size + 1);
      this.lengths = grow(this.lengths, this.size + 1);
      this.hashes = grow(this.hashes, this.size + 1);
      this.counts = grow(this.counts, this.size + 1);
    }
    const id = this.size++;
    this.starts[id] = this.arenaUsed;
    this.lengths[id] = length;
    this.hashes[id] = hash;
    this.counts[id] = 0;
    this.arenaUsed += length;
    this.live++;
    if (this.live * 2 > this.table.length) this.rehash(this.table.length * 2);
    else this.place(id);
    return id;
  }

  private place(id: number): void {
    const mask = this.table.length - 1;
    let slot = this.hashes[id] & mask;
    while (this.table[slot] !== 0) slot = (slot + 1) & mask;
    this.table[slot] = id + 1;
  }

  private rehash(capacity: number): void {
    this.table = new Int32Array(capacity);
    for (let id = 0; id < this.size; id++) if (this.counts[id] >= 0) this.place(id);
  }

  /** word2vec.c's ReduceVocab: drop words seen at most minReduce times, then raise the bar. */
  private prune(): void {
    for (let id = 1; id < this.size; id++) {
      if (this.counts[id] >= 0 && this.counts[id] <= this.minReduce) {
        this.counts[id] = -1;
        this.live--;
      }
    }
    this.minReduce++;
    this.rehash(this.table.length);
  }

  finish(minCount: number, ties: VocabularyTies = 'first-seen'): { vocabulary: Vocabulary; remap: Int32Array } {
    const decoder = new TextDecoder('utf-8', { fatal: false });
    const words: string[] = new Array(this.size);
    for (let id = 0; id < this.size; id++) {
      words[id] = decoder.decode(this.arena.subarray(this.starts[id], this.starts[id] + this.lengths[id]));
    }
    return buildVocabulary(words, Array.from(this.counts.subarray(0, this.size)), minCount, ties);
  }
}

/**
 * Length of the Unicode space (U+0085, U+00A0, U+1680, U+2000–U+200A, U+2028, U+2029, U+202F,
 * U+205F, U+3000) starting at i, 0 if there is none, −1 if the buffer ends inside the sequence.
 */
function multiByteSpace(b: Uint8Array, i: number, end: number): number {
  const lead = b[i];
  if (lead === 0xc2) {
    if (i + 1 >= end) return -1;
    return b[i + 1] === 0x85 || b[i + 1] === 0xa0 ? 2 : 0;
  }
  if (i + 1 >= end) return -1;
  const b1 = b[i + 1];
  if (lead === 0xe1 && b1 !== 0x9a) return 0;
  if (lead === 0xe2 && b1 !== 0x80 && b1 !== 0x81) return 0;
  if (lead === 0xe3 && b1 !== 0x80) return 0;
  if (i + 2 >= end) return -1;
  const b2 = b[i + 2];
  if (lead === 0xe1) return b2 === 0x80 ? 3 : 0;
  if (lead === 0xe3) return b2 === 0x80 ? 3 : 0;
  if (b1 === 0x80) return b2 <= 0x8a || b2 === 0xa8 || b2 === 0xa9 || b2 === 0xaf ? 3 : 0;
  return b2 === 0x9f ? 3 : 0;
}

function hashBytes(bytes: Uint8Array, start: number, end: number): number {
  let hash = FNV_OFFSET;
  for (let k = start; k < end; k++) hash = Math.imul(hash ^ bytes[k], FNV_PRIME);
  return hash >>> 0 & 0x7fffffff;
}

function grow<T extends Int32Array | Float64Array | Uint8Array>(array: T, needed: number): T {
  let length = array.length * 2;
  while (length < needed) length *= 2;
  const grown = new (array.constructor as new (n: number) => T)(length);
  grown.set(array);
  return grown;
}

const PROGRESS_INTERVAL_MS = 250;

/**
 * The vocabulary pass of every trainer: reads the corpus once as bytes, counts words and records
 * each token's provisional id in `spool`. `onProgress` gets the tokens read so far (at most every
 * 250 ms, and once at the end with done = true).
 */
export async function countCorpusVocabulary(
  input: CorpusSource,
  spool: IdSpool,
  options: {
    minCount: number;
    maxVocabSize?: number;
    /** Order of words of equal count (default 'first-seen'). */
    ties?: VocabularyTies;
    signal?: AbortSignal;
    onProgress?: (tokens: number, done: boolean, elapsedSeconds: number) => void;
  },
): Promise<{ vocabulary: Vocabulary; remap: Int32Array; corpusTokens: number }> {
  const started = performance.now();
  const counter = new ByteVocabularyCounter(spool, options.maxVocabSize);
  let lastReport = started;
  for await (const chunk of readCorpusBytes(input)) {
    if (options.signal?.aborted) throw new AbortError();
    counter.add(chunk);
    const now = performance.now();
    if (options.onProgress && now - lastReport > PROGRESS_INTERVAL_MS) {
      lastReport = now;
      options.onProgress(counter.totalTokens, false, (now - started) / 1000);
    }
  }
  counter.end();
  spool.finish();
  const { vocabulary, remap } = counter.finish(options.minCount, options.ties);
  options.onProgress?.(counter.totalTokens, true, (performance.now() - started) / 1000);
  return { vocabulary, remap, corpusTokens: counter.totalTokens };
}
