// fastText's supervised dictionary (Dictionary with labels): words and labels apart, and the input
// rows of one line of text as fastText's getLine builds them — each known word's row, its character
// n-gram buckets when minn/maxn are on, then the buckets of the line's word n-grams, hashed as
// fastText hashes them (64-bit arithmetic on sign-extended 32-bit word hashes). Shared by the
// trainer (src/supervised/) and the classifier model (src/model/classifier.ts).
import { Wasm2VecError } from '../errors.js';
import { END_OF_LINE, type TokenizeOptions } from './tokenizer.js';
import { fastTextHash, subwordBuckets } from './subwords.js';

/** fastText's multiplier in addWordNgrams. */
const NGRAM_MULTIPLIER = 116049371;
const TWO_32 = 2 ** 32;
const encoder = new TextEncoder();

export interface LabelDictionaryParts {
  /** Words in fastText's order (by count, most frequent first), END_OF_LINE among them. */
  words: string[];
  wordCounts: number[];
  /** Labels with their prefix (e.g. "__label__baking"), by count. */
  labels: string[];
  labelCounts: number[];
  /** Tokens of the training file (words, labels, line ends): fastText's ntokens. */
  ntokens: number;
  labelPrefix: string;
  wordNgrams: number;
  /** Buckets of word and character n-grams (0 when neither is on, as fastText sets it). */
  bucket: number;
  minn: number;
  maxn: number;
}

/** One line's input rows (into the input matrix: words, then nwords + bucket) and label ids. */
export interface LineRows {
  rows: number[];
  labels: number[];
  /** Tokens on the line, line end included (what fastText's getLine returns). */
  tokens: number;
}

export class LabelDictionary implements LabelDictionaryParts {
  readonly words: string[];
  readonly wordCounts: number[];
  readonly labels: string[];
  readonly labelCounts: number[];
  readonly ntokens: number;
  readonly labelPrefix: string;
  readonly wordNgrams: number;
  readonly bucket: number;
  readonly minn: number;
  readonly maxn: number;
  readonly wordIndex: Map<string, number>;
  readonly labelIndex: Map<string, number>;
  private readonly hashCache = new Map<string, number>();

  constructor(parts: LabelDictionaryParts) {
    this.words = parts.words;
    this.wordCounts = parts.wordCounts;
    this.labels = parts.labels;
    this.labelCounts = parts.labelCounts;
    this.ntokens = parts.ntokens;
    this.labelPrefix = parts.labelPrefix;
    this.wordNgrams = parts.wordNgrams;
    this.bucket = parts.bucket;
    this.minn = parts.minn;
    this.maxn = parts.maxn;
    this.wordIndex = new Map(this.words.map((w, i) => [w, i]));
    this.labelIndex = new Map(this.labels.map((w, i) => [w, i]));
  }

  get nwords(): number {
    return this.words.length;
  }

  get nlabels(): number {
    return this.labels.length;
  }

  /** Rows of the input matrix: the words' own, then one per bucket. */
  get inputRows(): number {
    return this.words.length + this.bucket;
  }

  isLabel(token: string): boolean {
    return token.startsWith(this.labelPrefix);
  }

  /** fastText's 32-bit word hash, as a signed int32 (fastText keeps it in a vector<int32_t>). */
  hash(token: string): number {
    let h = this.hashCache.get(token);
    if (h === undefined) {
      h = fastTextHash(encoder.encode(token)) | 0;
      if (this.hashCache.size < 1 << 20) this.hashCache.set(token, h);
    }
    return h;
  }

  /** The character n-gram rows of a word (empty unless maxn > 0), as nwords + bucket. */
  subwordRows(word: string): number[] {
    if (this.maxn <= 0 || this.bucket === 0) return [];
    return subwordBuckets(word, { minn: this.minn, maxn: this.maxn, buckets: this.bucket }).map((b) => this.words.length + b);
  }

  /**
   * The input rows and label ids of one line's tokens (END_OF_LINE is added if missing, as
   * fastText's getLine reads the newline as the word "</s>"). Unknown words add only their
   * character n-grams, and their hash to the word n-grams; unknown labels are dropped.
   */
  line(tokens: readonly string[]): LineRows {
    const rows: number[] = [];
    const labels: number[] = [];
    const hashes: number[] = [];
    let count = 0;
    const visit = (token: string) => {
      count++;
      if (this.isLabel(token)) {
        const id = this.labelIndex.get(token);
        if (id !== undefined) labels.push(id);
        return;
      }
      const id = this.wordIndex.get(token);
      if (id !== undefined) rows.push(id);
      if (token !== END_OF_LINE) for (const r of this.subwordRows(token)) rows.push(r);
      hashes.push(this.hash(token));
    };
    for (const token of tokens) if (token !== END_OF_LINE) visit(token);
    visit(END_OF_LINE);
    pushWordNgrams(rows, hashes, this.wordNgrams, this.bucket, this.words.length);
    return { rows, labels, tokens: count };
  }
}

