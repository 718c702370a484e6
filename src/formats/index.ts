/**
 * Reading and writing word-embedding files.
 *
 * Formats: word2vec text and binary (word2vec.c / gensim `save_word2vec_format`), fastText .vec (the
 * word2vec text layout, values as "%.5g"), fastText .bin models (fasttext-binary.ts: the dictionary,
 * the n-gram buckets and both matrices; unsupervised, unquantized models) and GloVe text (no header).
 * Writers produce byte-for-byte what word2vec.c, GloVe and fastText 0.9.2 write; files are replaced
 * atomically.
 *
 * A fastText .bin is a model rather than a table: `readEmbeddings` returns its words' vectors (the
 * mean of each word's own row and its n-gram rows, as fastText's .vec), `KeyedVectors.load` a
 * `SubwordVectors` that also embeds unseen words. Only models with subwords (`SubwordVectors`) can be
 * written as fasttext-bin (`writeFastTextModel`, `KeyedVectors.save`); `writeEmbeddings` refuses it.
 *
 * Readers stream the file and treat it as untrusted: anything malformed is a `Wasm2VecError` whose
 * message names the file and the line (text) or byte offset (binary) and quotes the offending value.
 * Notable decisions:
 *  - duplicate words are rejected (gensim keeps the first and logs a warning);
 *  - NaN / Infinity values (and text values outside the float32 range) are rejected, and the writers
 *    refuse to write them;
 *  - a header that declares 0 words or dimension 0 is rejected, and writers refuse empty tables;
 *  - a header's claimed size is checked against the file size before anything is allocated;
 *  - words longer than 64 KiB (MAX_WORD_BYTES) are rejected;
 *  - only regular files are read;
 *  - fastText .bin: supervised models, quantized (.ftz) models and pruned dictionaries are rejected;
 *    `limit` keeps the first N words and every n-gram bucket.
 */
import type { EmbeddingFormat, EmbeddingTable } from './types.js';
import { writeFileAtomic, type WritableLike, type WriteFileAtomicOptions } from '../runtime/atomic-write.js';
import { Wasm2VecError } from '../errors.js';
import { checkLimit, wrapSystemError, type ReadSource, type StridedRows } from './common.js';
import { detectEmbeddingFormat } from './detect.js';
import { readTextEmbeddings, writeTextRows } from './word2vec-text.js';
import { readWord2VecBinary, writeWord2VecBinary } from './word2vec-binary.js';
import { readFastTextModelParts } from './fasttext-binary.js';

export type { EmbeddingFormat, EmbeddingTable } from './types.js';
export type { BytesSource, ReadSource, StridedRows } from './common.js';
export { MAX_WORD_BYTES } from './common.js';
export { detectEmbeddingFormat, detectFormatFromBytes } from './detect.js';
export { formatFixed6, writeFixed6 } from './word2vec-text.js';
export { formatG5, writeG5 } from './fasttext-vec.js';
export {
  FASTTEXT_MAGIC,
  FASTTEXT_VERSION,
  isFastTextModelSource,
  readFastTextBinary,
  readFastTextModelParts,
  fastTextWordVectors,
  writeFastTextBinary,
  writeFastTextModel,
  type FastTextModelSource,
  type ReadFastTextOptions,
} from './fasttext-binary.js';

export const EMBEDDING_FORMATS: readonly EmbeddingFormat[] = ['word2vec-text', 'word2vec-binary', 'glove-text', 'fasttext-vec', 'fasttext-bin'];

export interface ReadEmbeddingsOptions {
  /** The file's format; 'auto' (the default) detects it from the content. */
  format?: EmbeddingFormat | 'auto';
  /** Read only the first `limit` words (like gensim's `limit`). */
  limit?: number;
}

function checkFormat(format: unknown, allowAuto: boolean): EmbeddingFormat | 'auto' {
  if ((allowAuto && format === 'auto') || EMBEDDING_FORMATS.includes(format as EmbeddingFormat)) {
    return format as EmbeddingFormat | 'auto';
  }
  throw new Wasm2VecError(
    `unknown embedding format ${JSON.stringify(format)}; expected one of ${[...(allowAuto ? ['auto'] : []), ...EMBEDDING_FORMATS].join(', ')}`,
  );
}

/** Read an embedding file. */
export async function readEmbeddings(
  path: ReadSource,
  options: ReadEmbeddingsOptions = {},
): Promise<EmbeddingTable & { format: EmbeddingFormat }> {
  let format = checkFormat(options.format ?? 'auto', true);
  const limit = checkLimit(options.limit);
  if (format === 'auto') format = await detectEmbeddingFormat(path);
  let table: EmbeddingTable;
  switch (format) {
    case 'word2vec-binary':
      table = await readWord2VecBinary(path, { limit });
      break;
    case 'glove-text':
      table = await readTextEmbeddings(path, { header: false, limit });
      break;
    case 'word2vec-text':
    case 'fasttext-vec':
      table = await readTextEmbeddings(path, { header: true, limit });
      break;
    case 'fasttext-bin': {
      const model = await readFastTextModelParts(path, { limit });
      table = { words: model.words, dim: model.dim, vectors: model.wordVectors };
      break;
    }
  }
  return { words: table.words, dim: table.dim, vectors: table.vectors, format };
}

/** Write rows in `format` to a sink (not atomic by itself; see `writeEmbeddingRows`). */
export async function writeEmbeddingsTo(out: WritableLike, rows: StridedRows, format: EmbeddingFormat): Promise<void> {
  switch (checkFormat(format, false)) {
    case 'word2vec-binary':
      return writeWord2VecBinary(out, rows);
    case 'glove-text':
      return writeTextRows(out, rows, false);
    case 'fasttext-vec':
      return writeTextRows(out, rows, true, 'g5');
    case 'fasttext-bin':
      throw fastTextBinNeedsModel();
    default:
      return writeTextRows(out, rows, true);
  }
}

function fastTextBinNeedsModel(): Wasm2VecError {
  return new Wasm2VecError(
    'cannot write a table of word vectors as fasttext-bin: a fastText .bin holds the n-gram buckets of a subword model ' +
      '(train with subwords and save the SubwordVectors, or use writeFastTextModel); write fasttext-vec for word vectors only',
  );
}

/**
 * Atomically write rows taken from a (possibly strided) Float32Array, e.g. a trainer's matrix in
 * WebAssembly memory: row i is `data[offset + i*rowStride .. + dim)`. The data must not change until
 * the returned promise settles.
 */
export async function writeEmbeddingRows(
  path: string,
  rows: StridedRows,
  options: { format: EmbeddingFormat } & WriteFileAtomicOptions,
): Promise<void> {
  const { format, ...atomic } = options;
  if (checkFormat(format, false) === 'fasttext-bin') throw fastTextBinNeedsModel();
  try {
    await writeFileAtomic(path, (out) => writeEmbeddingsTo(out, rows, format), atomic);
  } catch (err) {
    throw wrapSystemError(path, 'write', err);
  }
}

/** Atomically write a dense table. */
export function writeEmbeddings(
  path: string,
  table: EmbeddingTable,
  options: { format: EmbeddingFormat } & WriteFileAtomicOptions,
): Promise<void> {
  if (table.vectors.length !== table.words.length * table.dim) {
    return Promise.reject(
      new Wasm2VecError(
        `cannot write embeddings: ${table.words.length} words × dim ${table.dim} needs ${table.words.length * table.dim} values, the table has ${table.vectors.length}`,
      ),
    );
  }
  return writeEmbeddingRows(path, { words: table.words, dim: table.dim, data: table.vectors, rowStride: table.dim }, options);
}
