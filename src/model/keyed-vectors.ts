import { Wasm2VecError } from '../errors.js';
import { instantiateKernels } from '../runtime/kernels.js';
import { MemoryLayout, paddedDim, type Region } from '../runtime/memory-layout.js';
import type { EmbeddingFormat, SubwordVectorsParts } from '../formats/types.js';
import type { ReadSource } from '../formats/common.js';
import {
  detectEmbeddingFormat, isFastTextModelSource, readEmbeddings, readFastTextModelParts, writeEmbeddings, writeFastTextModel,
} from '../formats/index.js';

/** Builds the subword model of a fastText .bin file (set by src/model/subword-vectors.ts). */
let subwordModel: ((parts: SubwordVectorsParts) => KeyedVectors) | undefined;

/** The similarity kernels of build/kernels.wasm (assembly/similarity.ts); all pointers are byte offsets. */
export interface SimilarityKernels {
  scoreRows(matrix: number, rows: number, stride: number, query: number, out: number): void;
  topKScores(scores: number, n: number, k: number, exclude: number, nExclude: number, outIdx: number, outScores: number): number;
  mostSimilarRows(
    matrix: number, rows: number, stride: number, query: number, k: number,
    exclude: number, nExclude: number, outIdx: number, outScores: number,
  ): number;
  mostSimilarBatch(
    matrix: number, rows: number, stride: number, queries: number, nQueries: number, k: number,
    exclude: number, nExclude: number, outIdx: number, outScores: number,
  ): void;
  cosmulTopK(
    matrix: number, rows: number, stride: number, pos: number, nPos: number, neg: number, nNeg: number, k: number,
    exclude: number, nExclude: number, outIdx: number, outScores: number,
  ): number;
  normalizeRows(src: number, srcStride: number, dst: number, dstStride: number, rows: number, dim: number): void;
  quantizeRows(matrix: number, rows: number, stride: number, dim: number, out8: number, q8Stride: number, scales: number, l1: number): void;
  mostSimilarQuantized(
    matrix: number, q8: number, scales: number, rows: number, stride: number, dim: number, q8Stride: number,
    maxScale: number, maxL1: number, query: number, query16: number, approx: number, k: number,
    exclude: number, nExclude: number, outIdx: number, outScores: number,
  ): number;
}

/** A word, or a raw vector of `dim` floats, in a query. */
export type Term = string | Float32Array;

export interface ScoredWord {
  word: string;
  score: number;
}

export interface MostSimilarOptions {
  /** How many results (default 10). */
  topN?: number;
  /** Only search the first N rows (the N most frequent words when the table is sorted by frequency). */
  restrictVocab?: number;
}

export interface SimilarQuery {
  positive: Term | Term[];
  negative?: Term[];
}

export type AnalogyMethod = '3cosadd' | '3cosmul';

export interface AnalogyOptions extends MostSimilarOptions {
  method?: AnalogyMethod;
}

export interface DistanceOptions {
  metric?: 'cosine' | 'euclidean';
}

export interface TextVectorOptions {
  /** Per-word weights (e.g. SIF a/(a+p(w)) or idf). Words missing from a Map weigh 1. */
  weights?: Map<string, number> | ((word: string) => number);
  /** Splits the text into words (default: on whitespace). */
  tokenize?: (text: string) => string[];
}

export interface LoadOptions {
  format?: EmbeddingFormat | 'auto';
  /** Read only the first N vectors. */
  limit?: number;
}

export interface SaveOptions {
  /**
   * Default: for a path ending in .bin, fasttext-bin for a model with subwords (SubwordVectors) and
   * word2vec-binary otherwise; fasttext-vec for .vec; word2vec-text for any other path.
   */
  format?: EmbeddingFormat;
  /** Aborting it stops the save: the temporary file is removed and an earlier file at the path is kept. */
  signal?: AbortSignal;
}

/** Top-k rows per query: `indices[q·topN + j]` (-1 in unused slots) and `scores` alike, best first. */
export interface BatchResult {
  topN: number;
  indices: Int32Array;
  scores: Float32Array;
}

