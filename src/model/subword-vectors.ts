import { Wasm2VecError } from '../errors.js';
import { KeyedVectors } from './keyed-vectors.js';
import { subwordBuckets, type SubwordSettings } from '../corpus/subwords.js';

/** What a fastText .bin model records about its training besides the matrices. */
export interface FastTextModelInfo {
  model: 'skipgram' | 'cbow';
  loss: 'ns' | 'hs';
  window: number;
  epochs: number;
  minCount: number;
  negative: number;
  /** Subsampling threshold (fastText -t). */
  sample: number;
  /** fastText -lrUpdateRate (kept for the file; wasm2vec refreshes the rate on its own schedule). */
  lrUpdateRate: number;
  /** fastText -wordNgrams (1 for unsupervised models). */
  wordNgrams: number;
  /** Tokens read from the corpus, the end-of-line tokens included (fastText's ntokens). */
  corpusTokens: number;
}

export interface SubwordVectorsParts {
  words: string[];
  dim: number;
  /**
   * fastText's input matrix: rows 0..words.length−1 are the words' own vectors, row words.length + b
   * is n-gram bucket b. Each row starts every `stride` floats (stride ≥ dim; padding ignored).
   */
  input: Float32Array;
  stride: number;
  subwords: SubwordSettings;
  counts?: number[];
  /** The output matrix (negative sampling or softmax), words.length rows × stride: only .bin files keep it. */
  output?: Float32Array;
  /** Rows of `output` (the vocabulary for negative sampling, the inner nodes + 1 for hierarchical softmax). */
  outputRows?: number;
  info?: FastTextModelInfo;
}

/**
 * Word vectors with fastText's character n-gram buckets: a word's vector is the mean of its own row
 * and its n-gram rows, so words never seen in training get a vector from their n-grams alone.
 * Every query (vector, similarity, mostSimilar, analogy) accepts such words.
 */
export class SubwordVectors extends KeyedVectors {
  readonly subwords: SubwordSettings;
  readonly input: Float32Array;
  readonly stride: number;
  readonly output?: Float32Array;
  readonly outputRows: number;
  readonly info?: FastTextModelInfo;

  constructor(parts: SubwordVectorsParts) {
    const { words, dim, input, stride, subwords } = parts;
    if (!Number.isInteger(stride) || stride < dim) throw new Wasm2VecError(`the input matrix stride (${stride}) must be at least the dimension (${dim})`);
    const rows = words.length + subwords.buckets;
    if (input.length < rows * stride - (stride - dim)) {
      throw new Wasm2VecError(`the input matrix holds ${input.length} floats but ${words.length} words + ${subwords.buckets} buckets need ${rows} rows × ${stride}`);
    }
    super(words, dim, wordVectors(words, dim, input, stride, subwords), parts.counts);
    this.subwords = subwords;
    this.input = input;
    this.stride = stride;
    this.output = parts.output;
    this.outputRows = parts.outputRows ?? (parts.output ? words.length : 0);
    this.info = parts.info;
  }

  /** The vector of a word from its n-grams only, or undefined when it has none (shorter than minn). */
  subwordVector(word: string): Float32Array | undefined {
    const buckets = subwordBuckets(word, this.subwords);
    if (buckets.length === 0) return undefined;
    const out = new Float32Array(this.dim);
    for (const b of buckets) addRow(this.input, (this.size + b) * this.stride, out, this.dim);
    const inv = Math.fround(1 / buckets.length); // fastText multiplies by a float
    for (let d = 0; d < this.dim; d++) out[d] *= inv;
    return out;
  }

  protected override outOfVocabularyVector(word: string): Float32Array {
    const v = this.subwordVector(word);
    if (v === undefined) {
      throw new Wasm2VecError(
        this.subwords.maxn === 0
          ? `word not in vocabulary: "${word}" (the model has no character n-grams: maxn 0)`
          : `word not in vocabulary and too short for a ${this.subwords.minn}-gram: "${word}"`,
      );
    }
    return v;
  }
}

/** fastText's getWordVector for every vocabulary word: the mean of its own row and its n-gram rows. */
function wordVectors(words: readonly string[], dim: number, input: Float32Array, stride: number, subwords: SubwordSettings): Float32Array {
  const out = new Float32Array(words.length * dim);
  const sum = new Float32Array(dim);
  for (let i = 0; i < words.length; i++) {
    sum.fill(0);
    addRow(input, i * stride, sum, dim);
    const buckets = subwordBuckets(words[i], subwords);
    for (const b of buckets) addRow(input, (words.length + b) * stride, sum, dim);
    const inv = Math.fround(1 / (1 + buckets.length));
    for (let d = 0; d < dim; d++) out[i * dim + d] = sum[d] * inv;
  }
  return out;
}

function addRow(matrix: Float32Array, start: number, into: Float32Array, dim: number): void {
  for (let d = 0; d < dim; d++) into[d] += matrix[start + d];
}
