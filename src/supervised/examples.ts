// From the vocabulary pass to training examples: fastText's supervised dictionary (words and labels
// apart, minCount and minCountLabel applied) and the encoded examples the kernel reads, one i32
// record per line — tokens, inputs, labels, input rows…, label ids… (assembly/supervised.ts). The
// n-gram buckets that occur in the training file get compact rows after the words', so the input
// matrix holds only rows that are trained (fastText's 2 000 000-bucket matrix is mostly untouched).
import { Wasm2VecError } from '../errors.js';
import { remapBlocks, type IdSpool } from '../corpus/id-spool.js';
import type { Vocabulary } from '../corpus/vocabulary.js';
import { END_OF_LINE } from '../corpus/tokenizer.js';
import { LabelDictionary, pushWordNgrams } from '../corpus/label-dictionary.js';
import type { ResolvedSupervisedOptions } from './options.js';

/** Record header: tokens on the line, number of input rows, number of labels. */
export const RECORD_HEADER_INTS = 3;

export interface EncodedExamples {
  /** Records, back to back (see the file comment). */
  records: Int32Array;
  /** Start (in ints) of each record, plus the end. */
  starts: Int32Array;
  /** Lines without a known label (not trained on, as fastText). */
  skippedLines: number;
  /** bucket → compact row of the input matrix (nwords + k), −1 for buckets never seen; undefined without buckets. */
  bucketRows?: Int32Array;
  /** Rows of the compact input matrix: words, then the buckets seen. */
  inputRows: number;
}

function describe(input: unknown): string {
  return typeof input === 'string' ? (input === '-' ? 'standard input' : input) : 'the training text';
}

/** fastText's dictionary from the vocabulary pass (counted with minCount 1). */
export function buildLabelDictionary(vocabulary: Vocabulary, o: ResolvedSupervisedOptions, corpusTokens: number): LabelDictionary {
  const words: number[] = [];
  const labels: number[] = [];
  for (let v = 0; v < vocabulary.size; v++) {
    const word = vocabulary.words[v];
    const count = vocabulary.counts[v];
    if (word.startsWith(o.label)) {
      if (count >= o.minCountLabel) labels.push(v);
    } else if (count >= o.minCount && (count > 0 || word !== END_OF_LINE)) {
      words.push(v);
    }
  }
  // fastText sorts words and labels by count, most frequent first (the vocabulary is already in
  // that order, except END_OF_LINE, which it pins first).
  const byCount = (a: number, b: number) => vocabulary.counts[b] - vocabulary.counts[a] || a - b;
  words.sort(byCount);
  labels.sort(byCount);
  const where = describe(o.input);
  if (labels.length === 0) {
    throw new Wasm2VecError(
      `${where} has no labels: no token starts with ${JSON.stringify(o.label)}${o.minCountLabel > 1 ? ` at least ${o.minCountLabel} times (minCountLabel)` : ''}; ` +
        `each line needs a label such as ${o.label}positive (option label sets another prefix)`,
    );
  }
  if (!words.some((v) => vocabulary.words[v] !== END_OF_LINE)) {
    throw new Wasm2VecError(`${where} has labels but no words${o.minCount > 1 ? ` seen at least ${o.minCount} times (minCount)` : ''}: there is no text to classify`);
  }
  return new LabelDictionary({
    words: words.map((v) => vocabulary.words[v]),
    wordCounts: words.map((v) => vocabulary.counts[v]),
    labels: labels.map((v) => vocabulary.words[v]),
    labelCounts: labels.map((v) => vocabulary.counts[v]),
    ntokens: corpusTokens,
    labelPrefix: o.label,
    wordNgrams: o.wordNgrams,
    bucket: o.bucket,
    minn: o.minn,
    maxn: o.maxn,
  });
}