/** Fixed part of the query scratch region; it also grows by 16 bytes per row (see UnitIndex). */
const SCRATCH_BASE_BYTES = 1 << 20;
/** Queries per call of the batched kernel (they share each pass over the matrix). */
const BATCH_QUERIES = 128;

/**
 * The L2-normalised copy of the vectors in its own shared WebAssembly.Memory, rows padded to a
 * multiple of 4 floats; an int8 copy of it (rows padded to 16 bytes, one f32 scale and L1 norm per
 * row) that single queries scan first, scoring exactly only the rows that can reach the top k
 * (assembly/similarity.ts, mostSimilarQuantized: same results as a full f32 scan, a quarter of the
 * memory traffic); and a scratch region for queries, exclusion lists and top-k outputs. The scratch
 * holds at least one query of the largest possible k (every row) with every row excluded:
 * 1 MiB + 16 bytes per row.
 */
class UnitIndex {
  readonly stride: number;
  readonly kernels: SimilarityKernels;
  readonly f32: Float32Array;
  readonly i32: Int32Array;
  readonly matrix: Region;
  readonly q8: Region;
  readonly q8Stride: number;
  readonly rowScales: Region;
  readonly maxScale: number;
  readonly maxL1: number;
  readonly scratch: Region;

  constructor(readonly size: number, readonly dim: number, vectors: Float32Array) {
    this.stride = paddedDim(dim);
    const layout = new MemoryLayout();
    this.matrix = layout.reserve('normalised vectors', size * this.stride * 4);
    this.q8Stride = Math.ceil(dim / 16) * 16;
    this.q8 = layout.reserve('int8 vectors', size * this.q8Stride);
    this.rowScales = layout.reserve('int8 scales', size * 4);
    const rowL1 = layout.reserve('row L1 norms', size * 4);
    this.scratch = layout.reserve('query scratch', SCRATCH_BASE_BYTES + 16 * size);
    const memory = layout.createMemory();
    this.kernels = instantiateKernels(memory) as unknown as SimilarityKernels;
    this.f32 = new Float32Array(memory.buffer);
    this.i32 = new Int32Array(memory.buffer);
    const base = this.matrix.offset >>> 2;
    if (this.stride === dim) {
      this.f32.set(vectors.subarray(0, size * dim), base);
    } else {
      for (let r = 0; r < size; r++) this.f32.set(vectors.subarray(r * dim, (r + 1) * dim), base + r * this.stride);
    }
    this.kernels.normalizeRows(this.matrix.offset, this.stride, this.matrix.offset, this.stride, size, dim);
    this.kernels.quantizeRows(this.matrix.offset, size, this.stride, dim, this.q8.offset, this.q8Stride, this.rowScales.offset, rowL1.offset);
    let maxScale = 0;
    let maxL1 = 0;
    for (let r = 0; r < size; r++) {
      maxScale = Math.max(maxScale, this.f32[(this.rowScales.offset >>> 2) + r]);
      maxL1 = Math.max(maxL1, this.f32[(rowL1.offset >>> 2) + r]);
    }
    this.maxScale = maxScale;
    this.maxL1 = maxL1;
  }

  /** Float index of row r's first float. */
  rowBase(r: number): number {
    return (this.matrix.offset >>> 2) + r * this.stride;
  }

  /** Carves 16-byte aligned pieces out of the scratch region; throws if they do not fit. */
  carve(bytes: number[]): number[] {
    let at = this.scratch.offset;
    const out: number[] = [];
    for (const b of bytes) {
      at = Math.ceil(at / 16) * 16;
      out.push(at);
      at += b;
    }
    if (at > this.scratch.offset + this.scratch.bytes) {
      throw new Wasm2VecError(`the query is too large for the similarity scratch space (${at - this.scratch.offset} bytes)`);
    }
    return out;
  }

