import type { SubwordSettings } from '../corpus/subwords.js';

/** The embedding file formats wasm2vec reads and writes. */
export type EmbeddingFormat =
  | 'word2vec-text' //   "<count> <dim>\n" then "word v1 v2 ...\n" (word2vec.c -binary 0, gensim binary=False)
  | 'word2vec-binary' // "<count> <dim>\n" then "word " + dim little-endian float32 + "\n" (word2vec.c -binary 1)
  | 'glove-text' //      no header, "word v1 v2 ...\n" (Stanford GloVe)
  | 'fasttext-vec' //    fastText's .vec: the word2vec-text layout with values printed as "%.5g"
  | 'fasttext-bin'; //   fastText's .bin model (0.9.2 layout): args, dictionary, input and output matrices

/**
 * A dense table of word vectors as read from or written to a file.
 * `vectors` is row-major, `words.length` rows of `dim` floats with no padding.
 */
export interface EmbeddingTable {
  words: string[];
  dim: number;
  vectors: Float32Array;
}

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
  /** The words' vectors if already computed (fastTextWordVectors); computed from the rows otherwise. */
  wordVectors?: Float32Array;
}
