import { Wasm2VecError } from '../errors.js';
import { KeyedVectors } from './keyed-vectors.js';
import { subwordBuckets, type SubwordSettings } from '../corpus/subwords.js';
import { fastTextWordVectors } from '../formats/fasttext-binary.js';
import type { FastTextModelInfo, SubwordVectorsParts } from '../formats/types.js';

export type { FastTextModelInfo, SubwordVectorsParts } from '../formats/types.js';

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
    super(words, dim, parts.wordVectors ?? fastTextWordVectors(parts), parts.counts);
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

function addRow(matrix: Float32Array, start: number, into: Float32Array, dim: number): void {
  for (let d = 0; d < dim; d++) into[d] += matrix[start + d];
}

// Subword models register themselves with KeyedVectors.load, which reads fastText .bin files
// without importing this module (it extends KeyedVectors, so the import would be a circle).
KeyedVectors.registerSubwordModel((parts) => new SubwordVectors(parts));