  /** Writes a dense query (dim floats) into the scratch at byte offset `at`, zero padding, unit length. */
  writeQuery(at: number, query: ArrayLike<number>): void {
    const base = at >>> 2;
    let norm = 0;
    for (let i = 0; i < this.dim; i++) norm += query[i] * query[i];
    norm = Math.sqrt(norm);
    const inv = norm > 0 ? 1 / norm : 0;
    for (let i = 0; i < this.dim; i++) this.f32[base + i] = query[i] * inv;
    for (let i = this.dim; i < this.stride; i++) this.f32[base + i] = 0;
  }

  writeExclusions(at: number, exclude: ArrayLike<number>, count: number): void {
    const base = at >>> 2;
    for (let i = 0; i < count; i++) this.i32[base + i] = i < exclude.length ? exclude[i] : -1;
  }

  readResults(idxAt: number, scoreAt: number, count: number): { indices: Int32Array; scores: Float32Array } {
    return {
      indices: this.i32.slice(idxAt >>> 2, (idxAt >>> 2) + count),
      scores: this.f32.slice(scoreAt >>> 2, (scoreAt >>> 2) + count),
    };
  }

  /** Top k of `rows` rows for one (dense) query; the query is normalised first. */
  search(query: ArrayLike<number>, k: number, rows: number, exclude: number[]): { indices: Int32Array; scores: Float32Array } {
    const [q, q16, approx, ex, oi, os] = this.carve([this.stride * 4, this.q8Stride * 2, k * 4, exclude.length * 4, k * 4, k * 4]);
    this.writeQuery(q, query);
    this.writeExclusions(ex, exclude, exclude.length);
    const n = this.kernels.mostSimilarQuantized(
      this.matrix.offset, this.q8.offset, this.rowScales.offset, rows, this.stride, this.dim, this.q8Stride,
      this.maxScale, this.maxL1, q, q16, approx, k, ex, exclude.length, oi, os,
    );
    return this.readResults(oi, os, n);
  }

  /** 3CosMul top k for unit positive/negative terms (dense, normalised here). */
  searchCosmul(pos: ArrayLike<number>[], neg: ArrayLike<number>[], k: number, rows: number, exclude: number[]): { indices: Int32Array; scores: Float32Array } {
    const vb = this.stride * 4;
    const [p, n, ex, oi, os] = this.carve([pos.length * vb, neg.length * vb, exclude.length * 4, k * 4, k * 4]);
    pos.forEach((v, i) => this.writeQuery(p + i * vb, v));
    neg.forEach((v, i) => this.writeQuery(n + i * vb, v));
    this.writeExclusions(ex, exclude, exclude.length);
    const count = this.kernels.cosmulTopK(this.matrix.offset, rows, this.stride, p, pos.length, n, neg.length, k, ex, exclude.length, oi, os);
    return this.readResults(oi, os, count);
  }

  /**
   * Top k for `count` queries. `fill(q, target)` writes query q's dense vector (dim floats) into
   * `target` (a subarray of the memory, zero padded after dim; it is normalised afterwards).
   * `exclusions[q·perQuery + e]` lists the rows query q must skip (-1 for none).
   */
  searchBatch(
    count: number,
    fill: (q: number, target: Float32Array) => void,
    k: number,
    rows: number,
    exclusions: Int32Array,
    perQuery: number,
  ): BatchResult {
    const indices = new Int32Array(count * k).fill(-1);
    const scores = new Float32Array(count * k).fill(-Infinity);
    if (k === 0 || count === 0) return { topN: k, indices, scores };
    const perQueryBytes = this.stride * 4 + perQuery * 4 + k * 8 + 64;
    const chunk = Math.max(1, Math.min(BATCH_QUERIES, Math.floor((this.scratch.bytes - 256) / perQueryBytes)));
    const vb = this.stride * 4;
    for (let q0 = 0; q0 < count; q0 += chunk) {
      const n = Math.min(chunk, count - q0);
      const [qa, ex, oi, os] = this.carve([n * vb, n * perQuery * 4, n * k * 4, n * k * 4]);
      const tmp = new Float32Array(this.dim);
      for (let j = 0; j < n; j++) {
        tmp.fill(0);
        fill(q0 + j, tmp);
        this.writeQuery(qa + j * vb, tmp);
      }
      this.i32.set(exclusions.subarray(q0 * perQuery, (q0 + n) * perQuery), ex >>> 2);
      this.kernels.mostSimilarBatch(this.matrix.offset, rows, this.stride, qa, n, k, ex, perQuery, oi, os);
      indices.set(this.i32.subarray(oi >>> 2, (oi >>> 2) + n * k), q0 * k);
      scores.set(this.f32.subarray(os >>> 2, (os >>> 2) + n * k), q0 * k);
    }
    return { topN: k, indices, scores };
  }
}