/**
 * fastText's addWordNgrams: for every position i and every n-gram of 2..wordNgrams words from i,
 * h = h · 116049371 + hash (uint64, hashes sign-extended), pushed as nwords + h mod bucket.
 */
export function pushWordNgrams(rows: number[], hashes: readonly number[], wordNgrams: number, bucket: number, nwords: number): void {
  if (wordNgrams <= 1 || bucket === 0) return;
  const c = NGRAM_MULTIPLIER;
  for (let i = 0; i < hashes.length; i++) {
    let hi = hashes[i] < 0 ? 0xffffffff : 0;
    let lo = hashes[i] >>> 0;
    for (let j = i + 1; j < hashes.length && j < i + wordNgrams; j++) {
      // multiplyAdd, inlined (this runs once per n-gram of the corpus).
      const add = hashes[j];
      const a = (lo >>> 16) * c;
      const t = (lo & 0xffff) * c + (a % 65536) * 65536;
      let newLo = (t % TWO_32) + (add >>> 0);
      let newHi = (Math.imul(hi, c) >>> 0) + Math.floor(t / TWO_32) + Math.floor(a / 65536) + (add < 0 ? 0xffffffff : 0);
      if (newLo >= TWO_32) (newLo -= TWO_32), newHi++;
      hi = newHi % TWO_32;
      lo = newLo;
      rows.push(nwords + modulo(hi, lo, bucket));
    }
  }
}

/** (hi, lo) · 116049371 + sign-extended int32 `add`, modulo 2^64, as two uint32 halves. */
export function multiplyAdd(hi: number, lo: number, add: number): [number, number] {
  const c = NGRAM_MULTIPLIER;
  const loHigh = lo >>> 16;
  const loLow = lo & 0xffff;
  const a = loHigh * c; // < 2^43, exact
  const t = loLow * c + (a % 65536) * 65536; // < 2^44, exact
  let newLo = t % TWO_32;
  let carry = Math.floor(t / TWO_32) + Math.floor(a / 65536);
  let newHi = (Math.imul(hi, c) >>> 0) + carry;
  // Add the sign-extended addend.
  newLo += add >>> 0;
  if (newLo >= TWO_32) {
    newLo -= TWO_32;
    newHi += 1;
  }
  if (add < 0) newHi += 0xffffffff;
  return [newHi % TWO_32, newLo];
}

/** (hi · 2^32 + lo) mod m, exact for any m < 2^31. */
export function modulo(hi: number, lo: number, m: number): number {
  if (m <= 1 << 26) return (((hi % m) * (TWO_32 % m)) % m + (lo % m)) % m;
  return Number(((BigInt(hi) << 32n) | BigInt(lo)) % BigInt(m));
}

/** fastText's whitespace (readWord): space, \t, \n, \v, \f, \r and NUL. */
const FASTTEXT_SPACE = /[ \t\n\v\f\r\0]+/;

/**
 * One line → its tokens, as the vocabulary pass split the training file: fastText's whitespace by
 * default; Intl.Segmenter words for 'unicode' (label tokens kept whole); a user function as given;
 * lowercasing and NFKC first when asked.
 */
export function tokenizerFunction(options: TokenizeOptions & { label?: string }): (line: string) => string[] {
  const prefix = options.label ?? '__label__';
  const prepare = (line: string) => {
    const nfkc = options.normalize === 'NFKC' || (Array.isArray(options.normalize) && options.normalize.includes('NFKC'));
    let text = nfkc ? line.normalize('NFKC') : line;
    if (options.lowercase) text = text.toLowerCase();
    return text;
  };
  const tokenizer = options.tokenizer ?? 'whitespace';
  if (tokenizer === 'whitespace') return (line) => prepare(line).split(FASTTEXT_SPACE).filter((t) => t.length > 0);
  if (tokenizer === 'unicode') {
    const segmenter = new Intl.Segmenter(undefined, { granularity: 'word' });
    return (line) => {
      const out: string[] = [];
      for (const piece of prepare(line).split(/\s+/u)) {
        if (piece.length === 0) continue;
        if (piece.startsWith(prefix)) out.push(piece);
        else for (const s of segmenter.segment(piece)) if (s.isWordLike) out.push(s.segment);
      }
      return out;
    };
  }
  if (typeof tokenizer !== 'function') throw new Wasm2VecError(`tokenizer ${JSON.stringify(tokenizer)} is not supported for classifiers: use whitespace, unicode or a function`);
  return (line) => tokenizer(prepare(line));
}
