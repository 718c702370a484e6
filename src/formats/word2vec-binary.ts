/**
 * word2vec binary files (`word2vec.c -binary 1`, gensim `binary=True`):
 *   "%lld %lld\n" header ("<count> <dim>"), then per word  "%s " + dim raw little-endian float32 + "\n".
 *
 * Reading follows gensim/word2vec.c: a word runs up to the next space; "\n" (and "\r") before a word are
 * skipped, so rows without their trailing "\n" are accepted. Rejected with a Wasm2VecError naming the
 * file, the byte offset and the offending word/value: bad or lying headers (checked against the file
 * size before allocating), empty words or words over MAX_WORD_BYTES bytes or containing a newline,
 * truncated rows, NaN/Infinity values, duplicate words, fewer rows than declared and trailing garbage.
 */
import type { EmbeddingTable } from './types.js';
import type { WritableLike } from '../runtime/atomic-write.js';
import {
  ByteReader,
  type ReadSource,
  sourceName,
  IS_LITTLE_ENDIAN,
  MAX_WORD_BYTES,
  OutChunk,
  checkClaimedSize,
  checkRows,
  fail,
  nonFiniteWriteError,
  quote,
  quoteBytes,
  readHeader,
  type StridedRows,
} from './common.js';

/** Write rows in word2vec binary layout. Non-finite values are rejected (the file would not load). */
export async function writeWord2VecBinary(out: WritableLike, rows: StridedRows): Promise<void> {
  const { stride, offset } = checkRows(rows);
  const { words, dim, data } = rows;
  const chunk = new OutChunk(out);
  const h = `${words.length} ${dim}\n`;
  await chunk.reserve(h.length);
  chunk.pos += chunk.buf.write(h, chunk.pos, 'latin1');
  const rowBytes = 4 * dim;
  const src = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  for (let i = 0; i < words.length; i++) {
    const word = words[i];
    const need = word.length * 3 + 2 + rowBytes;
    if (chunk.pos + need > chunk.buf.length) {
      await chunk.reserve(need);
      if (data.length === 0) throw new Error('cannot write embeddings: the Float32Array was detached during the write (WebAssembly memory grown?)');
    }
    const buf = chunk.buf;
    let pos = chunk.pos;
    pos += buf.write(word, pos, 'utf8');
    buf[pos++] = 32;
    const base = offset + i * stride;
    for (let j = 0; j < dim; j++) {
      const v = data[base + j];
      if (v - v !== 0) throw nonFiniteWriteError(word, j, v);
    }
    if (IS_LITTLE_ENDIAN) {
      buf.set(src.subarray(base * 4, base * 4 + rowBytes), pos);
    } else {
      for (let j = 0; j < dim; j++) buf.writeFloatLE(data[base + j], pos + 4 * j);
    }
    pos += rowBytes;
    buf[pos++] = 10;
    chunk.pos = pos;
  }
  await chunk.flush();
}

/** Read a word2vec binary file. */
export async function readWord2VecBinary(source: ReadSource, options: { limit?: number } = {}): Promise<EmbeddingTable> {
  const path = sourceName(source);
  const limit = options.limit ?? Infinity;
  const r = await ByteReader.open(source);
  try {
    const { count, dim } = await readHeader(r);
    const toRead = Math.min(count, limit);
    // Smallest possible row: 1-byte word, space, 4·dim bytes (the "\n" is optional).
    checkClaimedSize(r, toRead, dim, 4 * dim + 2, 'binary rows');
    const rowBytes = 4 * dim;
    const vectors = new Float32Array(toRead * dim);
    const bytes = new Uint8Array(vectors.buffer);
    const view = IS_LITTLE_ENDIAN ? null : new DataView(vectors.buffer);
    const words: string[] = new Array(toRead);
    const seen = new Map<string, number>();
    const at = (i: number) => `byte offset ${r.offsetOf(i)}`;

    for (let row = 0; row < toRead; row++) {
      // Skip the "\n" ending the previous row (optional) and any "\r".
      for (;;) {
        if (r.available === 0) {
          if (!r.eof) await r.fill(1);
          if (r.available === 0) {
            fail(path, at(r.start), `the header declares ${count} words but the file ends after ${row} rows (truncated file?)`);
          }
        }
        const c = r.buf[r.start];
        if (c !== 10 && c !== 13) break;
        r.start++;
      }
      // The word, up to a space.
      let sp = -1;
      for (;;) {
        const { buf, start, end } = r;
        const i = buf.indexOf(32, start);
        if (i >= 0 && i < end && i - start <= MAX_WORD_BYTES) {
          sp = i;
          break;
        }
        if (end - start > MAX_WORD_BYTES) {
          fail(path, at(start), `word longer than ${MAX_WORD_BYTES} bytes (no space found): ${quoteBytes(buf, start, end)}`);
        }
        if (r.eof) {
          fail(path, at(start), `truncated row ${row + 1}: word ${quoteBytes(buf, start, end)} is not followed by a space and its vector`);
        }
        await r.fill(end - start + 1);
      }
      const b = r.buf;
      const ws = r.start;
      if (sp === ws) fail(path, at(ws), `row ${row + 1} has an empty word (corrupt file or not word2vec binary)`);
      for (let p = ws; p < sp; p++) {
        if (b[p] === 10) {
          fail(path, at(ws), `row ${row + 1}: word ${quoteBytes(b, ws, sp)} contains a newline (corrupt file or not word2vec binary)`);
        }
      }
      const word = b.toString('utf8', ws, sp);
      const wordOffset = r.offsetOf(ws);
      r.start = sp + 1;
      // The vector.
      if (r.available < rowBytes) {
        if (!r.eof) await r.fill(rowBytes);
        if (r.available < rowBytes) {
          fail(
            path,
            at(r.start),
            `truncated row ${row + 1}: word ${quote(word)} needs ${rowBytes} bytes of float32 values but the file ends after ${r.available}`,
          );
        }
      }
      const vs = r.start;
      const base = row * dim;
      if (view === null) {
        bytes.set(r.buf.subarray(vs, vs + rowBytes), base * 4); // not Buffer.copy: the browser's Buffer copies only into a Buffer
      } else {
        for (let j = 0; j < dim; j++) vectors[base + j] = r.buf.readFloatLE(vs + 4 * j);
      }
      for (let j = 0; j < dim; j++) {
        const v = vectors[base + j];
        if (v - v !== 0) {
          const raw = Array.from(r.buf.subarray(vs + 4 * j, vs + 4 * j + 4), (x) => x.toString(16).padStart(2, '0')).join(' ');
          fail(path, at(vs + 4 * j), `value #${j + 1} of word ${quote(word)} is not finite: ${v} (bytes ${raw})`);
        }
      }
      r.start = vs + rowBytes;
      const prev = seen.get(word);
      if (prev !== undefined) fail(path, `byte offset ${wordOffset}`, `duplicate word ${quote(word)} (first seen at byte offset ${prev})`);
      seen.set(word, wordOffset);
      words[row] = word;
    }
    if (toRead === count) {
      // Nothing but line breaks / blanks may follow the declared rows.
      for (;;) {
        const { buf, start, end } = r;
        let p = start;
        while (p < end && (buf[p] === 10 || buf[p] === 13 || buf[p] === 32 || buf[p] === 9)) p++;
        if (p < end) {
          fail(path, at(p), `unexpected data after the ${count} rows declared in the header: ${quoteBytes(buf, p, end)}`);
        }
        r.start = p;
        if (r.eof) break;
        await r.fill(1);
      }
    }
    return { words, dim, vectors };
  } finally {
    await r.close();
  }
}