function isTermArray(x: unknown): x is Term[] {
  return Array.isArray(x);
}

/**
 * Word vectors: the model object every trainer returns, and what `KeyedVectors.load` reads.
 * Rows are in file order, which for word2vec/GloVe/fastText files is by descending frequency.
 *
 * Similarity queries run in the WebAssembly similarity kernels (assembly/similarity.ts) on an
 * L2-normalised copy of the vectors, built on the first query in its own shared memory.
 */
export class KeyedVectors {
  readonly words: readonly string[];
  readonly dim: number;
  /** Dense row-major vectors, size × dim (not normalised). Treat as read-only: the normalised copy is cached. */
  readonly vectors: Float32Array;
  /** Training frequencies, when known (trainers provide them; embedding files do not). */
  readonly counts?: readonly number[];
  /** word → row. A word listed twice maps to its first row. */
  readonly vocab: ReadonlyMap<string, number>;
  private unitIndex?: UnitIndex;

  constructor(words: string[], dim: number, vectors: Float32Array, counts?: number[]) {
    if (!Number.isInteger(dim) || dim <= 0) throw new Wasm2VecError(`the vector dimension must be a positive integer, got ${dim}`);
    if (!(vectors instanceof Float32Array)) throw new Wasm2VecError('vectors must be a Float32Array');
    if (vectors.length !== words.length * dim) {
      throw new Wasm2VecError(
        `vectors hold ${vectors.length} floats but ${words.length} words × ${dim} dimensions need ${words.length * dim}`,
      );
    }
    if (counts !== undefined && counts.length !== words.length) {
      throw new Wasm2VecError(`counts has ${counts.length} entries for ${words.length} words`);
    }
    this.words = words;
    this.dim = dim;
    this.vectors = vectors;
    this.counts = counts;
    const vocab = new Map<string, number>();
    for (let i = 0; i < words.length; i++) if (!vocab.has(words[i])) vocab.set(words[i], i);
    this.vocab = vocab;
  }

  /** Called once by src/model/subword-vectors.ts: how KeyedVectors.load builds a fastText .bin model. */
  static registerSubwordModel(factory: (parts: SubwordVectorsParts) => KeyedVectors): void {
    subwordModel = factory;
  }

  /**
   * Reads an embedding file (word2vec text/binary, GloVe, fastText .vec and .bin; format detected
   * unless given), or the same bytes in memory ({ name, bytes }: the browser build's loadVectors).
   * A fastText .bin model gives a SubwordVectors, which also embeds unseen words.
   */
  static async load(path: ReadSource, options: LoadOptions = {}): Promise<KeyedVectors> {
    let format = options.format ?? 'auto';
    if (format === 'auto') format = await detectEmbeddingFormat(path);
    if (format === 'fasttext-bin') {
      if (!subwordModel) throw new Error('internal: src/model/subword-vectors.ts was not loaded, so fastText .bin models cannot be read');
      return subwordModel(await readFastTextModelParts(path, { limit: options.limit }));
    }
    const table = await readEmbeddings(path, { ...options, format });
    return new KeyedVectors(table.words, table.dim, table.vectors);
  }

