// Saving vectors in a page: a model's words and vectors written by the same writers as Node.js's
// save() (src/formats/), into a Blob instead of a file, e.g. for a download link of a model trained
// in the page.
import { Wasm2VecError } from '../errors.js';
import { writeEmbeddingsTo, type EmbeddingFormat } from '../formats/index.js';
import type { KeyedVectors } from '../model/index.js';

/** A model's bytes in `format` (default fastText's .vec text), as a Blob. */
export async function vectorsBlob(model: KeyedVectors, options: { format?: EmbeddingFormat } = {}): Promise<Blob> {
  const format = options.format ?? 'fasttext-vec';
  if (format === 'fasttext-bin') throw new Wasm2VecError('vectorsBlob writes word vectors only: choose fasttext-vec, word2vec-text, word2vec-binary or glove-text');
  const parts: Uint8Array[] = [];
  let bytesWritten = 0;
  const encoder = new TextEncoder();
  const sink = {
    get bytesWritten() {
      return bytesWritten;
    },
    // the writers reuse their buffer after each call: keep a copy (new Uint8Array copies; a Buffer's slice() would not)
    write(data: Uint8Array | string): Promise<void> {
      const bytes = typeof data === 'string' ? encoder.encode(data) : new Uint8Array(data);
      parts.push(bytes);
      bytesWritten += bytes.length;
      return Promise.resolve();
    },
  };
  await writeEmbeddingsTo(sink, { words: model.words, dim: model.dim, data: model.vectors, rowStride: model.dim }, format);
  return new Blob(parts, { type: 'text/plain' });
}