/** Grows an Int32Array by doubling. */
class IntBuffer {
  data = new Int32Array(1 << 16);
  length = 0;
  push(value: number): void {
    if (this.length === this.data.length) {
      const grown = new Int32Array(this.data.length * 2);
      grown.set(this.data);
      this.data = grown;
    }
    this.data[this.length++] = value;
  }
  get view(): Int32Array {
    return this.data.subarray(0, this.length);
  }
}

/**
 * Replays the spool (vocabulary ids, END_OF_LINE = 0 ending every line) into example records as
 * fastText's getLine builds them: words' rows (and their character n-grams), the line end "</s>"
 * as a word, then the word n-gram buckets over all non-label tokens, unknown ones included.
 */
export function encodeExamples(spool: IdSpool, remap: Int32Array, vocabulary: Vocabulary, dictionary: LabelDictionary): EncodedExamples {
  const nwords = dictionary.nwords;
  const size = vocabulary.size;
  // Per vocabulary id: dictionary word id (≥ 0), label id (−2 − id), or −1 (dropped word or label).
  const role = new Int32Array(size).fill(-1);
  const isLabel = new Uint8Array(size);
  const hashes = new Int32Array(size);
  const subwords: (number[] | undefined)[] = new Array(size);
  for (let v = 0; v < size; v++) {
    const word = vocabulary.words[v];
    if (dictionary.isLabel(word)) {
      isLabel[v] = 1;
      const id = dictionary.labelIndex.get(word);
      if (id !== undefined) role[v] = -2 - id;
      continue;
    }
    const id = dictionary.wordIndex.get(word);
    if (id !== undefined) role[v] = id;
    hashes[v] = dictionary.hash(word);
    if (dictionary.maxn > 0 && word !== END_OF_LINE) subwords[v] = dictionary.subwordRows(word);
  }
  const bucketRows = dictionary.bucket > 0 ? new Int32Array(dictionary.bucket).fill(-1) : undefined;
  let inputRows = nwords;
  const compact = (row: number): number => {
    if (row < nwords) return row;
    const b = row - nwords;
    let r = bucketRows![b];
    if (r < 0) r = bucketRows![b] = inputRows++;
    return r;
  };

  const records = new IntBuffer();
  const starts = new IntBuffer();
  let skippedLines = 0;
  const rows: number[] = [];
  const labels: number[] = [];
  const lineHashes: number[] = [];
  let tokens = 0;
  const endLine = () => {
    tokens++;
    const eol = role[0];
    if (eol >= 0) rows.push(eol);
    if (ngrams) lineHashes.push(hashes[0]);
    pushWordNgrams(rows, lineHashes, dictionary.wordNgrams, dictionary.bucket, nwords);
    if (labels.length === 0) {
      skippedLines++;
      // The line's tokens still count towards the learning-rate schedule, as in fastText.
      starts.push(records.length);
      records.push(tokens), records.push(0), records.push(0);
    } else {
      starts.push(records.length);
      records.push(tokens);
      records.push(rows.length);
      records.push(labels.length);
      for (const r of rows) records.push(compact(r));
      for (const l of labels) records.push(l);
    }
    rows.length = 0;
    labels.length = 0;
    lineHashes.length = 0;
    tokens = 0;
  };
  const ngrams = dictionary.wordNgrams > 1 && dictionary.bucket > 0;
  let sawToken = false;
  for (const ids of remapBlocks(spool, remap)) {
    for (let i = 0; i < ids.length; i++) {
      const v = ids[i];
      if (v === 0) {
        endLine();
        sawToken = false;
        continue;
      }
      sawToken = true;
      tokens++;
      const r = role[v];
      if (isLabel[v]) {
        if (r <= -2) labels.push(-2 - r);
        continue;
      }
      if (r >= 0) rows.push(r);
      const sub = subwords[v];
      if (sub) for (const s of sub) rows.push(s);
      if (ngrams) lineHashes.push(hashes[v]);
    }
  }
  if (sawToken) endLine(); // a last line without '\n'
  starts.push(records.length);
  return { records: records.view, starts: starts.view, skippedLines, bucketRows, inputRows };
}