  /**
   * Writes the vectors (atomically: a temporary file renamed into place). A model with subwords
   * (SubwordVectors) saved to a path ending in .bin is written as a fastText .bin model; only such
   * models can be written as 'fasttext-bin'.
   */
  async save(path: string, options: SaveOptions = {}): Promise<void> {
    const subwords = isFastTextModelSource(this);
    const lower = path.toLowerCase();
    const format = options.format ?? (lower.endsWith('.bin') ? (subwords ? 'fasttext-bin' : 'word2vec-binary') : lower.endsWith('.vec') ? 'fasttext-vec' : 'word2vec-text');
    if (format === 'fasttext-bin') {
      if (!subwords) {
        throw new Wasm2VecError(
          'cannot save as fasttext-bin: a fastText .bin model needs subword vectors (a model trained with subwords, or loaded from a fastText .bin); ' +
            'save plain word vectors as fasttext-vec, word2vec-binary or word2vec-text',
        );
      }
      await writeFastTextModel(path, this, { signal: options.signal });
      return;
    }
    await writeEmbeddings(path, { words: [...this.words], dim: this.dim, vectors: this.vectors }, { format, signal: options.signal });
  }

  get size(): number {
    return this.words.length;
  }

  has(word: string): boolean {
    return this.vocab.has(word);
  }

  /** The row of a word; throws a Wasm2VecError naming it if it is not in the vocabulary. */
  index(word: string): number {
    const i = this.vocab.get(word);
    if (i === undefined) throw new Wasm2VecError(`word not in vocabulary: "${word}"`);
    return i;
  }

  /** A copy of the word's vector (models with subwords also build one for words outside the vocabulary). */
  vector(word: string): Float32Array {
    return this.termVector(word).slice();
  }

  /** A copy of the word's L2-normalised vector (as used by the similarity queries). */
  unitVector(word: string): Float32Array {
    const i = this.vocab.get(word);
    if (i === undefined) return Float32Array.from(unit(this.outOfVocabularyVector(word)));
    const idx = this.index_();
    const base = idx.rowBase(i);
    return idx.f32.slice(base, base + this.dim);
  }

  /** Cosine similarity of two words or vectors (0 if either is a zero vector). */
  similarity(a: Term, b: Term): number {
    const x = this.termVector(a);
    const y = this.termVector(b);
    let dot = 0;
    let nx = 0;
    let ny = 0;
    for (let i = 0; i < this.dim; i++) {
      dot += x[i] * y[i];
      nx += x[i] * x[i];
      ny += y[i] * y[i];
    }
    return nx > 0 && ny > 0 ? dot / Math.sqrt(nx * ny) : 0;
  }

  /** Cosine distance (1 − cosine similarity, the default) or Euclidean distance of the raw vectors. */
  distance(a: Term, b: Term, options: DistanceOptions = {}): number {
    const metric = options.metric ?? 'cosine';
    if (metric === 'cosine') return 1 - this.similarity(a, b);
    if (metric !== 'euclidean') throw new Wasm2VecError(`unknown metric "${String(metric)}": use "cosine" or "euclidean"`);
    const x = this.termVector(a);
    const y = this.termVector(b);
    let sum = 0;
    for (let i = 0; i < this.dim; i++) sum += (x[i] - y[i]) ** 2;
    return Math.sqrt(sum);
  }

  /**
   * The topN words nearest (by cosine) to the normalised mean of the unit vectors of the positive
   * terms minus those of the negative terms, as gensim's most_similar: words given as input are not
   * returned; raw vectors are added as given (not normalised). `mostSimilar(word, {topN})` also works.
   */
  mostSimilar(positive: Term | Term[], negative?: Term | Term[] | MostSimilarOptions, options: MostSimilarOptions = {}): ScoredWord[] {
    let negatives: Term[] = [];
    if (typeof negative === 'string' || negative instanceof Float32Array || isTermArray(negative)) negatives = toTerms(negative);
    else if (negative !== undefined) options = negative;
    const { topN, rows } = this.resolveOptions(options);
    const { mean, exclude } = this.queryMean(toTerms(positive), negatives);
    if (topN === 0) return [];
    const { indices, scores } = this.index_().search(mean, Math.min(topN, rows), rows, exclude);
    return this.toScored(indices, scores, topN);
  }

