import { createReadStream, promises as fs } from 'node:fs';
import { createGunzip } from 'node:zlib';
import { Wasm2VecError } from '../errors.js';

/**
 * Where a corpus comes from: a file path (plain text or gzip, detected from its first bytes),
 * '-' for standard input, or any async iterable of text or UTF-8 bytes (library callers).
 */
export type CorpusSource = string | AsyncIterable<string | Uint8Array>;

const READ_CHUNK_BYTES = 1 << 20;

/** Opens a corpus as a stream of decoded text chunks; invalid UTF-8 becomes U+FFFD. */
export async function* readCorpusText(source: CorpusSource, onBytes?: (bytes: number) => void): AsyncGenerator<string> {
  const decoder = new TextDecoder('utf-8', { fatal: false, ignoreBOM: false });
  for await (const chunk of openCorpusBytes(source)) {
    if (typeof chunk === 'string') {
      onBytes?.(chunk.length);
      yield chunk;
      continue;
    }
    onBytes?.(chunk.byteLength);
    const text = decoder.decode(chunk, { stream: true });
    if (text.length > 0) yield text;
  }
  const rest = decoder.decode();
  if (rest.length > 0) yield rest;
}

/** Opens a corpus as a stream of UTF-8 byte chunks (text from an iterable is encoded). */
export async function* readCorpusBytes(source: CorpusSource, onBytes?: (bytes: number) => void): AsyncGenerator<Uint8Array> {
  const encoder = new TextEncoder();
  for await (const chunk of openCorpusBytes(source)) {
    const bytes = typeof chunk === 'string' ? encoder.encode(chunk) : chunk;
    onBytes?.(bytes.byteLength);
    yield bytes;
  }
}

async function* openCorpusBytes(source: CorpusSource): AsyncGenerator<string | Uint8Array> {
  if (typeof source !== 'string') {
    yield* source;
    return;
  }
  if (source === '-') {
    yield* process.stdin as AsyncIterable<Uint8Array>;
    return;
  }
  let gzip: boolean;
  try {
    const handle = await fs.open(source, 'r');
    try {
      const stat = await handle.stat();
      if (stat.isDirectory()) throw new Wasm2VecError(`corpus ${source} is a directory, not a file`);
      const magic = Buffer.alloc(2);
      const { bytesRead } = await handle.read(magic, 0, 2, 0);
      gzip = bytesRead === 2 && magic[0] === 0x1f && magic[1] === 0x8b;
    } finally {
      await handle.close();
    }
  } catch (error) {
    if (error instanceof Wasm2VecError) throw error;
    throw new Wasm2VecError(`cannot open corpus ${source}: ${(error as Error).message}`, { cause: error });
  }
  const file = createReadStream(source, { highWaterMark: READ_CHUNK_BYTES });
  if (!gzip) {
    yield* file as AsyncIterable<Buffer>;
    return;
  }
  const gunzip = createGunzip({ chunkSize: READ_CHUNK_BYTES });
  file.on('error', (error) => gunzip.destroy(error));
  file.pipe(gunzip);
  try {
    yield* gunzip as AsyncIterable<Buffer>;
  } catch (error) {
    throw new Wasm2VecError(`corpus ${source} is not valid gzip: ${(error as Error).message}`, { cause: error });
  } finally {
    file.destroy();
  }
}
