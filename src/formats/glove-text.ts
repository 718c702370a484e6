/**
 * GloVe text files (Stanford GloVe's `save_params`): no header, one row per word,
 * "word v1 v2 ... vN\n" with single spaces, no trailing space, values printed like C's "%lf".
 * The dimension is the number of values on the first row; every row must have that many.
 * See word2vec-text.ts for what the reader accepts and rejects.
 */
import type { EmbeddingTable } from './types.js';
import type { WritableLike } from '../runtime/atomic-write.js';
import type { StridedRows } from './common.js';
import { readTextEmbeddings, writeTextRows } from './word2vec-text.js';

export function readGloveText(path: string, options: { limit?: number } = {}): Promise<EmbeddingTable> {
  return readTextEmbeddings(path, { header: false, limit: options.limit });
}

export function writeGloveText(out: WritableLike, rows: StridedRows): Promise<void> {
  return writeTextRows(out, rows, false);
}