  /**
   * 3CosMul neighbours (Levy & Goldberg 2014, gensim's most_similar_cosmul): ranks words d by
   * Π_{p ∈ positive} (1 + cos(d, p))/2 ÷ (Π_{n ∈ negative} (1 + cos(d, n))/2 + 1e-6).
   */
  mostSimilarCosmul(positive: Term | Term[], negative: Term | Term[] = [], options: MostSimilarOptions = {}): ScoredWord[] {
    const { topN, rows } = this.resolveOptions(options);
    const pos = toTerms(positive);
    negative = toTerms(negative);
    if (pos.length + negative.length === 0) throw new Wasm2VecError('a similarity query needs at least one word');
    const exclude = this.exclusions([...pos, ...negative]);
    const pv = pos.map((t) => this.termVector(t));
    const nv = negative.map((t) => this.termVector(t));
    if (topN === 0) return [];
    const { indices, scores } = this.index_().searchCosmul(pv, nv, Math.min(topN, rows), rows, exclude);
    return this.toScored(indices, scores, topN);
  }

  /**
   * Solves a : b :: c : ? (e.g. man : king :: woman : queen), excluding a, b and c from the answers.
   * - '3cosadd' (default), gensim `most_similar(positive=[b, c], negative=[a])`:
   *     argmax_d cos(d, unit(b) − unit(a) + unit(c))   — ranks as cos(d,b) − cos(d,a) + cos(d,c)
   * - '3cosmul', gensim `most_similar_cosmul(positive=[b, c], negative=[a])`:
   *     argmax_d ((1+cos(d,b))/2 · (1+cos(d,c))/2) / ((1+cos(d,a))/2 + 1e-6)
   */
  analogy(a: string, b: string, c: string, options: AnalogyOptions = {}): ScoredWord[] {
    const method = options.method ?? '3cosadd';
    if (method === '3cosadd') return this.mostSimilar([b, c], [a], options);
    if (method === '3cosmul') return this.mostSimilarCosmul([b, c], [a], options);
    throw new Wasm2VecError(`unknown analogy method "${String(method)}": use "3cosadd" or "3cosmul"`);
  }

  /** The word that fits least with the others (lowest cosine with their normalised mean); unknown words are ignored. */
  doesntMatch(words: string[]): string {
    const used = words.filter((w) => this.has(w));
    if (used.length === 0) throw new Wasm2VecError('doesntMatch needs at least one word in the vocabulary');
    const units = used.map((w) => unit(this.termVector(w)));
    const mean = new Float64Array(this.dim);
    for (const u of units) for (let i = 0; i < this.dim; i++) mean[i] += u[i];
    const m = unit(mean);
    let best = '';
    let bestScore = Infinity;
    units.forEach((u, k) => {
      let s = 0;
      for (let i = 0; i < this.dim; i++) s += u[i] * m[i];
      // ties: the lexicographically smaller word, as gensim's sorted(zip(dists, words))
      if (s < bestScore || (s === bestScore && used[k] < best)) {
        bestScore = s;
        best = used[k];
      }
    });
    return best;
  }

  /**
   * The (weighted) mean of the raw vectors of the text's known words; a zero vector if none is known.
   * A word missing from the vocabulary is also tried in lower case.
   */
  textVector(text: string, options: TextVectorOptions = {}): Float32Array {
    const tokens = options.tokenize ? options.tokenize(text) : text.split(/\s+/u).filter((t) => t.length > 0);
    const weights = options.weights;
    const weightOf =
      weights === undefined ? () => 1 : typeof weights === 'function' ? weights : (w: string) => weights.get(w) ?? 1;
    const sum = new Float64Array(this.dim);
    let total = 0;
    for (const token of tokens) {
      let i = this.vocab.get(token);
      let word = token;
      if (i === undefined) {
        word = token.toLowerCase();
        i = this.vocab.get(word);
      }
      if (i === undefined) continue;
      const w = weightOf(word);
      if (!Number.isFinite(w)) throw new Wasm2VecError(`the weight of "${word}" is not a finite number: ${w}`);
      const base = i * this.dim;
      for (let d = 0; d < this.dim; d++) sum[d] += w * this.vectors[base + d];
      total += w;
    }
    const out = new Float32Array(this.dim);
    if (total !== 0) for (let d = 0; d < this.dim; d++) out[d] = sum[d] / total;
    return out;
  }

