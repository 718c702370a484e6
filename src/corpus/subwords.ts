// Character n-gram subwords as fastText computes them, so that a model trained here and a fastText
// .bin model hash every n-gram into the same bucket.
import { Wasm2VecError } from '../errors.js';
import { integer } from '../validate.js';
import { END_OF_LINE } from './tokenizer.js';

export interface SubwordOptions {
  /** Shortest character n-gram (fastText -minn). Default 3. */
  minn?: number;
  /** Longest character n-gram (fastText -maxn); 0 means no n-grams. Default 6. */
  maxn?: number;
  /** Hash buckets shared by all n-grams (fastText -bucket). Default 2 000 000. */
  buckets?: number;
}

export type SubwordSettings = Required<SubwordOptions>;

/** fastText's defaults for unsupervised models. */
export const SUBWORD_DEFAULTS: SubwordSettings = { minn: 3, maxn: 6, buckets: 2_000_000 };

/** fastText's end-of-line token: it gets no n-grams. */
/** fastText's end-of-line word, the same token as END_OF_LINE. */
export const END_OF_SENTENCE = END_OF_LINE;

export function resolveSubwordOptions(options: SubwordOptions | true): SubwordSettings {
  const o = options === true ? {} : options;
  if (o === null || typeof o !== 'object') throw new Wasm2VecError('option subwords must be true, false or { minn, maxn, buckets }');
  const minn = integer('subwords.minn', o.minn ?? SUBWORD_DEFAULTS.minn, 1, 100);
  const maxn = integer('subwords.maxn', o.maxn ?? SUBWORD_DEFAULTS.maxn, 0, 100);
  if (maxn !== 0 && maxn < minn) throw new Wasm2VecError(`option subwords.maxn (${maxn}) must be 0 or at least subwords.minn (${minn})`);
  const buckets = integer('subwords.buckets', o.buckets ?? SUBWORD_DEFAULTS.buckets, 1, 2 ** 31 - 1);
  return { minn, maxn, buckets };
}

/**
 * fastText's FNV-1a variant over UTF-8 bytes: each byte is sign-extended (as a C `int8_t`) before the
 * xor, which fastText keeps so that released models hash alike on every compiler.
 */
export function fastTextHash(bytes: Uint8Array, start = 0, end = bytes.length): number {
  let h = 2166136261;
  for (let i = start; i < end; i++) {
    h ^= (bytes[i] << 24) >> 24; // sign-extend the byte
    h = Math.imul(h, 16777619);
  }
  return h >>> 0;
}

const encoder = new TextEncoder();

/**
 * The buckets (0 ≤ b < buckets) of a word's character n-grams, in fastText's order: the word is
 * wrapped in `<` `>`, n-grams of minn..maxn characters (UTF-8 sequences kept whole) start at every
 * character, and single characters at the word's edges (the marks themselves) are left out. The
 * end-of-line token has none. Duplicates are kept, as fastText keeps them.
 */
export function subwordBuckets(word: string, settings: SubwordSettings): number[] {
  const out: number[] = [];
  if (settings.maxn === 0 || word === END_OF_SENTENCE) return out;
  const bytes = encoder.encode(`<${word}>`);
  const length = bytes.length;
  for (let i = 0; i < length; i++) {
    if ((bytes[i] & 0xc0) === 0x80) continue;
    let j = i;
    for (let n = 1; j < length && n <= settings.maxn; n++) {
      j++;
      while (j < length && (bytes[j] & 0xc0) === 0x80) j++;
      if (n >= settings.minn && !(n === 1 && (i === 0 || j === length))) {
        out.push(fastTextHash(bytes, i, j) % settings.buckets);
      }
    }
  }
  return out;
}

/** The n-gram strings of a word in the same order as subwordBuckets (for display and debugging). */
export function subwordStrings(word: string, settings: SubwordSettings): string[] {
  const out: string[] = [];
  if (settings.maxn === 0 || word === END_OF_SENTENCE) return out;
  const chars = Array.from(`<${word}>`);
  for (let i = 0; i < chars.length; i++) {
    for (let n = settings.minn; n <= settings.maxn && i + n <= chars.length; n++) {
      if (n === 1 && (i === 0 || i + n === chars.length)) continue;
      out.push(chars.slice(i, i + n).join(''));
    }
  }
  return out;
}

/**
 * The input-matrix rows each vocabulary word sums over, as fastText lays the matrix out: row i is
 * word i itself, rows words.length + b are the n-gram buckets. `offsets` has one entry per word plus
 * one; word i's rows are `rows[offsets[i] .. offsets[i + 1])`, its own row first.
 */
export function subwordRowTable(words: readonly string[], settings: SubwordSettings): { offsets: Int32Array; rows: Int32Array } {
  const offsets = new Int32Array(words.length + 1);
  const rows: number[] = [];
  for (let i = 0; i < words.length; i++) {
    offsets[i] = rows.length;
    rows.push(i);
    for (const b of subwordBuckets(words[i], settings)) rows.push(words.length + b);
  }
  offsets[words.length] = rows.length;
  return { offsets, rows: Int32Array.from(rows) };
}
