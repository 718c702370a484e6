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