  /** A new KeyedVectors of the first (most frequent) topN words. */
  restrict(topN: number): KeyedVectors {
    if (!Number.isInteger(topN) || topN < 0) throw new Wasm2VecError(`restrict needs a non-negative integer, got ${topN}`);
    const n = Math.min(topN, this.size);
    return new KeyedVectors(this.words.slice(0, n), this.dim, this.vectors.slice(0, n * this.dim), this.counts?.slice(0, n));
  }

  /** Cosine similarity of a word or vector with every row (or the first restrictVocab rows). */
  similarities(term: Term, options: { restrictVocab?: number } = {}): Float32Array {
    const { rows } = this.resolveOptions({ restrictVocab: options.restrictVocab });
    const idx = this.index_();
    const [q, out] = idx.carve([idx.stride * 4, rows * 4]);
    idx.writeQuery(q, this.termVector(term));
    idx.kernels.scoreRows(idx.matrix.offset, rows, idx.stride, q, out);
    return idx.f32.slice(out >>> 2, (out >>> 2) + rows);
  }

  /** mostSimilar for many queries at once, through the batched kernel (each pass over the vectors serves many queries). */
  mostSimilarBatch(queries: Array<Term | Term[] | SimilarQuery>, options: MostSimilarOptions = {}): ScoredWord[][] {
    const { topN, rows } = this.resolveOptions(options);
    const parsed = queries.map((q) => {
      if (typeof q === 'string' || q instanceof Float32Array || Array.isArray(q)) return this.queryMean(toTerms(q), []);
      return this.queryMean(toTerms(q.positive), q.negative ?? []);
    });
    if (topN === 0) return parsed.map(() => []);
    const perQuery = Math.max(0, ...parsed.map((p) => p.exclude.length));
    const exclusions = new Int32Array(parsed.length * perQuery).fill(-1);
    parsed.forEach((p, q) => exclusions.set(p.exclude, q * perQuery));
    const k = Math.min(topN, rows);
    const result = this.index_().searchBatch(parsed.length, (q, target) => target.set(parsed[q].mean), k, rows, exclusions, perQuery);
    return parsed.map((_, q) =>
      this.toScored(result.indices.subarray(q * k, (q + 1) * k), result.scores.subarray(q * k, (q + 1) * k), topN),
    );
  }

  /** analogy() for many questions [a, b, c] at once (3CosAdd through the batched kernel). */
  analogyBatch(questions: Array<[string, string, string]>, options: AnalogyOptions = {}): ScoredWord[][] {
    const method = options.method ?? '3cosadd';
    if (method === '3cosmul') return questions.map(([a, b, c]) => this.analogy(a, b, c, options));
    if (method !== '3cosadd') throw new Wasm2VecError(`unknown analogy method "${String(method)}": use "3cosadd" or "3cosmul"`);
    return this.mostSimilarBatch(questions.map(([a, b, c]) => ({ positive: [b, c], negative: [a] })), options);
  }

  /**
   * Low-level 3CosAdd analogy search by row: `triples` holds [a, b, c] row indices per question;
   * question q scores unit(b) − unit(a) + unit(c) (normalised) against the first `restrictVocab`
   * rows, skipping rows a, b and c, and keeps `topN` rows (fewer real ones are padded with -1).
   */
  analogyIndices(triples: Int32Array, options: MostSimilarOptions = {}): BatchResult {
    const { topN, rows } = this.resolveOptions(options);
    if (triples.length % 3 !== 0) throw new Wasm2VecError('analogyIndices needs 3 row indices per question');
    for (const t of triples) {
      if (!Number.isInteger(t) || t < 0 || t >= this.size) throw new Wasm2VecError(`row index out of range: ${t}`);
    }
    const idx = this.index_();
    const count = triples.length / 3;
    const k = Math.min(topN, rows);
    const f32 = idx.f32;
    const dim = this.dim;
    return idx.searchBatch(
      count,
      (q, target) => {
        const a = idx.rowBase(triples[3 * q]);
        const b = idx.rowBase(triples[3 * q + 1]);
        const c = idx.rowBase(triples[3 * q + 2]);
        for (let i = 0; i < dim; i++) target[i] = f32[b + i] - f32[a + i] + f32[c + i];
      },
      k,
      rows,
      triples,
      3,
    );
  }

