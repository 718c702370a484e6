// Loading vectors in a page: the bytes of a model in any format the Node.js side reads (word2vec
// text and binary, GloVe, fastText .vec and .bin), from an ArrayBuffer, a File or Blob, or a fetch
// Response, through the same readers (src/formats/) and KeyedVectors as Node.js.
import { Wasm2VecError } from '../errors.js';
import { KeyedVectors } from '../model/index.js';
import type { EmbeddingFormat } from '../formats/types.js';
import { loadKernels } from './load.js';
import { web, type WebBlob, type WebResponse } from './web.js';

export interface LoadVectorsOptions {
  /** The format (default: detected from the bytes, with the name's extension as a hint). */
  format?: EmbeddingFormat | 'auto';
  /** Read only the first `limit` words. */
  limit?: number;
  /** The name in messages and for the extension hint (default: the File's name or the Response's URL). */
  name?: string;
}

/** A model's bytes in the page. */
export type VectorsSource = ArrayBuffer | Uint8Array | WebBlob | WebResponse;

/** Reads vectors from bytes; resolves to KeyedVectors (SubwordVectors for a fastText .bin model). */
export async function loadVectors(source: VectorsSource, options: LoadVectorsOptions = {}): Promise<KeyedVectors> {
  const { name, bytes } = await bytesOf(source);
  await loadKernels();
  return KeyedVectors.load({ name: options.name ?? name, bytes }, { format: options.format, limit: options.limit });
}

async function bytesOf(source: VectorsSource): Promise<{ name: string; bytes: Uint8Array }> {
  if (source instanceof Uint8Array) return { name: 'vectors', bytes: source };
  if (source instanceof ArrayBuffer) return { name: 'vectors', bytes: new Uint8Array(source) };
  if (web.Blob !== undefined && source instanceof web.Blob) {
    return { name: (source as WebBlob & { name?: string }).name ?? 'vectors', bytes: new Uint8Array(await source.arrayBuffer()) };
  }
  if (typeof source === 'object' && source !== null && 'arrayBuffer' in source && 'status' in source) {
    const response = source as WebResponse;
    if (!response.ok) throw new Wasm2VecError(`cannot load vectors from ${response.url || 'the response'}: HTTP ${response.status}`);
    return { name: response.url || 'vectors', bytes: new Uint8Array(await response.arrayBuffer()) };
  }
  throw new Wasm2VecError('loadVectors takes an ArrayBuffer, a Uint8Array, a File or Blob, or a fetch Response');
}
