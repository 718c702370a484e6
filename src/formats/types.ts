/** The embedding file formats wasm2vec reads and writes. */
export type EmbeddingFormat =
  | 'word2vec-text' //   "<count> <dim>\n" then "word v1 v2 ...\n" (word2vec.c -binary 0, gensim binary=False)
  | 'word2vec-binary' // "<count> <dim>\n" then "word " + dim little-endian float32 + "\n" (word2vec.c -binary 1)
  | 'glove-text' //      no header, "word v1 v2 ...\n" (Stanford GloVe)
  | 'fasttext-vec'; //   fastText's .vec: same layout as word2vec-text

/**
 * A dense table of word vectors as read from or written to a file.
 * `vectors` is row-major, `words.length` rows of `dim` floats with no padding.
 */
export interface EmbeddingTable {
  words: string[];
  dim: number;
  vectors: Float32Array;
}