  // ---- internals ----

  private index_(): UnitIndex {
    if (!this.unitIndex) this.unitIndex = new UnitIndex(this.size, this.dim, this.vectors);
    return this.unitIndex;
  }

  private resolveOptions(options: MostSimilarOptions): { topN: number; rows: number } {
    const topN = options.topN ?? 10;
    if (!Number.isInteger(topN) || topN < 0) throw new Wasm2VecError(`topN must be a non-negative integer, got ${topN}`);
    const restrict = options.restrictVocab;
    if (restrict !== undefined && (!Number.isInteger(restrict) || restrict <= 0)) {
      throw new Wasm2VecError(`restrictVocab must be a positive integer, got ${restrict}`);
    }
    return { topN, rows: Math.min(this.size, restrict ?? this.size) };
  }

  /**
   * The vector of a word outside the vocabulary. Plain word vectors have none; models with subword
   * vectors (SubwordVectors) build one from the word's character n-grams.
   */
  protected outOfVocabularyVector(word: string): Float32Array {
    throw new Wasm2VecError(`word not in vocabulary: "${word}"`);
  }

  /** A term's raw vector (a view for words; a vector is checked for length). */
  private termVector(term: Term): Float32Array {
    if (typeof term === 'string') {
      const i = this.vocab.get(term);
      if (i === undefined) return this.outOfVocabularyVector(term);
      return this.vectors.subarray(i * this.dim, (i + 1) * this.dim);
    }
    if (!(term instanceof Float32Array) || term.length !== this.dim) {
      throw new Wasm2VecError(`a query vector must be a Float32Array of ${this.dim} floats`);
    }
    return term;
  }

  private exclusions(terms: Term[]): number[] {
    const set = new Set<number>();
    for (const t of terms) {
      if (typeof t !== 'string') continue;
      const i = this.vocab.get(t);
      if (i !== undefined) set.add(i);
    }
    return [...set];
  }

  /** gensim's get_mean_vector(pre_normalize=True, post_normalize=True): Σ ±unit(word) + Σ ±vector, normalised. */
  private queryMean(positive: Term[], negative: Term[]): { mean: Float32Array; exclude: number[] } {
    if (positive.length + negative.length === 0) throw new Wasm2VecError('a similarity query needs at least one word');
    const sum = new Float64Array(this.dim);
    const add = (t: Term, w: number) => {
      const v = this.termVector(t);
      let scale = w;
      if (typeof t === 'string') {
        let n = 0;
        for (let i = 0; i < this.dim; i++) n += v[i] * v[i];
        scale = n > 0 ? w / Math.sqrt(n) : 0;
      }
      for (let i = 0; i < this.dim; i++) sum[i] += scale * v[i];
    };
    for (const t of positive) add(t, 1);
    for (const t of negative) add(t, -1);
    return { mean: Float32Array.from(unit(sum)), exclude: this.exclusions([...positive, ...negative]) };
  }

  private toScored(indices: Int32Array, scores: Float32Array, topN: number): ScoredWord[] {
    const out: ScoredWord[] = [];
    for (let j = 0; j < indices.length && out.length < topN; j++) {
      if (indices[j] < 0) break;
      out.push({ word: this.words[indices[j]], score: scores[j] });
    }
    return out;
  }
}

function toTerms(x: Term | Term[]): Term[] {
  return Array.isArray(x) ? x : [x];
}

function unit(v: ArrayLike<number>): Float64Array {
  let n = 0;
  for (let i = 0; i < v.length; i++) n += v[i] * v[i];
  const out = new Float64Array(v.length);
  if (n > 0) {
    const inv = 1 / Math.sqrt(n);
    for (let i = 0; i < v.length; i++) out[i] = v[i] * inv;
  }
  return out;
}
